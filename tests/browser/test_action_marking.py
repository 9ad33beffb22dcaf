"""Marking an action's text OFFICIAL-SENSITIVE on the new-action form, in a real browser:
the form and the pages after it pass axe; an officer of another team sees the placeholder."""

import pytest
from playwright.sync_api import expect

from actions.models import WITHHELD_TEXT, Action, Marking

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Covert patrols around the Meadowbank flats"


def test_admin_adds_a_sensitive_action_and_another_team_sees_it_withheld(
    page, sign_in, admin, other_officer, plan, issue, team, assert_accessible
):
    sign_in(admin)
    page.goto(f"/actions/plan/{plan.slug}/new/?issue={issue.pk}")
    assert_accessible(page, "Add an action")
    page.get_by_label("Action", exact=True).fill(TEXT)
    page.get_by_label("OFFICIAL-SENSITIVE").check()
    page.get_by_label(team.name, exact=True).check()
    page.get_by_role("button", name="Add action").click()
    assert_accessible(page, TEXT)
    action = Action.objects.get(text=TEXT)
    assert action.marking == Marking.OFFICIAL_SENSITIVE

    page.context.clear_cookies()
    sign_in(other_officer)
    page.goto(action.get_absolute_url())
    assert_accessible(page, WITHHELD_TEXT)
    expect(page.get_by_text("Meadowbank")).to_have_count(0)
    page.goto(plan.get_absolute_url())
    expect(page.get_by_role("link", name=WITHHELD_TEXT)).to_be_visible()
    assert_accessible(page, plan.full_title)
