"""Single sign-on with OpenID Connect (mozilla-django-oidc), see docs/single-sign-on.md.

The provider is trusted only for the email domains in ``SsoDomain``. A person is matched,
on their first SSO sign-in, to the account an administrator invited, by a verified email
address; later sign-ins match the provider's subject (``SsoIdentity``). No account and no
role is ever made from what the provider says: a pending invitation to that address is
accepted with exactly the role and teams it was sent with.
"""

import logging
import threading
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation, ValidationError
from django.db import transaction
from django.shortcuts import resolve_url
from django.utils import timezone
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import Invitation, SsoDomain, SsoIdentity
from .services import invitation_accept

logger = logging.getLogger(__name__)

# Why a sign-in was refused, kept in the session for the refusal page.
REFUSAL_SESSION_KEY = "sso_refusal"
# Set when the provider asserted a second factor for this session.
PROVIDER_MFA_SESSION_KEY = "sso_provider_mfa"


class Refusal:
    UNVERIFIED = "unverified"
    UNTRUSTED_DOMAIN = "untrusted_domain"
    UNKNOWN = "unknown"
    AMBIGUOUS = "ambiguous"
    LINKED_ELSEWHERE = "linked_elsewhere"
    INACTIVE = "inactive"
    FAILED = "failed"


# --- the provider's endpoints: from the environment, else discovered once per process ---

_discovered = {}
_discovery_lock = threading.Lock()


def _discovery(issuer):
    """The provider's .well-known/openid-configuration, fetched at the first need and kept."""
    with _discovery_lock:
        if issuer not in _discovered:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            document = response.json()
            if document.get("issuer", "").rstrip("/") != issuer:
                raise ImproperlyConfigured(f"The provider at {issuer} calls itself {document.get('issuer')!r}.")
            _discovered[issuer] = document
        return _discovered[issuer]


def forget_discovery():
    """Drop the discovered endpoints (tests start a new provider)."""
    with _discovery_lock:
        _discovered.clear()


def endpoint(name):
    """An endpoint of the provider ('token_endpoint', …): the setting when given, else discovered."""
    configured = {
        "authorization_endpoint": settings.OIDC_OP_AUTHORIZATION_ENDPOINT,
        "token_endpoint": settings.OIDC_OP_TOKEN_ENDPOINT,
        "userinfo_endpoint": settings.OIDC_OP_USER_ENDPOINT,
        "jwks_uri": settings.OIDC_OP_JWKS_ENDPOINT,
        "end_session_endpoint": settings.OIDC_OP_LOGOUT_ENDPOINT,
    }[name]
    if configured:
        return configured
    return _discovery(settings.OIDC_OP_ISSUER).get(name, "")


def provider_says_mfa(id_claims):
    """Whether the ID token asserts a second factor: an ``amr`` of SSO_MFA_AMR or an ``acr`` of SSO_MFA_ACR."""
    amr = id_claims.get("amr") or []
    if isinstance(amr, str):
        amr = [amr]
    if set(amr) & set(settings.SSO_MFA_AMR):
        return True
    return bool(id_claims.get("acr")) and id_claims.get("acr") in settings.SSO_MFA_ACR


def email_is_verified(*claim_sets):
    """Whether the provider vouches for the email address: one of SSO_EMAIL_VERIFIED_CLAIMS is true
    (``email_verified`` by default; Microsoft Entra ID's ``xms_edov``, see docs/single-sign-on.md)."""
    for claims in claim_sets:
        for name in settings.SSO_EMAIL_VERIFIED_CLAIMS:
            if claims.get(name) is True or str(claims.get(name)).lower() == "true":
                return True
    return False


def axes_whitelisted(request, credentials):
    """django-axes neither counts nor locks single sign-on callbacks (AXES_WHITELIST_CALLABLE):
    they guess no password (the provider guards its own sign-in), and with no username every
    refusal from an office's shared address would otherwise count against all its people."""
    return bool(credentials) and "nonce" in credentials and "username" not in credentials


# --- matching a person ---


class SsoRefused(Exception):
    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason


@transaction.atomic
def sso_match_person(*, issuer, subject, email, email_verified):
    """The active account for a provider's subject and email, or raise ``SsoRefused``.

    The email must be verified by the provider and in a trusted domain. The subject
    links to an account after the first sign-in; the first time, the one account with
    that email address is linked (or a pending invitation to it accepted).
    """
    if email_verified is not True:
        raise SsoRefused(Refusal.UNVERIFIED)
    if not SsoDomain.objects.trusts(email):
        raise SsoRefused(Refusal.UNTRUSTED_DOMAIN)
    identity = SsoIdentity.objects.select_for_update().select_related("user").filter(issuer=issuer, subject=subject)
    identity = identity.first()
    if identity is None:
        users = list(get_user_model().objects.filter(email__iexact=email)[:2])
        if len(users) > 1:
            raise SsoRefused(Refusal.AMBIGUOUS)
        if users:
            user = users[0]
        else:
            invitation = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True).order_by(
                "-created_at"
            )
            invitation = next((each for each in invitation if each.is_usable()), None)
            if invitation is None:
                raise SsoRefused(Refusal.UNKNOWN)
            try:
                user = invitation_accept(invitation=invitation, password=None)
            except ValidationError as error:
                raise SsoRefused(Refusal.UNKNOWN) from error
        if SsoIdentity.objects.filter(user=user).exists():
            raise SsoRefused(Refusal.LINKED_ELSEWHERE)
        identity = SsoIdentity.objects.create(user=user, issuer=issuer, subject=subject)
    if not identity.user.is_active:
        raise SsoRefused(Refusal.INACTIVE)
    identity.last_used_at = timezone.now()
    identity.save(update_fields=["last_used_at"])
    return identity.user


class SsoBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the provider found lazily and this app's matching rules."""

    def __init__(self, *args, **kwargs):
        # No network here: Django builds a backend for every signed-in request.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self):  # noqa: N802 - the name mozilla-django-oidc reads
        return endpoint("token_endpoint")

    @property
    def OIDC_OP_USER_ENDPOINT(self):  # noqa: N802
        return endpoint("userinfo_endpoint")

    @property
    def OIDC_OP_JWKS_ENDPOINT(self):  # noqa: N802
        return endpoint("jwks_uri")

    def authenticate(self, request, **kwargs):
        # Only the callback carries a code; password sign-ins pass by.
        if request is None or "code" not in request.GET or "nonce" not in kwargs:
            return None
        self.id_claims = {}
        return super().authenticate(request, **kwargs)

    def _verify_jws(self, payload, key):
        """Signature, algorithm, issuer, audience and expiry of the ID token (the library skips the audience)."""
        try:
            algorithm = jwt.get_unverified_header(payload).get("alg")
            if algorithm != self.OIDC_RP_SIGN_ALGO:
                raise SuspiciousOperation(f"ID token signed with {algorithm!r}, not {self.OIDC_RP_SIGN_ALGO}.")
            return jwt.decode(
                payload,
                key,
                algorithms=[algorithm],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_OP_ISSUER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        self.id_claims = payload
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The userinfo subject is not the ID token's.")
        try:
            user = sso_match_person(
                issuer=settings.OIDC_OP_ISSUER,
                subject=payload["sub"],
                email=claims.get("email") or payload.get("email") or "",
                email_verified=email_is_verified(claims, payload),
            )
        except SsoRefused as refused:
            logger.info("Single sign-on refused (%s) for subject %s", refused.reason, payload.get("sub"))
            self.request.session[REFUSAL_SESSION_KEY] = refused.reason
            return None
        # The callback view reads these after signing the person in.
        self.request.sso_id_claims = payload
        return user


def provider_logout_url(request):
    """Where signing out sends the browser: the provider's end_session_endpoint when the
    session began there, then back to the sign-in page; else straight to the sign-in page."""
    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    id_token = request.session.get("oidc_id_token")
    if not settings.SSO_ENABLED or not id_token:
        return resolve_url(settings.LOGOUT_REDIRECT_URL)
    try:
        end_session = endpoint("end_session_endpoint")
    except (requests.RequestException, ImproperlyConfigured):
        logger.warning("The provider's end_session_endpoint could not be read; signed out here only.")
        end_session = ""
    if not end_session:
        return resolve_url(settings.LOGOUT_REDIRECT_URL)
    query = urlencode(
        {"id_token_hint": id_token, "post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    )
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
