"""Settings for ``bench_heavy.py``: production settings (DEBUG off) read from the environment,
with static files served from their folders so no ``collectstatic`` is needed."""

from csp.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
