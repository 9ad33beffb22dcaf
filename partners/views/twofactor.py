"""Two-factor authentication pages: entering a code after the password (or a recovery code),
setting up an authenticator app, new recovery codes, removing an authenticator, ending a
session; and an administrator resetting a person's second factor."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from .. import services, twofactor
from ..access import get_partnership_for_user
from ..forms import AuthenticatorCodeForm, RecoveryCodeForm
from ..models import UserSession
from .people import _person_in


def _next_url(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _locked_out(request):
    return render(
        request, "registration/locked_out.html", {"page_title": "Too many failed sign-in attempts"}, status=429
    )


def _code_page(request, form, check, *, template, title):
    """Enter a code after the password: ``check(request, code)`` says whether it was right."""
    if twofactor.session_state(request) != twofactor.VERIFY:
        return redirect(_next_url(request))
    if request.method == "POST" and form.is_valid():
        try:
            right = check(request, form.cleaned_data["code"])
        except twofactor.LockedOut:
            return _locked_out(request)
        if right:
            return redirect(_next_url(request))
        form.add_error("code", "The code is not right. Check it and try again.")
    context = {
        "form": form,
        "next": _next_url(request),
        "page_title": title,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    return _code_page(
        request,
        AuthenticatorCodeForm(request.POST or None),
        twofactor.verify_code,
        template="partners/twofactor_verify.html",
        title="Enter the code from your authenticator app",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery(request):
    return _code_page(
        request,
        RecoveryCodeForm(request.POST or None),
        twofactor.verify_recovery_code,
        template="partners/twofactor_recovery.html",
        title="Use a recovery code",
    )


def _show_codes(request, codes, *, next_url):
    return render(
        request,
        "partners/twofactor_codes.html",
        {"codes": codes, "next": next_url, "page_title": "Save your recovery codes"},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Add an authenticator app: scan the QR code (or type the key), then confirm with a code.
    The first time, the recovery codes are shown once."""
    key = twofactor.new_setup_key(request)
    form = AuthenticatorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.authenticator_add(user=request.user, key=key, code=form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            twofactor.mark_verified(request, device)
            if codes:
                return _show_codes(request, codes, next_url=_next_url(request))
            messages.success(request, "Your authenticator app was added.")
            return redirect(_next_url(request))
    context = {
        "form": form,
        "next": _next_url(request),
        "required": twofactor.is_required(request.user),
        "first": not twofactor.has_device(request.user),
        "page_title": "Set up an authenticator app",
        **twofactor.setup_details(request.user, key),
    }
    return render(request, "partners/twofactor_setup.html", context, status=400 if form.is_bound else 200)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def codes_regenerate(request):
    """GET: are you sure (the old codes stop working); POST: new codes, shown once."""
    if not twofactor.has_device(request.user):
        messages.error(request, "Set up an authenticator app first.")
        return redirect("account")
    if request.method == "POST":
        codes = twofactor.recovery_codes_regenerate(user=request.user)
        return _show_codes(request, codes, next_url=reverse("account"))
    return render(
        request,
        "partners/twofactor_confirm.html",
        {
            "page_title": "Make new recovery codes",
            "intro": "Your old recovery codes will stop working. You will see the new ones once: save them.",
            "submit_label": "Make new recovery codes",
        },
    )


def _remove_second_factor(request, device, *, removed, page_title, intro, submit_label):
    """Confirm, then remove one of the user's own authenticators or passkeys (refused, with the
    reason, when it is the last way a person who must use two factors can sign in)."""
    if request.method == "POST":
        try:
            twofactor.authenticator_remove(user=request.user, device=device)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, removed)
        return redirect("account")
    context = {"page_title": page_title, "intro": intro, "submit_label": submit_label, "warning": True}
    return render(request, "partners/twofactor_confirm.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def device_remove(request, pk):
    device = get_object_or_404(TOTPDevice, pk=pk, user=request.user, confirmed=True)
    return _remove_second_factor(
        request,
        device,
        removed=f"'{device.name}' was removed.",
        page_title=f"Remove '{device.name}'",
        intro="Codes from this app will no longer let you sign in.",
        submit_label="Remove authenticator",
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request, pk):
    passkey = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user, confirmed=True)
    return _remove_second_factor(
        request,
        passkey,
        removed=f"The passkey '{passkey.name}' was removed.",
        page_title=f"Remove the passkey '{passkey.name}'",
        intro="It will no longer let you sign in. Remove it from your device or password manager too.",
        submit_label="Remove passkey",
    )


@login_required
@require_POST
def session_end(request, pk):
    user_session = get_object_or_404(UserSession, pk=pk, user=request.user)
    current = user_session.session_key == request.session.session_key
    twofactor.session_end(user=request.user, user_session=user_session)
    if current:
        logout(request)
        return redirect("login")
    messages.success(request, "That session was ended: the browser is signed out.")
    return redirect(reverse("account") + "#sessions")


@login_required
@require_http_methods(["GET", "POST"])
def person_reset(request, slug, pk):
    """An administrator removes a person's authenticators and recovery codes (a lost phone)."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    back = reverse("partners:person", args=[partnership.slug, who.pk])
    if request.method == "POST":
        try:
            twofactor.second_factor_reset(
                partnership=partnership, user=who, by=request.user, end_sessions=services.end_sessions
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{who}'s second factor was reset and they were signed out. They were told by email."
            )
        return redirect(back)
    return render(
        request,
        "partners/twofactor_confirm.html",
        {
            "partnership": partnership,
            "person": who,
            "page_title": f"Reset {who}'s second factor",
            "intro": (
                f"This removes {who}'s authenticator apps and recovery codes and signs them out. "
                "Do it only when you are sure who asked (for example, they lost their phone and you called them back). "
                "They will set up a new authenticator at their next sign-in."
            ),
            "submit_label": "Reset second factor",
            "cancel_url": back,
            "warning": True,
        },
    )
