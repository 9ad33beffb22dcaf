"""Milestones in Chromium: the officer adds one (confirming a date after the target date),
ticks one off, moves and deletes one; axe-core on every page."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

TODAY = timezone.localdate()
ACTION = "Deliver Safer Street events"


def _typed(day):
    return f"{day.day}/{day.month}/{day.year}"


@pytest.fixture
def planned(action):
    """The officer's action, due in 30 days, with one overdue milestone and one done."""
    action.target_date = TODAY + datetime.timedelta(days=30)
    action.save()
    f.MilestoneFactory(action=action, text="Venue booked", order=1, due_date=TODAY - datetime.timedelta(days=5))
    f.MilestoneFactory(action=action, text="Flyers printed", order=2, due_date=TODAY, done_on=TODAY)
    return action


def test_the_officer_adds_ticks_off_moves_and_deletes_milestones(page, sign_in, officer, planned, assert_accessible):
    sign_in(officer)
    page.goto(planned.get_absolute_url())
    milestones = page.locator(".app-milestones")
    expect(milestones.get_by_text("Overdue by 5 days")).to_be_visible()
    assert_accessible(page, ACTION)

    page.get_by_role("link", name="Add a milestone").click()
    assert_accessible(page, "Add a milestone")
    page.get_by_label("Milestone").fill("Event held in the town centre")
    page.get_by_label("Due date").fill(_typed(TODAY + datetime.timedelta(days=40)))
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page, "Add a milestone")
    page.get_by_label("Keep this date").check()
    page.get_by_role("button", name="Add milestone").click()
    expect(page.get_by_text("The milestone has been added")).to_be_visible()
    expect(milestones.get_by_text("Event held in the town centre")).to_be_visible()

    page.get_by_role("link", name="Mark milestone 1 as done").click()
    assert_accessible(page, "Mark the milestone as done")
    page.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_text("The milestone is marked as done")).to_be_visible()
    expect(milestones.get_by_text("Overdue by 5 days")).to_have_count(0)

    page.get_by_role("button", name="Move down milestone 1").click()
    expect(page.get_by_text("The milestone has been moved down")).to_be_visible()
    expect(milestones.locator("tbody tr").first).to_contain_text("Flyers printed")
    assert_accessible(page, ACTION)

    page.get_by_role("link", name="Delete milestone 3").click()
    assert_accessible(page, "Delete the milestone")
    page.get_by_role("button", name="Delete milestone").click()
    expect(page.get_by_text("The milestone has been deleted")).to_be_visible()
    expect(milestones.get_by_text("Event held in the town centre")).to_have_count(0)


def test_the_chair_reads_milestones_without_buttons(page, sign_in, chair, planned, assert_accessible):
    sign_in(chair)
    page.goto(planned.get_absolute_url())
    expect(page.locator(".app-milestones").get_by_text("Venue booked")).to_be_visible()
    assert page.get_by_role("link", name="Add a milestone").count() == 0
    assert_accessible(page, ACTION)


def test_the_change_form_is_accessible(page, sign_in, officer, planned, assert_accessible):
    sign_in(officer)
    page.goto(planned.get_absolute_url())
    page.get_by_role("link", name="Change milestone 1").click()
    assert_accessible(page, "Change the milestone")
    page.get_by_label("Named owner (optional)").fill("Sgt Vaughan")
    page.get_by_role("button", name="Save changes").click()
    expect(page.locator(".app-milestones").get_by_text("Sgt Vaughan")).to_be_visible()


def test_a_target_date_before_the_last_milestone_asks_to_keep_it(page, sign_in, officer, planned, assert_accessible):
    sign_in(officer)
    page.goto(planned.get_absolute_url())
    page.get_by_role("link", name="Change the action").click()
    page.get_by_label("Target date (optional)").fill(_typed(TODAY - datetime.timedelta(days=10)))
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Target date is earlier than the last milestone").first).to_be_visible()
    assert_accessible(page, "Change the action")
    page.get_by_label("Keep this date").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The action has been changed")).to_be_visible()
