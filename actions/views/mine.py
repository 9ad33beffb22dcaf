"""My actions: the signed-in officer's home. The actions their teams (or organisation) own in
current plans, grouped by plan and priority, the stalest first."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from partners.access import show_partnership
from plans.models import ActionPlan, UpdateRound
from plans.partnership_pages import duties_to_mark_done, partnership_pages

from ..models import Action, withhold_texts
from ..staleness import needs_update

PAGE_SIZE = 50


def my_actions_queryset(user):
    """The user's owned actions in plans that are not archived, with their last update date."""
    return (
        Action.objects.owned_by(user)
        .agreed()
        .exclude(issue__priority__plan__status=ActionPlan.Status.ARCHIVED)
        .select_related("issue__priority__plan__partnership")
        .order_by("issue__priority__plan_id", "issue__priority__number", "pk")
    )


def my_proposals(user):
    """The actions the user proposed in plans that are not archived, newest first, with the outcome."""
    return list(
        Action.objects.filter(proposed_by=user)
        .exclude(issue__priority__plan__status=ActionPlan.Status.ARCHIVED)
        .select_related("issue__priority__plan__partnership", "decided_by")
        .order_by("-created_at", "-pk")
    )


def render_my_actions(request):
    """The page itself (also served at the site root for people who belong to a team)."""
    request.nav_section = "My actions"  # also when served at the site root
    today = timezone.localdate()
    actions = withhold_texts(request.user, my_actions_queryset(request.user))
    for action in actions:
        interval = action.issue.priority.plan.partnership.update_interval_days
        action.needs_update = needs_update(action, interval_days=interval, today=today)
    # Within each plan and priority: those needing an update first, then other open actions,
    # then closed ones; the longest-silent first in each band.
    actions.sort(
        key=lambda a: (
            a.issue.priority.plan.partnership.name,
            -a.issue.priority.plan.start_year,
            a.issue.priority.plan_id,
            a.issue.priority.number,
            not a.needs_update,
            not a.is_open,
            a.last_update_on or timezone.localdate(a.created_at),
            a.pk,
        )
    )
    stale_count = sum(1 for action in actions if action.needs_update)
    only_stale = request.GET.get("stale") == "1"
    shown = [action for action in actions if action.needs_update] if only_stale else actions
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = []
    for plan, in_plan in groupby(page.object_list, key=lambda a: a.issue.priority.plan):
        priorities = [(priority, list(items)) for priority, items in groupby(in_plan, key=lambda a: a.issue.priority)]
        groups.append((plan, priorities))
    plans = list(
        ActionPlan.objects.for_user(request.user)
        .current()
        .select_related("partnership")
        .order_by("partnership__name", "-start_year")
    )
    partnerships = {plan.partnership_id: plan.partnership for plan in plans}
    if len(partnerships) == 1:
        show_partnership(request, next(iter(partnerships.values())))
    pages = partnership_pages(request.user, sorted(partnerships.values(), key=lambda p: p.name), today=today)
    return render(
        request,
        "actions/my_actions.html",
        {
            "groups": groups,
            "page": page,
            "total": len(actions),
            "stale_count": stale_count,
            "only_stale": only_stale,
            "plans": plans,
            "partnership_pages": list(pages.values()),
            "duties": duties_to_mark_done(request.user, today=today),
            "several_partnerships": len(partnerships) > 1,
            "proposals": withhold_texts(request.user, my_proposals(request.user)),
            "open_rounds": _open_rounds(actions),
            "page_title": "My actions",
        },
    )


def _open_rounds(actions):
    """The open update rounds asking about any of these actions: (round, a plan of it for the link)."""
    open_ones = (
        UpdateRound.objects.filter(state=UpdateRound.State.OPEN, actions__in=[a.pk for a in actions if a.is_open])
        .distinct()
        .select_related("meeting")
        .prefetch_related("plans")
        .order_by("deadline")
    )
    return [(r, min(r.plans.all(), key=lambda plan: plan.pk)) for r in open_ones]


@login_required
@require_safe
def my_actions(request):
    return render_my_actions(request)
