"""Two corrections of one update: the second is refused, explained and keeps what was typed."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Rag
from actions.services import action_add_update, update_edit, update_version

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_correction_made_meanwhile_is_explained_and_nothing_typed_is_lost(
    page, sign_in, admin, officer, action, assert_accessible
):
    update = action_add_update(action=action, author=officer, text="Held 3 events", rag=Rag.AMBER)
    sign_in(officer)
    page.goto(f"/actions/{action.pk}/updates/{update.pk}/edit/")
    update_edit(  # the administrator corrects it first
        update=update,
        editor=admin,
        version=update_version(update),
        text="Held 5 events",
        date=update.date,
        rag=update.rag,
        marking=update.marking,
    )
    page.get_by_label("What has happened").fill("Held 4 events")
    page.get_by_role("button", name="Save correction").click()
    expect(page.get_by_text("Someone else changed this update while you were editing it")).to_be_visible()
    expect(page.locator("#conflict").get_by_text("Held 5 events")).to_be_visible()
    assert page.get_by_label("What has happened").input_value() == "Held 4 events"
    assert_accessible(page, re.compile(r"^Correct the update of "))
