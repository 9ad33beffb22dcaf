"""The grant page in a real browser, checked with axe-core: with a grant, and with an error."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_grant_page_is_accessible(page, sign_in, admin, partnership, other_partnership, assert_accessible):
    police = f.OrganisationFactory(name="County Constabulary")
    f.MembershipFactory(partnership=partnership, organisation=police)
    granted = f.TeamFactory(name="Otherton SNT", organisation=police, partnership=other_partnership)
    f.TeamFactory(name="Otherton Rural Team", organisation=police, partnership=other_partnership)
    f.TeamGrantFactory(partnership=partnership, team=granted, note="Joint patrols")
    sign_in(admin)
    response = page.goto(f"/partners/{partnership.slug}/grants/")
    assert response.status == 200
    expect(page.get_by_role("heading", name="Teams of other partnerships working on our plan")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Otherton SNT County Constabulary")).to_be_visible()
    assert_accessible(page, "Teams of other partnerships working on our plan")
    page.get_by_role("button", name="Give access").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Teams of other partnerships working on our plan")
