"""Single sign-on against a real OpenID Connect provider (npm oidc-provider) on localhost:
authorization code flow with PKCE, state and nonce, the ID token checked, and each refusal."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.urls import reverse

from partners.models import Invitation, Role, SsoDomain, SsoIdentity, User
from partners.sso import PROVIDER_MFA_SESSION_KEY, SsoBackend
from tests import factories as f
from tests.oidc.provider import USERS

pytestmark = pytest.mark.django_db


def start(client, next_url=""):
    """The app's redirect to the provider's authorization endpoint."""
    response = client.get(reverse("oidc_authentication_init") + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def sign_in_at_provider(provider, authorize_url, user_id):
    """What the browser does at the provider: follow its redirects, signing in as ``user_id``,
    until it is sent back to the app. Returns the app's callback path with its query."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[:500]
        url = urljoin(provider.issuer, response.headers["Location"])
        if url.startswith(provider.redirect_uri):
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
        if urlsplit(url).path.startswith("/interaction/"):
            url += f"?user={user_id}"
    raise AssertionError("The provider never sent the browser back")


def sso_sign_in(client, provider, user_id, next_url=""):
    callback = sign_in_at_provider(provider, start(client, next_url), user_id)
    return client.get(callback)


def signed_in_user(client):
    return User.objects.filter(pk=client.session.get("_auth_user_id")).first()


@pytest.fixture
def alice(partnership, team):
    user = f.UserFactory(username="alice", email=USERS["alice"]["email"], teams=[team])
    f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.OFFICER)
    return user


# --- the request to the provider ---


def test_the_authorization_request_carries_state_nonce_and_a_pkce_challenge(client, sso):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["scope"] == ["openid email profile"]
    assert query["code_challenge_method"] == ["S256"]
    state = query["state"][0]
    assert client.session["oidc_states"][state]["nonce"] == query["nonce"][0]
    assert client.session["oidc_states"][state]["code_verifier"]


def test_sso_pages_are_not_found_when_single_sign_on_is_off(client):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback") + "?code=x&state=y").status_code == 404


def test_a_provider_that_does_not_answer_is_explained(client, sso, settings):
    from partners.sso import forget_discovery
    from tests.oidc.provider import _free_port

    settings.OIDC_OP_ISSUER = f"http://127.0.0.1:{_free_port()}"  # nothing listens there
    forget_discovery()
    response = client.get(reverse("oidc_authentication_init"))
    assert response["Location"] == reverse("sso_refused")
    assert "did not complete" in client.get(response["Location"]).text


def test_a_next_address_on_another_site_is_ignored(client, sso, alice):
    response = sso_sign_in(client, sso, "alice", next_url="https://evil.example/")
    assert response["Location"] == reverse("home")


# --- success ---


def test_an_invited_person_signs_in_by_verified_email_and_keeps_exactly_their_role(client, sso, alice):
    response = sso_sign_in(client, sso, "alice", next_url="/plans/")
    assert response.status_code == 302
    assert response["Location"] == "/plans/"
    assert signed_in_user(client) == alice
    assert list(alice.roles.values_list("role", flat=True)) == [Role.Kind.OFFICER]
    assert SsoIdentity.objects.get(user=alice).subject == "alice"


def test_the_second_sign_in_matches_the_subject_linked_the_first_time(client, sso, alice):
    sso_sign_in(client, sso, "alice")
    client.post(reverse("logout"))
    alice.email = "alice.renamed@council.example"
    alice.save()
    sso_sign_in(client, sso, "alice")
    assert signed_in_user(client) == alice


def test_another_subject_with_the_same_email_is_refused_once_the_account_is_linked(client, sso, alice):
    sso_sign_in(client, sso, "alice")
    client.post(reverse("logout"))
    response = sso_sign_in(client, sso, "impostor")
    assert response["Location"] == reverse("sso_refused")
    assert signed_in_user(client) is None
    assert "linked to another single sign-on identity" in client.get(response["Location"]).text


def test_a_pending_invitation_is_accepted_with_the_role_it_was_sent_with(client, sso, partnership, admin):
    Invitation.objects.create(
        partnership=partnership,
        email=USERS["newcomer"]["email"],
        role=Role.Kind.CHAIR,
        token_hash="x" * 64,
        invited_by=admin,
        expires_at="2999-01-01T00:00Z",
    )
    sso_sign_in(client, sso, "newcomer")
    newcomer = signed_in_user(client)
    assert newcomer.email == USERS["newcomer"]["email"]
    assert list(newcomer.roles.values_list("partnership", "role")) == [(partnership.pk, Role.Kind.CHAIR)]
    assert not newcomer.has_usable_password()


def test_email_case_does_not_matter_for_the_match_or_the_domain(client, sso, partnership):
    mo = f.UserFactory(username="mo", email="mo@council.example")
    sso_sign_in(client, sso, "mo")
    assert signed_in_user(client) == mo


# --- second factor asserted by the provider ---


def test_a_provider_asserting_mfa_marks_the_session(client, sso, partnership):
    f.UserFactory(username="mo", email="mo@council.example")
    sso_sign_in(client, sso, "mo")
    assert client.session[PROVIDER_MFA_SESSION_KEY] is True


def test_a_provider_asserting_mfa_tells_the_two_factor_check(client, sso, partnership, monkeypatch):
    """partners.twofactor (issue 18's two-factor part) is told, so it does not ask again."""
    import sys
    import types

    told = []
    twofactor = types.ModuleType("partners.twofactor")
    twofactor.mark_verified_by_provider = told.append
    monkeypatch.setitem(sys.modules, "partners.twofactor", twofactor)
    mo = f.UserFactory(username="mo", email="mo@council.example")
    sso_sign_in(client, sso, "mo")
    assert [request.user for request in told] == [mo]


def test_a_password_only_sign_in_at_the_provider_does_not(client, sso, alice):
    sso_sign_in(client, sso, "alice")
    assert PROVIDER_MFA_SESSION_KEY not in client.session


def test_an_acr_named_in_the_settings_counts_as_mfa(settings):
    from partners.sso import provider_says_mfa

    settings.SSO_MFA_ACR = ["urn:council:mfa"]
    assert provider_says_mfa({"acr": "urn:council:mfa", "amr": ["pwd"]})
    assert not provider_says_mfa({"acr": "urn:council:password", "amr": ["pwd"]})


# --- refusals ---


def refusal_text(client, response):
    assert response.status_code == 302
    assert response["Location"] == reverse("sso_refused")
    assert signed_in_user(client) is None
    page = client.get(response["Location"])
    assert page.status_code == 403
    return page.text


def test_an_unknown_email_is_refused_and_no_account_is_made(client, sso):
    text = refusal_text(client, sso_sign_in(client, sso, "nobody"))
    assert "no account here for your email address" in text
    assert not User.objects.filter(email__iexact=USERS["nobody"]["email"]).exists()


def test_an_untrusted_domain_is_refused_even_with_an_account(client, sso, partnership):
    f.UserFactory(username="eve", email=USERS["eve"]["email"])
    text = refusal_text(client, sso_sign_in(client, sso, "eve"))
    assert "not in a domain this service accepts" in text


def test_an_unverified_email_is_refused(client, sso, partnership):
    f.UserFactory(username="bob", email=USERS["bob"]["email"])
    text = refusal_text(client, sso_sign_in(client, sso, "bob"))
    assert "does not confirm that your email address is verified" in text


def test_an_address_vouched_for_by_another_claim_counts_only_when_that_claim_is_configured(
    client, sso, partnership, settings
):
    """Microsoft Entra ID sends xms_edov, not email_verified (docs/single-sign-on.md)."""
    entra = f.UserFactory(username="entra", email=USERS["entra"]["email"])
    refusal_text(client, sso_sign_in(client, sso, "entra"))
    settings.SSO_EMAIL_VERIFIED_CLAIMS = ["xms_edov"]
    sso_sign_in(client, sso, "entra")
    assert signed_in_user(client) == entra


def test_a_deactivated_account_is_refused(client, sso, alice):
    alice.is_active = False
    alice.save()
    text = refusal_text(client, sso_sign_in(client, sso, "alice"))
    assert "deactivated" in text


def test_removing_the_domain_refuses_people_already_linked(client, sso, alice):
    sso_sign_in(client, sso, "alice")
    client.post(reverse("logout"))
    SsoDomain.objects.all().delete()
    refusal_text(client, sso_sign_in(client, sso, "alice"))


def test_refusals_do_not_lock_single_sign_on_for_others_at_the_same_address(client, sso, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        someone = type(client)()
        refusal_text(someone, sso_sign_in(someone, sso, "nobody"))
    sso_sign_in(client, sso, "alice")
    assert signed_in_user(client) == alice


def test_a_tampered_state_is_refused(client, sso, alice):
    callback = sign_in_at_provider(sso, start(client), "alice")
    tampered = callback.replace("state=", "state=x")
    text = refusal_text(client, client.get(tampered))
    assert "did not complete" in text


def test_a_callback_without_the_session_that_started_it_is_refused(client, sso, alice):
    callback = sign_in_at_provider(sso, start(client), "alice")
    client.cookies.clear()
    response = client.get(callback)
    assert response["Location"] == reverse("sso_refused")
    assert signed_in_user(client) is None


def test_a_nonce_other_than_the_one_sent_is_refused(client, sso, alice):
    callback = sign_in_at_provider(sso, start(client), "alice")
    session = client.session
    for entry in session["oidc_states"].values():
        entry["nonce"] = "another-nonce"
    session.save()
    refusal_text(client, client.get(callback))


def test_a_code_is_used_once(client, sso, alice):
    callback = sign_in_at_provider(sso, start(client), "alice")
    client.get(callback)
    client.post(reverse("logout"))
    refusal_text(client, client.get(callback))


def test_a_tampered_id_token_is_refused(client, sso, alice, monkeypatch, partnership):
    """The token response is intercepted and its ID token's payload changed (to another
    person's subject); the provider's signature no longer matches."""
    import base64
    import json

    f.UserFactory(username="victim", email="victim@council.example")
    real_get_token = SsoBackend.get_token

    def tampering_get_token(self, payload):
        tokens = real_get_token(self, payload)
        header, body, signature = tokens["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        claims["sub"] = "victim"
        body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        tokens["id_token"] = f"{header}.{body}.{signature}"
        return tokens

    monkeypatch.setattr(SsoBackend, "get_token", tampering_get_token)
    refusal_text(client, sso_sign_in(client, sso, "alice"))


def test_an_id_token_for_another_client_is_refused(client, sso, alice, settings):
    """The audience is checked (mozilla-django-oidc alone does not)."""
    callback = sign_in_at_provider(sso, start(client), "alice")
    settings.OIDC_RP_CLIENT_ID = "csp-test-client"  # the token exchange still works …
    real = SsoBackend._verify_jws

    def other_audience(self, payload, key):
        self.OIDC_RP_CLIENT_ID = "another-client"  # … but the app expects another audience
        return real(self, payload, key)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SsoBackend, "_verify_jws", other_audience)
        refusal_text(client, client.get(callback))


def test_an_error_from_the_provider_is_refused(client, sso):
    start(client)
    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied&state=x")
    assert response["Location"] == reverse("sso_refused")


# --- signing out ---


def test_signing_out_ends_the_provider_session_too(client, sso, alice):
    sso_sign_in(client, sso, "alice")
    id_token = client.session["oidc_id_token"]
    response = client.post(reverse("logout"))
    assert signed_in_user(client) is None
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{sso.issuer}/session/end"
    query = parse_qs(location.query)
    assert query["id_token_hint"] == [id_token]
    assert query["post_logout_redirect_uri"] == ["http://testserver/sign-in/"]
    # The provider accepts the request: it asks the browser to confirm signing out there.
    confirm = requests.get(response["Location"], timeout=10)
    assert confirm.status_code == 200


def test_signing_out_after_a_password_sign_in_stays_here(client, sso, alice):
    client.force_login(alice, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
