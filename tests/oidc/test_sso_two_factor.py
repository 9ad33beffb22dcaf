"""Single sign-on meets two-factor authentication (partners.twofactor), against the real
provider: its own multi-factor authentication is trusted, a password alone is not."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.models import Role
from tests import factories as f
from tests.oidc.provider import USERS
from tests.oidc.test_single_sign_on import sso_sign_in

pytestmark = pytest.mark.django_db


def test_an_admin_whose_provider_asserted_mfa_is_not_asked_for_a_second_factor(settings, client, sso, partnership):
    settings.TWO_FACTOR_REQUIRED = True
    mo = f.UserFactory(username="mo", email="mo@council.example")
    f.RoleFactory(user=mo, partnership=partnership, role=Role.Kind.ADMIN)
    sso_sign_in(client, sso, "mo")
    assert client.get(reverse("home")).status_code == 200


def test_a_password_only_provider_sign_in_still_owes_the_apps_second_factor(client, sso, partnership, team):
    alice = f.UserFactory(username="alice", email=USERS["alice"]["email"], teams=[team])
    f.RoleFactory(user=alice, partnership=partnership, role=Role.Kind.OFFICER)
    TOTPDevice.objects.create(user=alice, name="Phone", confirmed=True)
    sso_sign_in(client, sso, "alice")
    assert client.get(reverse("home"))["Location"].startswith(reverse("twofactor:verify"))
