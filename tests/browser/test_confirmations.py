"""Destructive administration acts in a real browser: the confirmation page, the act, the
banner's Undo; each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from partners.models import Role

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_removes_a_role_after_confirming_and_undoes_it(
    page, sign_in, admin, officer, partnership, team, assert_accessible
):
    sign_in(admin)
    page.goto(f"/partners/{partnership.slug}/people/{officer.pk}/")
    page.get_by_role("button", name=f"Remove role in {partnership.short_name}").click()
    heading = f"Remove {officer}’s role in {partnership.short_name}?"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    assert_accessible(page, heading)
    assert Role.objects.filter(user=officer, partnership=partnership).exists()

    page.get_by_role("button", name="Remove role").click()
    expect(page.get_by_text(f"{officer} no longer has a role in")).to_be_visible()
    assert not Role.objects.filter(user=officer).exists()
    page.get_by_role("button", name="Undo").click()
    expect(page.get_by_text("has their role in")).to_be_visible()
    assert Role.objects.get(user=officer, partnership=partnership).role == "officer"
    assert list(officer.teams.all()) == [team]


def test_the_token_revoke_confirmation_is_accessible(page, sign_in, chair, assert_accessible):
    from partners.token_services import create_api_token

    token, _ = create_api_token(user=chair, name="Power BI")
    sign_in(chair)
    page.goto(f"/partners/tokens/{token.pk}/revoke/")
    assert_accessible(page, "Revoke the token ‘Power BI’?")
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_text("was revoked")).to_be_visible()
