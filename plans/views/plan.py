"""Plan pages."""

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.shortcuts import render

from actions.models import Action

from ..access import get_plan_for_user
from ..models import Issue


@login_required
def plan_detail(request, slug):
    """The whole plan, priority by priority, issue by issue, action by action."""
    plan = get_plan_for_user(request, slug)
    request.current_partnership = plan.partnership
    actions = Action.objects.prefetch_related("owner_teams", "owner_organisations", "owner_groups").with_last_update()
    priorities = plan.priorities.prefetch_related(
        Prefetch("issues", queryset=Issue.objects.prefetch_related(Prefetch("actions", queryset=actions)))
    )
    return render(
        request, "plans/plan_detail.html", {"plan": plan, "priorities": priorities, "page_title": plan.full_title}
    )
