"""Plan pages: the list of a user's plans and the whole plan with its filters."""

from collections import Counter
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, Subquery, prefetch_related_objects
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions.access import action_rights
from actions.models import Action, ActionUpdate, Rag, Status, withhold_texts
from actions.staleness import needs_update
from partners.access import show_partnership

from ..access import get_plan_for_user
from ..filters import PlanFilterForm, apply_filters
from ..models import ActionPlan, Issue, PublishedPlan
from ..partnership_pages import duties_to_mark_done, partnership_pages
from ..pdf.options import PdfOptionsForm, plan_owners
from ..rollup import Rollup, plan_rollups
from .bulk import may_change_actions


@login_required
@require_safe
def plan_list(request):
    """The plans the signed-in user may see, by partnership, newest first, each with its public
    page (or, for the partnership's admin, the way to publish it); under each partnership its
    pages the user may open: the calendar, the reviews, the public pages."""
    public = PublishedPlan.objects.public().filter(plan=OuterRef("pk")).values("published_at")[:1]
    plans = (
        ActionPlan.objects.for_user(request.user)
        .select_related("partnership")
        .annotate(public_since=Subquery(public))
        .order_by("partnership__name", "-start_year")
    )
    grouped = [(p, list(ps)) for p, ps in groupby(plans, key=lambda plan: plan.partnership)]
    pages = partnership_pages(request.user, [partnership for partnership, _ in grouped])
    # (partnership, its plans, the partnership's pages the user may open or None)
    by_partnership = [(partnership, ps, pages.get(partnership.pk)) for partnership, ps in grouped]
    if len(by_partnership) == 1:
        show_partnership(request, by_partnership[0][0])
    context = {
        "by_partnership": by_partnership,
        # Chairs and admins start here: the duties they own, as officers see theirs on My actions.
        "duties": duties_to_mark_done(request.user),
        "several_partnerships": len(by_partnership) > 1,
        "page_title": "Your plans",
    }
    return render(request, "plans/plan_list.html", context)


def _plan_actions(plan, filters, today, user):
    latest = ActionUpdate.objects.live().filter(action=OuterRef("pk")).order_by("-date", "-order", "-id")
    queryset = Action.objects.in_plan(plan).annotate(latest_update_id=Subquery(latest.values("pk")[:1]))
    queryset = apply_filters(
        queryset, filters, interval_days=plan.partnership.update_interval_days, user=user, today=today
    )
    return list(queryset.order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk"))


def _owner_names(actions):
    """{action id: [owner names]} in the order ``Action.owner_names`` gives, in three queries.

    Cheaper than prefetching the owners, which builds three related managers per action."""
    names = {action.pk: [] for action in actions}
    ids = list(names)
    for relation, name in (
        ("owner_teams", "team__name"),
        ("owner_organisations", "organisation__name"),
        ("owner_groups", "governancegroup__name"),
    ):
        through = getattr(Action, relation).through
        rows = through.objects.filter(action_id__in=ids).order_by(name).values_list("action_id", name)
        for action_id, owner in rows:
            names[action_id].append(owner)
    return names


@login_required
@require_safe
def plan_detail(request, slug):
    """The whole plan, priority by priority, issue by issue, action by action, with filters.

    A constant number of queries whatever the plan's size: priorities, issues, actions
    (annotated with the last update date and the latest update's id), their owners, and
    the latest updates; at most two more for restricted latest updates."""
    plan, rights = get_plan_for_user(request, slug)
    user = request.user
    today = timezone.localdate()
    priorities = list(plan.priorities.order_by("number"))  # the default ordering would join the partnership
    # The plan's owners, read once for the filter form and the PDF options form.
    owners = plan_owners(plan)
    choices = [(f"{kind}-{pk}", name) for kind, pk, name in owners]  # by name
    form = PlanFilterForm(request.GET or None, owners=choices, priorities=priorities)
    filters = {}
    if request.GET:
        form.is_valid()
        filters = form.cleaned_data
    filtering = any(filters.get(name) for name in ("owner", "rag", "status", "stale", "overdue", "priority", "q"))

    actions = withhold_texts(user, _plan_actions(plan, filters, today, user))
    latest_ids = [a.latest_update_id for a in actions if a.latest_update_id]
    # Only what the page shows of a latest update (its date, text and marking): loading
    # every field and the author for each of hundreds of rows was a visible cost.
    latest = ActionUpdate.objects.only("action_id", "date", "text", "marking").order_by().in_bulk(latest_ids)
    # Wire the tree by hand so that nothing below queries again (the access checks read
    # action.issue.priority.plan).
    interval = plan.partnership.update_interval_days
    # The roll-up is of the whole plan, whatever the filters (two grouped queries).
    found = plan_rollups(plan, today=today)
    empty = Rollup(rule=plan.partnership.rollup_rule)
    by_id = {}
    for priority in priorities:
        priority.plan = plan
        priority.rollup = found.priorities.get(priority.pk, empty)
        priority.matching_issues = []
        by_id[priority.pk] = priority
    issues = {}
    for issue in Issue.objects.filter(priority__plan=plan).order_by("order", "pk"):
        issue.priority = by_id[issue.priority_id]
        issue.matching_actions = []
        issue.rollup = found.issues.get(issue.pk, empty)
        issues[issue.pk] = issue
    owner_names = _owner_names(actions)
    restricted = [a for a in actions if a.latest_update_id in latest and latest[a.latest_update_id].is_sensitive]
    # Only actions whose latest update is restricted need their owners for the access check.
    prefetch_related_objects(restricted, "owner_teams", "owner_organisations")
    marker = 987654321
    url_pattern = reverse("actions:detail", args=[marker])
    for action in actions:
        action.url = url_pattern.replace(str(marker), str(action.pk))  # one reverse, not one a row
        names = owner_names[action.pk] + ([action.owner_role] if action.owner_role else [])
        action.owners_text = action.owner_label or " / ".join(names)
        action.issue = issues[action.issue_id]
        action.latest_update = latest.get(action.latest_update_id)
        action.needs_update = needs_update(action, interval_days=interval, today=today)
        # Only a restricted latest update needs the (costlier) sensitive-reading check.
        if action.latest_update is not None and action.latest_update.is_sensitive:
            action.user_sees_sensitive = action_rights(user, action).may_read_sensitive
        action.issue.matching_actions.append(action)
    for issue in issues.values():
        if issue.matching_actions or not filtering:
            issue.priority.matching_issues.append(issue)
    shown_priorities = [p for p in priorities if p.matching_issues or not filtering]
    counts = Counter(a.rag for a in actions)
    proposal_count = may_propose = 0
    if rights.may_author:
        proposal_count = Action.objects.filter(issue__priority__plan=plan, status=Status.PROPOSED).count()
    elif not plan.is_archived:
        may_propose = Action.objects.owned_by(user).in_plan(plan).exists()
    rag_summary = [(value, label, counts.get(value, 0)) for value, label in Rag.choices]
    public_page = PublishedPlan.objects.public().filter(plan=plan).only("pk", "published_at").first()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "priorities": shown_priorities,
            "form": form,
            "pdf_options": PdfOptionsForm(plan, user, owners=owners, priorities=priorities),
            "filtering": filtering,
            "active_filters": form.active_filters() if filtering else [],
            "action_count": len(actions),
            "stale_count": sum(1 for a in actions if a.needs_update),
            "rag_summary": rag_summary,
            "plan_rollup": found.plan(plan),
            "rights": rights,
            "proposal_count": proposal_count,
            "may_propose": may_propose,
            "may_change_actions": may_change_actions(plan, rights),
            "public_page": public_page,
            "page_title": plan.full_title,
        },
    )
