"""Site-wide pages: home, health check, accessibility statement, account, password reset."""

import hashlib

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from actions.views.mine import render_my_actions
from partners.models import ReminderPreference
from plans.views.plan import plan_list

from . import throttle


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


# Search engines may read the published plans (/public/) and nothing else: every other
# page is behind sign-in or says noindex (base.html).
ROBOTS_TXT = "User-agent: *\nAllow: /public/\nDisallow: /\n"


@require_safe
def robots_txt(request):
    return HttpResponse(ROBOTS_TXT, content_type="text/plain")


@require_safe
def accessibility(request):
    return render(request, "accessibility.html", {"page_title": "Accessibility statement"})


@login_required
@require_safe
def account(request):
    roles = request.user.roles.select_related("partnership")
    teams = request.user.teams.select_related("organisation")
    context = {
        "roles": roles,
        "teams": teams,
        "stale_digest": ReminderPreference.digest_for(request.user),
        "page_title": "Your account",
    }
    return render(request, "account.html", context)


# Password reset emails per address and requests per client (IP) within an hour of the last.
RESETS_PER_ADDRESS = 3
RESETS_PER_CLIENT = 20


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled per email address and per client. A throttled
    request gets the same answer as any other, so it tells nobody whether an account
    exists, but no email is sent. The email names the service, not the host and port."""

    @property
    def extra_email_context(self):
        return {"site_name": settings.SITE_NAME}

    def form_valid(self, form):
        address = hashlib.sha256(form.cleaned_data["email"].strip().lower().encode()).hexdigest()
        allowed = [  # both counted, whichever refuses
            throttle.allow(f"password-reset:address:{address}", limit=RESETS_PER_ADDRESS),
            throttle.allow(
                f"password-reset:client:{self.request.META.get('REMOTE_ADDR', '')}", limit=RESETS_PER_CLIENT
            ),
        ]
        if all(allowed):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())
