"""Full-text search in the browser, on whichever database the tests run (SQLite's FTS5 or
PostgreSQL): words found in any order, the words highlighted, the page accessible."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_words_in_any_order_are_found_and_highlighted(page, sign_in, chair, issue, team, assert_accessible):
    f.ActionFactory(issue=issue, text="Improve lighting and CCTV in the station underpass", owner_teams=[team])
    f.ActionFactory(issue=issue, text="Underpass murals <b>painted</b>", owner_teams=[team])
    sign_in(chair)
    page.goto("/actions/search/")
    page.get_by_label("Search for").fill('underpass CCTV "')
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    expect(page.locator(".app-search-snippet mark")).to_have_text(["CCTV", "underpass"])
    assert_accessible(page, "Search")
