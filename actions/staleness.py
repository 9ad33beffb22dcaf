"""When an action "needs an update", computed from its stored ``last_update_on`` (no query)."""

from datetime import timedelta

from django.utils import timezone

from .models import Status


def needs_update(action, *, interval_days, today):
    """Open, and nothing added for longer than the interval (counted from its creation when it has no update)."""
    if action.status != Status.OPEN:
        return False
    last = action.last_update_on or timezone.localdate(action.created_at)
    return today - last > timedelta(days=interval_days)
