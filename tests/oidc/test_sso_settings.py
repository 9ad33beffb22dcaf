"""Single sign-on's environment: on only with a client id, refused when incomplete, and
LOCAL_PASSWORDS=0 only with single sign-on."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SSO = {"OIDC_RP_CLIENT_ID": "client", "OIDC_RP_CLIENT_SECRET": "secret"}
PRINT = (
    "import json, csp.settings as s; print(json.dumps([s.SSO_ENABLED, s.LOCAL_PASSWORDS, "
    "s.AUTHENTICATION_BACKENDS, s.SECURE_CSP['form-action']]))"
)


def load(**environ):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OIDC_", "SSO_", "LOCAL_PASSWORDS"))}
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", PRINT],
        cwd=ROOT,
        env={**env, **environ, "DJANGO_SETTINGS_MODULE": "csp.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_single_sign_on_is_off_without_a_client_id():
    enabled, local, backends, _ = json.loads(load().stdout)
    assert (enabled, local) == (False, True)
    assert "partners.sso.SsoBackend" not in backends


def test_single_sign_on_on_adds_its_backend_and_lets_sign_out_reach_the_provider():
    enabled, local, backends, form_action = json.loads(
        load(**SSO, OIDC_OP_ISSUER="https://login.example/tenant/v2.0", LOCAL_PASSWORDS="0").stdout
    )
    assert (enabled, local) == (True, False)
    assert backends == ["axes.backends.AxesStandaloneBackend", "partners.sso.SsoBackend"]
    assert "https://login.example" in form_action


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({**SSO}, "OIDC_OP_ISSUER"),
        ({"OIDC_RP_CLIENT_ID": "client", "OIDC_OP_ISSUER": "https://login.example"}, "OIDC_RP_CLIENT_SECRET"),
        ({"LOCAL_PASSWORDS": "0"}, "LOCAL_PASSWORDS=0 needs single sign-on"),
    ],
)
def test_an_incomplete_set_up_stops_the_start(environ, message):
    result = load(**environ)
    assert result.returncode != 0
    assert message in result.stderr
