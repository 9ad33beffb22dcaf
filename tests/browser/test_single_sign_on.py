"""Single sign-on in Chromium against the real provider (tests/oidc/provider.mjs): the sign-in
page with its button, the round trip, the refusal page (axe on each) and signing out there too."""

import pytest
from playwright.sync_api import expect

from partners.models import Role, SsoDomain
from tests import factories as f
from tests.oidc.provider import USERS, running_provider, use_provider

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def provider(settings, live_server):
    with running_provider(f"{live_server.url}/sign-in/sso/callback/", f"{live_server.url}/sign-in/") as provider:
        use_provider(settings, provider)
        SsoDomain.objects.create(domain="council.example")
        yield provider


def sign_in_at_provider(page, provider, user_id):
    """The provider's interaction page is opened with ?user= (tests/oidc/provider.mjs has no login form)."""
    page.get_by_role("button", name="Sign in with Council account").click()
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.goto(f"{page.url}?user={user_id}")


def test_an_officer_signs_in_with_the_council_account_and_out_again(
    page, provider, partnership, team, assert_accessible
):
    alice = f.UserFactory(username="alice", email=USERS["alice"]["email"], teams=[team])
    f.RoleFactory(user=alice, partnership=partnership, role=Role.Kind.OFFICER)
    page.goto("/sign-in/")
    assert_accessible(page, "Sign in")
    sign_in_at_provider(page, provider, "alice")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")


def test_an_unknown_person_sees_why_they_were_refused(page, provider, assert_accessible):
    page.goto("/sign-in/")
    sign_in_at_provider(page, provider, "nobody")
    assert_accessible(page, "You could not be signed in")
    expect(page.get_by_text("There is no account here for your email address")).to_be_visible()


def test_the_content_security_policy_lets_sign_out_reach_the_provider(
    chromium_browser, live_server, provider, settings, partnership
):
    """Browsers apply form-action to the redirect after the sign-out form (without the provider's
    origin, which csp/settings.py adds when single sign-on is on, the browser stays here)."""
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": ["'self'", provider.issuer]}
    alice = f.UserFactory(username="alice", email=USERS["alice"]["email"])
    f.RoleFactory(user=alice, partnership=partnership, role=Role.Kind.OFFICER)
    context = chromium_browser.new_context(base_url=live_server.url)  # the policy enforced
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/sign-in/")
    sign_in_at_provider(page, provider, "alice")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{provider.issuer}/session/end**")
    context.close()
