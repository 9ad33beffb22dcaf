"""Two-factor authentication: who must use it, the session's state, authenticator apps
(django-otp's TOTP devices), one-time recovery codes (hashed), resets by an administrator,
and the signed-in sessions a person can see and end.

The session remembers how far the person got since signing in (``STATE_KEY``):

- ``"ok"``: nothing more to do (no second factor needed, a code was entered, or the
  identity provider asserted its own multi-factor authentication: ``mark_verified_by_provider``);
- ``"verify"``: the person has an authenticator app and must enter a code;
- ``"setup"``: the policy requires a second factor the person has not set up yet.

``partners.middleware.two_factor`` lets a session in the last two states reach only the
pages that end them (and signing out). The state is decided when the person signs in, so
a policy change applies from their next sign-in.
"""

import base64
import binascii
import datetime
import ipaddress
import secrets
import time
from importlib import import_module

import segno
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from django_otp_webauthn.models import WebAuthnCredential

from .models import Partnership, RecoveryCode, Role, User, UserSession

STATE_KEY = "twofactor_state"
PROVIDER_KEY = "twofactor_by_provider"
SETUP_KEY = "twofactor_setup_key"
SEEN_KEY = "twofactor_seen"
OK, VERIFY, SETUP = "ok", "verify", "setup"
# How often a session's "last seen" is written (seconds): not on every page.
SEEN_EVERY = 5 * 60


# Policy


def is_required(user):
    """Must ``user`` use a second factor? With ``TWO_FACTOR_REQUIRED`` (on in production),
    superusers, administrators and chairs (who read OFFICIAL-SENSITIVE notes) must; anyone
    with a role in a partnership that requires it of everyone must, whatever the setting."""
    if not user.is_authenticated:
        return False
    senior = user.is_superuser or Role.objects.filter(user=user, role__in=[Role.Kind.ADMIN, Role.Kind.CHAIR]).exists()
    if settings.TWO_FACTOR_REQUIRED and senior:
        return True
    return Partnership.objects.filter(roles__user=user, two_factor_for_everyone=True).exists()


def devices_of(user):
    """The person's authenticator apps."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def passkeys_of(user):
    """The person's passkeys and security keys (django-otp-webauthn)."""
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_device(user):
    return devices_of(user).exists() or passkeys_of(user).exists()


def state_at_sign_in(user):
    if has_device(user):
        return VERIFY
    if is_required(user):
        return SETUP
    return OK


# The session


def session_state(request):
    """The second-factor state of this signed-in session (decided now for a session
    that predates two-factor authentication)."""
    state = request.session.get(STATE_KEY)
    if state not in (OK, VERIFY, SETUP):
        state = state_at_sign_in(request.user)
        request.session[STATE_KEY] = state
    verified = getattr(request.user, "is_verified", None)
    if state != OK and request.session.get(DEVICE_ID_SESSION_KEY) and verified and verified():
        # A device django-otp verified for this session (a passkey: django-otp-webauthn's views).
        state = request.session[STATE_KEY] = OK
    return state


def is_satisfied(request):
    return session_state(request) == OK


def mark_verified_by_provider(request):
    """The identity provider (single sign-on) asserted multi-factor authentication for the
    person just signed in: the app does not ask for its own second factor in this session.
    Call it after ``django.contrib.auth.login``."""
    request.session[PROVIDER_KEY] = True
    request.session[STATE_KEY] = OK


def verified_by_provider(request):
    return bool(request.session.get(PROVIDER_KEY))


def mark_verified(request, device=None):
    if device is not None:
        otp_login(request, device)
    request.session[STATE_KEY] = OK
    request.session.pop(SETUP_KEY, None)


def signed_in(sender, request, user, **kwargs):
    """On ``user_logged_in``: decide the session's second-factor state and note the session
    so the person can see and end it."""
    if request is None or not hasattr(request, "session"):
        return
    # A device verified before this sign-in does not count for it.
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[STATE_KEY] = state_at_sign_in(user)
    request.session[SEEN_KEY] = time.time()
    if request.session.session_key:
        record_session(request, user)


def record_session(request, user):
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
            "ip_address": shorten_ip(request.META.get("REMOTE_ADDR", "")),
            "last_seen_at": timezone.now(),
        },
    )


def touch_session(request):
    """Note that this session was used, at most every ``SEEN_EVERY`` seconds."""
    seen = request.session.get(SEEN_KEY, 0)
    now = time.time()
    if now - seen < SEEN_EVERY or not request.session.session_key:
        return
    request.session[SEEN_KEY] = now
    updated = UserSession.objects.filter(session_key=request.session.session_key, user=request.user).update(
        last_seen_at=timezone.now()
    )
    if not updated:  # a new key (after a password change): note it afresh
        record_session(request, request.user)


def shorten_ip(address):
    """The network, not the machine: 203.0.113.7 -> 203.0.113.0/24; IPv6 to its /48."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def active_sessions(user):
    """The person's sessions still alive in the session store, most recent first."""
    alive = Session.objects.filter(expire_date__gt=timezone.now()).values("session_key")
    return UserSession.objects.filter(user=user, session_key__in=alive)


def _delete_stored_session(session_key):
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore(session_key).delete(session_key)


@transaction.atomic
def session_end(*, user, user_session):
    """Sign the browser of ``user_session`` out at once."""
    if user_session.user_id != user.pk:
        raise ValidationError("This is not your session.")
    _delete_stored_session(user_session.session_key)
    user_session.delete()


def forget_sessions(user):
    """End every recorded session of ``user`` (expired or not) and drop the records."""
    for session_key in UserSession.objects.filter(user=user).values_list("session_key", flat=True):
        _delete_stored_session(session_key)
    UserSession.objects.filter(user=user).delete()


# Authenticator apps (TOTP)


def new_setup_key(request):
    """The secret of the authenticator being set up, kept in the session until confirmed."""
    key = request.session.get(SETUP_KEY)
    if not key:
        key = default_key()
        request.session[SETUP_KEY] = key
    return key


def setup_details(user, key):
    """What the set-up page shows: a QR code (inline SVG, no script) and the key to type."""
    device = TOTPDevice(user=user, key=key)
    qr = segno.make(device.config_url, error="m")
    svg = qr.svg_inline(scale=5, title="QR code to scan with your authenticator app")
    typed = base64.b32encode(binascii.unhexlify(key)).decode().rstrip("=")
    return {"qr_svg": svg, "typed_key": " ".join(typed[i : i + 4] for i in range(0, len(typed), 4))}


def _matching_t(key, code):
    """The time step ``code`` belongs to (now, or one step either side), else None."""
    code = (code or "").replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = TOTP(binascii.unhexlify(key))
    totp.time = time.time()
    if totp.verify(int(code), tolerance=1):
        return totp.t()
    return None


@transaction.atomic
def authenticator_add(*, user, key, code, name="Authenticator app"):
    """Confirm the authenticator being set up with a code from it. Returns
    ``(device, recovery codes)``: new codes when the person had none left."""
    t = _matching_t(key, code)
    if t is None:
        raise ValidationError("The code is not right. Enter the 6-digit code your app shows now.")
    device = TOTPDevice.objects.create(user=user, key=key, name=name, confirmed=True, last_t=t)
    codes = []
    if not RecoveryCode.objects.filter(user=user, used_at__isnull=True).exists():
        codes = recovery_codes_regenerate(user=user)
    return device, codes


@transaction.atomic
def authenticator_remove(*, user, device):
    """Remove one of the person's authenticator apps or passkeys. Refused for the last one
    when the policy requires a second factor; the recovery codes go with the last one."""
    if device.user_id != user.pk:
        raise ValidationError("This is not your authenticator.")
    others = devices_of(user).exclude(pk=device.pk).count() + passkeys_of(user).count()
    if isinstance(device, WebAuthnCredential):
        others = devices_of(user).count() + passkeys_of(user).exclude(pk=device.pk).count()
    if is_required(user) and others == 0:
        raise ValidationError("You must keep a second factor. Add another before you remove this one.")
    device.delete()
    if not has_device(user):
        RecoveryCode.objects.filter(user=user).delete()


# Recovery codes


def _new_code():
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()[:10]
    return f"{raw[:5]}-{raw[5:]}"


@transaction.atomic
def recovery_codes_regenerate(*, user):
    """New one-time recovery codes for ``user`` (the old ones stop working). Returns the
    codes in clear: shown once, only their hashes are kept."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(settings.TWO_FACTOR_RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, salt=salt, code_hash=RecoveryCode.hash_code(salt, code))
        for code, salt in ((code, secrets.token_hex(8)) for code in codes)
    )
    return codes


def recovery_codes_left(user):
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def _use_recovery_code(user, raw):
    for code in RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True):
        if secrets.compare_digest(code.code_hash, RecoveryCode.hash_code(code.salt, raw)):
            code.used_at = timezone.now()
            code.save(update_fields=["used_at"])
            return code
    return None


# Entering a code after the password (locked out like passwords, by django-axes)


class LockedOut(Exception):
    """Too many wrong codes: the person was signed out and must wait (django-axes' cool-off)."""


def _credentials(user):
    return {"username": user.get_username()}


def _check_not_locked(request):
    if AxesProxyHandler.is_locked(request, _credentials(request.user)):
        logout(request)
        raise LockedOut


def _failed(request):
    """A wrong code counts as a failed sign-in (django-axes): enough of them lock the
    username from this address, as wrong passwords do, and sign the person out."""
    user = request.user
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    if getattr(request, "axes_locked_out", False) or AxesProxyHandler.is_locked(request, _credentials(user)):
        logout(request)
        raise LockedOut


def _succeeded(request):
    AxesProxyHandler.reset_attempts(username=request.user.get_username())


def verify_code(request, code):
    """Check a code from the person's authenticator app; on success the session is verified.
    Returns True or False; raises ``LockedOut``."""
    _check_not_locked(request)
    with transaction.atomic():
        for device in devices_of(request.user).select_for_update():
            if device.verify_token((code or "").replace(" ", "")):
                mark_verified(request, device)
                _succeeded(request)
                return True
    _failed(request)
    return False


def verify_recovery_code(request, code):
    """Use a one-time recovery code instead of the app. Returns True or False; raises ``LockedOut``."""
    _check_not_locked(request)
    with transaction.atomic():
        used = _use_recovery_code(request.user, code)
    if used is None:
        _failed(request)
        return False
    mark_verified(request)
    _succeeded(request)
    return True


# An administrator resets a person's second factor


@transaction.atomic
def second_factor_reset(*, partnership, user, by, end_sessions):
    """Remove every authenticator app, passkey and recovery code of ``user`` (who lost their phone):
    at their next sign-in they set up a new one if the policy requires it. Recorded in the
    person's history (``two_factor_reset_at``, by ``by``), their sessions ended, and the
    person told by email."""
    from .services import can_deactivate  # the same rule: people wholly of this partnership

    if user.pk == by.pk:
        raise ValidationError("You cannot reset your own second factor. Manage it on your account page.")
    if not can_deactivate(partnership=partnership, user=user):
        raise ValidationError(
            f"{user} also has a role in another partnership, or is a superuser: ask the site's administrators."
        )
    TOTPDevice.objects.filter(user=user).delete()
    WebAuthnCredential.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    user.two_factor_reset_at = timezone.now()
    user._change_reason = f"Second factor reset by {by}"
    user.save(update_fields=["two_factor_reset_at"])
    end_sessions(user)
    forget_sessions(user)
    if user.email:
        context = {"person": user, "by": by, "partnership": partnership, "site_name": settings.SITE_NAME}
        transaction.on_commit(
            lambda: send_mail(
                f"Your second factor was reset – {settings.SITE_NAME}",
                render_to_string("partners/twofactor_reset_email.txt", context),
                None,
                [user.email],
            )
        )
    return user


# Accounts that end


def dormant_since(now=None):
    """People not signed in since this moment are dormant (flagged)."""
    return (now or timezone.now()) - datetime.timedelta(days=settings.DORMANT_AFTER_DAYS)


def deactivate_before(now=None):
    return dormant_since(now) - datetime.timedelta(days=settings.DEACTIVATE_AFTER_DORMANT_DAYS)


def not_signed_in_since(moment):
    """Active people (not superusers) whose last sign-in, or joining when they never
    signed in, is before ``moment``."""
    return User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=moment) | Q(last_login__isnull=True, date_joined__lt=moment)
    )


def is_dormant(user, now=None):
    last = user.last_login or user.date_joined
    return user.is_active and last < dormant_since(now)


@transaction.atomic
def deactivate_dormant(*, now=None, end_sessions):
    """Deactivate the people not signed in for ``DORMANT_AFTER_DAYS`` +
    ``DEACTIVATE_AFTER_DORMANT_DAYS``, end their sessions, and tell the administrators of
    their partnerships. Idempotent: people already inactive are left alone. Returns them."""
    people = list(not_signed_in_since(deactivate_before(now)).prefetch_related("roles__partnership"))
    for person in people:
        person.is_active = False
        person._change_reason = "Deactivated: not signed in for too long"
        person.save(update_fields=["is_active"])
        end_sessions(person)
        forget_sessions(person)
    _tell_admins_of_deactivations(people)
    return people


def _tell_admins_of_deactivations(people):
    by_partnership = {}
    for person in people:
        for role in person.roles.all():
            by_partnership.setdefault(role.partnership, []).append(person)
    for partnership, persons in by_partnership.items():
        admins = list(
            User.objects.filter(roles__partnership=partnership, roles__role=Role.Kind.ADMIN, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not admins:
            continue
        context = {
            "partnership": partnership,
            "persons": persons,
            "days": settings.DORMANT_AFTER_DAYS + settings.DEACTIVATE_AFTER_DORMANT_DAYS,
            "site_name": settings.SITE_NAME,
            "site_url": settings.SITE_URL,
        }
        body = render_to_string("partners/dormant_deactivated_email.txt", context)
        subject = f"{len(persons)} account(s) deactivated in {partnership.short_name or partnership}"
        transaction.on_commit(lambda s=subject, b=body, to=admins: send_mail(s, b, None, to))
