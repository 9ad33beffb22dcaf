"""Personal API tokens for the analyst feed: created once, shown once, stored as a hash, revoked at once."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .models import ApiToken

MAX_ACTIVE_TOKENS = 20


@transaction.atomic
def create_api_token(*, user, name):
    """Make a token for ``user``; returns (ApiToken, raw token). The raw token is never stored.
    Refused when the user already has ``MAX_ACTIVE_TOKENS`` tokens not revoked."""
    active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise ValidationError(f"You have {active} tokens; revoke one you no longer use first.")
    raw, prefix, token_hash = ApiToken.new_token()
    token = ApiToken.objects.create(user=user, name=name.strip()[:100], prefix=prefix, token_hash=token_hash)
    return token, raw


@transaction.atomic
def revoke_api_token(*, token):
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


def authenticate_api_token(raw):
    """The active user owning ``raw``, or None. Records when the token was last used."""
    if not raw or len(raw) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(token_hash=ApiToken.hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # At most one write a minute per token: Power BI may refresh often.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
