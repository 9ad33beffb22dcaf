"""Suggested RAG on the update form (with the reason asked for) and the chair's dashboard with
the roll-up, the ratings better than suggested and the monitoring quality: axe finds nothing."""

import datetime

import pytest
from playwright.sync_api import expect

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def late(action):
    today = datetime.date.today()
    for days in (5, 10):
        f.MilestoneFactory(action=action, due_date=today - datetime.timedelta(days=days))
    return action


def test_update_form_asks_a_reason_when_the_rating_departs(page, sign_in, officer, late, assert_accessible):
    sign_in(officer)
    page.goto(f"/actions/{late.pk}/")
    expect(page.get_by_text("Suggested: Amber — 2 milestones overdue")).to_be_visible()
    page.get_by_label("What has happened").fill("Venues booked")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_role("alert")).to_contain_text("Enter why your rating is different from the suggested Amber")
    assert_accessible(page, late.text)
    page.get_by_label("Why is your rating different from the suggestion?").fill("Booked; ticks to follow.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Why rated otherwise: Booked; ticks to follow.")).to_be_visible()
    assert_accessible(page, late.text)


def test_chairs_dashboard_with_suggestions_and_quality(page, sign_in, chair, officer, late, assert_accessible):
    action_add_update(
        action=late, author=officer, text="Booked", rag=Rag.GREEN, suggested_rag=Rag.AMBER, rating_reason="Booked."
    )
    sign_in(chair)
    page.goto(f"/plans/{late.plan.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Ratings better than suggested (1)")).to_be_visible()
    expect(page.get_by_role("heading", name="Monitoring quality")).to_be_visible()
    assert_accessible(page, "Dashboard")
    page.goto(f"/plans/{late.plan.slug}/")
    expect(page.get_by_text("(worst of 1 rated action)").first).to_be_visible()
    assert_accessible(page, late.plan.full_title)


def test_action_page_shows_the_chair_the_suggestion_and_how_well_it_is_monitored(
    page, sign_in, chair, officer, late, assert_accessible
):
    sign_in(chair)
    page.goto(f"/actions/{late.pk}/")
    expect(page.get_by_text("Suggested: Amber, 2 milestones overdue.")).to_be_visible()
    quality = page.locator("#monitoring-quality")
    expect(quality).to_contain_text("3 of 5 checks met: no target date; milestones overdue.")
    quality.get_by_text("The checks").click()
    expect(quality.get_by_text("an update within the partnership's interval")).to_be_visible()
    assert_accessible(page, late.text)
