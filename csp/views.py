"""Site-wide pages: home, health check, accessibility statement, account."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from actions.views.mine import render_my_actions
from plans.views.plan import plan_list


@login_required
@require_safe
def home(request):
    """Officers (people in a team) start on My actions, with their plans below it; chairs and
    administrators without a team start on the list of their plans."""
    if request.user.team_ids():
        return render_my_actions(request)
    return plan_list(request)


@require_GET
@never_cache
def healthz(request):
    """200 when the database answers, 503 when it does not (for load balancers and monitors)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "unhealthy"
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


@require_safe
def accessibility(request):
    return render(request, "accessibility.html", {"page_title": "Accessibility statement"})


@login_required
@require_safe
def account(request):
    roles = request.user.roles.select_related("partnership")
    teams = request.user.teams.select_related("organisation")
    return render(request, "account.html", {"roles": roles, "teams": teams, "page_title": "Your account"})
