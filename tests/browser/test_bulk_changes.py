"""Bulk changes in a real browser, checked with axe-core: tick two actions on the plan page,
choose to close them, check the confirmation, confirm, read the report.

With SCREENSHOTS=1 it also refreshes the pictures of docs/administration.md.
"""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Action, Status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def _screenshot(page, name):
    if os.environ.get("SCREENSHOTS"):
        page.screenshot(path=IMG / name, full_page=True)


def test_an_admin_closes_two_actions_in_bulk(page, sign_in, admin, plan, issue, team, assert_accessible):
    first = f.ActionFactory(issue=issue, text="Deliver Safer Street events", owner_teams=[team])
    second = f.ActionFactory(issue=issue, text="Run a knife amnesty", owner_teams=[team])
    f.ActionFactory(issue=issue, text="Stays open", owner_teams=[team])
    sign_in(admin)

    page.goto(f"/plans/{plan.slug}/")
    expect(page.get_by_role("heading", name="Change several actions")).to_be_visible()
    assert_accessible(page, plan.full_title)
    page.get_by_label("Select action: Deliver Safer Street events").check()
    page.get_by_label("Select action: Run a knife amnesty").check()
    _screenshot(page, "bulk-select.png")
    page.get_by_role("button", name="Change selected actions").click()

    assert_accessible(page, "Change 2 actions")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Change 2 actions")
    page.get_by_label("Close with a reason").check()
    page.get_by_label("Completed", exact=True).check()
    page.get_by_label("Reason", exact=True).fill("Delivered in full")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("rowheader", name="Run a knife amnesty")).to_be_visible()
    assert_accessible(page, "Check the changes to 2 actions")
    _screenshot(page, "bulk-confirm.png")
    page.get_by_role("button", name="Confirm and change 2 actions").click()

    expect(page.get_by_text("2 actions closed")).to_be_visible()
    closed = set(Action.objects.filter(status=Status.COMPLETED).values_list("pk", flat=True))
    assert closed == {first.pk, second.pk}
