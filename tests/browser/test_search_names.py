"""The search form's owner and plan filters as text inputs (more plans or owners than a list
should hold), in the browser: typed names find the owners' actions and are named in the
results; a name that matches nothing is reported; the page accessible either way."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_owner_typed_by_name_is_matched_and_named(
    page, sign_in, chair, issue, team, other_team, monkeypatch, assert_accessible
):
    monkeypatch.setattr("actions.search_filters.SELECT_MAX", 0)
    f.ActionFactory(issue=issue, text="Underpass lighting", owner_teams=[team])
    f.ActionFactory(issue=issue, text="Underpass patrols", owner_teams=[other_team])
    sign_in(chair)
    page.goto("/actions/search/")
    page.get_by_label("Search for").fill("underpass")
    page.get_by_label("Owner").fill("snt")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.get_by_text("Testshire SNT (team)")).to_be_visible()
    assert_accessible(page, "Search")
    page.get_by_label("Owner").fill("nobody")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "Search")
