"""Signing in and out, with single sign-on (OpenID Connect) and local passwords each switchable.

The authorization request and callback are mozilla-django-oidc's views with the provider
found lazily (partners.sso); a refused sign-in lands on a page that says why.
"""

import functools
import logging

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.admin import AdminSite
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ..sso import (
    PROVIDER_MFA_SESSION_KEY,
    REFUSAL_SESSION_KEY,
    Refusal,
    endpoint,
    provider_logout_url,
    provider_says_mfa,
)

logger = logging.getLogger(__name__)


def _sso_context():
    return {
        "sso_enabled": settings.SSO_ENABLED,
        "sso_provider_name": settings.SSO_PROVIDER_NAME,
        "local_passwords": settings.LOCAL_PASSWORDS,
    }


class SignInView(auth_views.LoginView):
    """The sign-in page: the password form when local passwords are on, the SSO button when SSO is."""

    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            session_minutes=settings.SESSION_COOKIE_AGE // 60,
            failure_limit=settings.AXES_FAILURE_LIMIT,
            **_sso_context(),
            **kwargs,
        )
        # Not Django's "current site" (the host and port): the service's name.
        context["site_name"] = settings.SITE_NAME
        return context

    def post(self, request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise PermissionDenied("This installation signs people in by single sign-on only.")
        return super().post(request, *args, **kwargs)


def local_passwords_only(view):
    """The password reset and change pages exist only while local passwords are on."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            raise Http404("Passwords are not kept by this installation.")
        return view(request, *args, **kwargs)

    return wrapped


def admin_login(request, extra_context=None):
    """The Django admin's sign-in: its password form, or this site's SSO sign-in when passwords are off."""
    if settings.LOCAL_PASSWORDS:
        from django.contrib import admin

        return AdminSite.login(admin.site, request, extra_context)
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), settings.LOGIN_URL)


class _AuthenticateView(OIDCAuthenticationRequestView):
    def __init__(self, *args, **kwargs):
        # The library reads the endpoint at construction; here it is found when a request needs it.
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        self.OIDC_OP_AUTH_ENDPOINT = endpoint("authorization_endpoint")
        return super().get(request)


class _CallbackView(OIDCAuthenticationCallbackView):
    @property
    def failure_url(self):
        return reverse("sso_refused")

    def get(self, request):
        request.session.pop(REFUSAL_SESSION_KEY, None)
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException) as error:
            # A tampered state, nonce or ID token, or a provider that does not answer.
            logger.warning("Single sign-on failed: %s", error)
            request.session[REFUSAL_SESSION_KEY] = Refusal.FAILED
            return self.login_failure()

    def login_success(self):
        response = super().login_success()
        claims = getattr(self.request, "sso_id_claims", {})
        if provider_says_mfa(claims):
            self.request.session[PROVIDER_MFA_SESSION_KEY] = True
            try:
                from ..twofactor import mark_verified_by_provider
            except ImportError:  # the two-factor work lands separately (issue 18)
                mark_verified_by_provider = None
            if mark_verified_by_provider is not None:
                mark_verified_by_provider(self.request)
        return response


def _sso_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not settings.SSO_ENABLED:
            raise Http404("Single sign-on is not set up here.")
        try:
            return view(request, *args, **kwargs)
        except (requests.RequestException, ImproperlyConfigured) as error:
            logger.error("Single sign-on unavailable: %s", error)
            request.session[REFUSAL_SESSION_KEY] = Refusal.FAILED
            return redirect("sso_refused")

    return wrapped


sso_start = require_safe(never_cache(_sso_only(_AuthenticateView.as_view())))
sso_start.__doc__ = "Send the browser to the provider, with state, nonce and a PKCE challenge in the session."
sso_callback = require_safe(never_cache(_sso_only(_CallbackView.as_view())))
sso_callback.__doc__ = "The provider sends the browser back here with a code: check it and sign the person in."

REFUSAL_REASONS = {
    Refusal.UNVERIFIED: "Your organisation's account does not confirm that your email address is verified.",
    Refusal.UNTRUSTED_DOMAIN: "Your email address is not in a domain this service accepts for single sign-on.",
    Refusal.UNKNOWN: "There is no account here for your email address. Ask your partnership's administrator "
    "to invite you.",
    Refusal.AMBIGUOUS: "More than one account here has your email address. Ask your partnership's administrator "
    "to sort this out.",
    Refusal.LINKED_ELSEWHERE: "The account with your email address is linked to another single sign-on identity. "
    "Ask your partnership's administrator.",
    Refusal.INACTIVE: "Your account here has been deactivated. Ask your partnership's administrator.",
    Refusal.FAILED: "Signing in with your organisation's account did not complete. Try again.",
}


@require_safe
@never_cache
def sso_refused(request):
    """Why single sign-on did not sign the person in."""
    reason = request.session.get(REFUSAL_SESSION_KEY, Refusal.FAILED)
    context = {
        "reason": REFUSAL_REASONS.get(reason, REFUSAL_REASONS[Refusal.FAILED]),
        "page_title": "You could not be signed in",
        **_sso_context(),
    }
    return render(request, "registration/sso_refused.html", context, status=403)


@require_POST
def sign_out(request):
    """Sign out here, and at the provider too when the session began there (its end_session_endpoint)."""
    url = provider_logout_url(request)
    auth.logout(request)
    return redirect(url)
