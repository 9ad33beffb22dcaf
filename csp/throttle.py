"""Counting requests per key in the database cache, so every web worker counts together
(Django's default cache lives in one process)."""

from django.core.cache import caches


def allow(key, *, limit):
    """Count one more request for ``key``; True while the count is within ``limit``.

    Counts last as long as the ``throttle`` cache's TIMEOUT after the latest request (each
    count re-stores it). Two workers counting the same key at the same instant may count
    once between them: a throttle, not an exact quota."""
    cache = caches["throttle"]
    if cache.add(key, 1):
        return limit >= 1
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add and incr
        cache.set(key, 1)
        return limit >= 1
