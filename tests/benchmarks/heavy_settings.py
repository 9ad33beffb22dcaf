"""Settings for ``bench_heavy.py``: production settings (DEBUG off) read from the environment,
with static files served from their folders so no ``collectstatic`` is needed."""

from csp.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The benchmarks' people sign in with a password alone (production asks chairs and admins
# for a second factor: docs/administration.md), so their pages are timed, not the set-up.
TWO_FACTOR_REQUIRED = False
