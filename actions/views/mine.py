"""My actions: the signed-in officer's home. The actions their teams (or organisation) own in
current plans, grouped by plan and priority, the stalest first."""

from datetime import timedelta
from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from plans.access import plans_for_user
from plans.models import ActionPlan

from ..models import Action, Status

PAGE_SIZE = 50


def my_actions_queryset(user):
    """The user's owned actions in plans that are not archived, with their last update date, stalest first."""
    owned = Action.objects.owned_by_user(user).values("pk")
    return (
        Action.objects.filter(pk__in=owned)
        .exclude(issue__priority__plan__status=ActionPlan.Status.ARCHIVED)
        .select_related("issue__priority__plan__partnership")
        .with_last_update()
        .order_by(
            "issue__priority__plan__partnership__name",
            "-issue__priority__plan__start_year",
            "issue__priority__plan_id",
            "issue__priority__number",
            F("last_update_on").asc(nulls_first=True),
            "created_at",
            "pk",
        )
    )


def needs_update(action, *, interval_days, today):
    """Open, and nothing added for longer than the interval (from ``with_last_update``: no query)."""
    if action.status != Status.OPEN:
        return False
    last = action.last_update_on or timezone.localdate(action.created_at)
    return today - last > timedelta(days=interval_days)


def render_my_actions(request):
    """The page itself (also served at the site root for people who belong to a team)."""
    today = timezone.localdate()
    actions = list(my_actions_queryset(request.user))
    for action in actions:
        interval = action.issue.priority.plan.partnership.update_interval_days
        action.needs_update = needs_update(action, interval_days=interval, today=today)
    stale_count = sum(1 for action in actions if action.needs_update)
    only_stale = request.GET.get("stale") == "1"
    shown = [action for action in actions if action.needs_update] if only_stale else actions
    page = Paginator(shown, PAGE_SIZE).get_page(request.GET.get("page"))
    groups = []
    for plan, in_plan in groupby(page.object_list, key=lambda a: a.issue.priority.plan):
        priorities = [(priority, list(items)) for priority, items in groupby(in_plan, key=lambda a: a.issue.priority)]
        groups.append((plan, priorities))
    plans = list(
        plans_for_user(request.user)
        .current()
        .select_related("partnership")
        .order_by("partnership__name", "-start_year")
    )
    partnerships = {plan.partnership_id: plan.partnership for plan in plans}
    if len(partnerships) == 1:
        request.current_partnership = next(iter(partnerships.values()))
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
            "page_title": "My actions",
        },
    )


@login_required
def my_actions(request):
    return render_my_actions(request)
