"""Action pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ..access import can_see_sensitive, get_action_for_user


@login_required
def action_detail(request, pk):
    action = get_action_for_user(request, pk)
    request.current_partnership = action.plan.partnership
    updates = action.updates.live().select_related("author").order_by("-date", "-order", "-id")
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "updates": updates,
            "can_see_sensitive": can_see_sensitive(request.user, action),
            "page_title": action.text[:60],
        },
    )
