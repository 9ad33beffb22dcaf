"""Start and stop the real OpenID Connect provider of tests/oidc/provider.mjs (npm oidc-provider)."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

SCRIPT = Path(__file__).with_name("provider.mjs")
ROOT = SCRIPT.parents[2]
CLIENT_ID = "csp-test-client"
CLIENT_SECRET = "csp-test-secret-not-used-anywhere-else"  # noqa: S105 - a test client's secret

# The people the provider knows: id -> claims and how they signed in (amr).
COUNCIL = "council.example"
USERS = {
    "alice": {"email": f"alice@{COUNCIL}", "email_verified": True, "amr": ["pwd"]},
    "mo": {"email": f"Mo@{COUNCIL.upper()}", "email_verified": True, "amr": ["pwd", "mfa"]},
    "bob": {"email": f"bob@{COUNCIL}", "email_verified": False, "amr": ["pwd"]},
    "eve": {"email": "eve@elsewhere.example", "email_verified": True, "amr": ["pwd"]},
    "nobody": {"email": f"nobody@{COUNCIL}", "email_verified": True, "amr": ["pwd"]},
    "newcomer": {"email": f"newcomer@{COUNCIL}", "email_verified": True, "amr": ["pwd"]},
    "entra": {"email": f"entra@{COUNCIL}", "xms_edov": True, "amr": ["pwd"]},
    "impostor": {"email": f"alice@{COUNCIL}", "email_verified": True, "amr": ["pwd"]},
}


@dataclass
class Provider:
    issuer: str
    redirect_uri: str
    post_logout_redirect_uri: str


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def running_provider(redirect_uri, post_logout_redirect_uri, users=USERS):
    """Run the provider on a free port until the block ends; yields a ``Provider``."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "oidc-provider").exists():
        message = "Node.js and npm's oidc-provider are needed (make install)"
        if os.environ.get("REQUIRE_OIDC_PROVIDER"):
            pytest.fail(message)
        pytest.skip(message)
    port = _free_port()
    env = {
        "PATH": str(Path(node).parent),
        "PORT": str(port),
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "REDIRECT_URI": redirect_uri,
        "POST_LOGOUT_REDIRECT_URI": post_logout_redirect_uri,
        "USERS": json.dumps(users),
    }
    process = subprocess.Popen(  # noqa: S603 - our own script
        [node, str(SCRIPT)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        line = process.stdout.readline()  # blocks until it listens (or ends)
        if not line.startswith("ready "):
            pytest.fail(f"The OpenID Connect provider did not start: {line!r}")
        yield Provider(line.split()[1], redirect_uri, post_logout_redirect_uri)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()


def use_provider(settings, provider):
    """Point the app's settings at ``provider`` (single sign-on on) and trust nothing yet."""
    from partners.sso import forget_discovery

    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.SSO_ENABLED = True
    settings.SSO_PROVIDER_NAME = "Council account"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "partners.sso.SsoBackend"]
    forget_discovery()
