"""Middleware of the partners app: the second factor owed after signing in."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from . import twofactor

# Pages a person who still owes a second factor may reach (URL names).
_ALWAYS = {"logout", "accessibility", "healthz", "otp_webauthn:js-i18n-catalog"}
ALLOWED = {
    twofactor.VERIFY: _ALWAYS
    | {
        "twofactor:verify",
        "twofactor:recovery",
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
    },
    twofactor.SETUP: _ALWAYS
    | {
        "twofactor:setup",
        "otp_webauthn:credential-registration-begin",
        "otp_webauthn:credential-registration-complete",
    },
}


class TwoFactorMiddleware:
    """A signed-in person who must enter a code (or set up an authenticator app first)
    is sent to that page from every other page until it is done. Also notes when each
    session was last used (``twofactor.touch_session``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        twofactor.touch_session(request)
        state = twofactor.session_state(request)
        if state == twofactor.OK:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in ALLOWED[state]:
            return None
        target = reverse("twofactor:verify" if state == twofactor.VERIFY else "twofactor:setup")
        return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
