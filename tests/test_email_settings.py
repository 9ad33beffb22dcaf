"""Email settings: GOV.UK Notify can be chosen by the environment, and links in emails follow
the address the development server serves on."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTIFY = "django_gov_notify.backends.NotifyEmailBackend"
SHOW = (
    "import django, json; django.setup(); from django.conf import settings; from django.core.mail import mailers; "
    "print(json.dumps({'backend': type(mailers.default).__module__ + '.' + type(mailers.default).__name__, "
    "'site_url': settings.SITE_URL, 'key': settings.GOVUK_NOTIFY_API_KEY}))"
)


def _settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("EMAIL_BACKEND", "SITE_URL", "PORT")}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "csp.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_gov_uk_notify_can_be_selected_as_the_email_backend():
    result = _settings(
        EMAIL_BACKEND=NOTIFY,
        GOVUK_NOTIFY_API_KEY="test_key-00000000-0000-0000-0000-000000000000-00000000-0000-0000-0000-000000000000",
        GOVUK_NOTIFY_PLAIN_EMAIL_TEMPLATE_ID="00000000-0000-0000-0000-000000000000",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.splitlines()[-1])["backend"] == NOTIFY


def test_notify_without_its_key_stops_the_start():
    result = _settings(EMAIL_BACKEND=NOTIFY)
    assert result.returncode != 0
    assert "GOVUK_NOTIFY_API_KEY" in result.stderr


def test_development_links_use_the_port_the_server_runs_on():
    result = _settings(PORT="8104")
    assert json.loads(result.stdout.splitlines()[-1])["site_url"] == "http://127.0.0.1:8104"


def test_a_configured_site_address_wins():
    result = _settings(PORT="8104", SITE_URL="https://csp.example.org/")
    assert json.loads(result.stdout.splitlines()[-1])["site_url"] == "https://csp.example.org"
