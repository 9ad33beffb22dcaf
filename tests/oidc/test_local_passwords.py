"""LOCAL_PASSWORDS=0: people sign in only by single sign-on; the password pages are gone."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def sso_only(settings):
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_OP_ISSUER = "https://login.example"
    settings.SSO_ENABLED = True
    settings.SSO_PROVIDER_NAME = "Council account"
    settings.LOCAL_PASSWORDS = False
    settings.AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "partners.sso.SsoBackend"]


def test_the_sign_in_page_offers_only_single_sign_on(client, sso_only):
    text = client.get(reverse("login")).text
    assert "Sign in with Council account" in text
    assert 'name="password"' not in text
    assert reverse("password_reset") not in text


def test_a_password_sign_in_is_refused(client, sso_only, officer):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


def test_the_password_backend_is_off_even_for_a_direct_attempt(sso_only, officer, rf):
    from django.contrib.auth import authenticate

    assert authenticate(rf.post("/"), username="officer", password=PASSWORD) is None


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("password_reset", {}),
        ("password_reset_done", {}),
        ("password_reset_confirm", {"uidb64": "MQ", "token": "x"}),
        ("password_reset_complete", {}),
        ("password_change", {}),
        ("password_change_done", {}),
    ],
)
def test_the_password_pages_are_gone(client, sso_only, officer, name, kwargs):
    client.force_login(officer, backend="partners.sso.SsoBackend")
    assert client.get(reverse(name, kwargs=kwargs)).status_code == 404


def test_the_admin_sign_in_sends_superusers_to_single_sign_on(client, sso_only):
    response = client.get("/django-admin/login/?next=/django-admin/")
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/django-admin/"


def test_a_superuser_signed_in_by_single_sign_on_uses_the_admin(client, sso_only, superuser):
    client.force_login(superuser, backend="partners.sso.SsoBackend")
    assert client.get("/django-admin/").status_code == 200


def test_with_passwords_on_the_admin_keeps_its_password_form(client, db):
    assert client.get("/django-admin/login/").status_code == 200


def test_a_new_person_joins_by_single_sign_on_not_a_password(client, sso_only, partnership, admin):
    _, raw = services.invitation_create(
        partnership=partnership, email="new@council.example", role=Role.Kind.OFFICER, invited_by=admin, site_url=""
    )
    url = reverse("partners:invitation", args=[raw])
    page = client.get(url).text
    assert "Sign in with Council account" in page
    assert 'name="password1"' not in page
    client.post(url, {"password1": "a long new passphrase", "password2": "a long new passphrase"})
    assert not f.UserFactory._meta.model.objects.filter(email="new@council.example").exists()


def test_with_both_on_a_new_person_may_choose(client, settings, partnership, admin):
    settings.SSO_ENABLED = True
    settings.SSO_PROVIDER_NAME = "Council account"
    _, raw = services.invitation_create(
        partnership=partnership, email="new@council.example", role=Role.Kind.OFFICER, invited_by=admin, site_url=""
    )
    page = client.get(reverse("partners:invitation", args=[raw])).text
    assert "Sign in with Council account" in page
    assert 'name="password1"' in page
