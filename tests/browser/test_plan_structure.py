"""Writing a draft plan's structure in a real browser, checked with axe-core on every page:
add a priority and an issue, the move and remove pages, publishing, a meeting's change and
delete pages."""

import datetime

import pytest
from playwright.sync_api import expect

from plans.models import ActionPlan
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_writes_and_publishes_a_draft_plan(page, sign_in, admin, partnership, plan, assert_accessible):
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT)
    f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")
    sign_in(admin)

    assert page.goto(plan.get_absolute_url()).status == 200
    expect(page.get_by_role("heading", name="Draft")).to_be_visible()
    expect(page.get_by_text("No issues under this priority yet.")).to_be_visible()
    assert_accessible(page, plan.full_title)

    page.get_by_role("link", name="Add a priority").click()
    assert_accessible(page, f"Add a priority to {plan.full_title}")
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, f"Add a priority to {plan.full_title}")
    page.get_by_label("Title").fill("Tackle shoplifting")
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_role("heading", name="2. Tackle shoplifting")).to_be_visible()

    page.get_by_role("link", name="Add an issue under priority 1").first.click()
    assert_accessible(page, "Add an issue under priority 1")
    page.get_by_label("Issue").fill("Improve feelings of safety")
    page.get_by_role("button", name="Add issue").click()
    expect(page.get_by_role("heading", name="Improve feelings of safety")).to_be_visible()
    assert_accessible(page, plan.full_title)

    page.get_by_role("link", name="Move to another priority").click()
    assert_accessible(page, "Move the issue to another priority")
    page.get_by_label("2. Tackle shoplifting").check()
    page.get_by_role("button", name="Move issue").click()
    expect(page.get_by_text("Issue moved to priority 2.")).to_be_visible()

    page.get_by_role("link", name="Remove priority 2").click()
    expect(page.get_by_text("still has 1 issue under it")).to_be_visible()
    assert_accessible(page, "Remove priority 2. Tackle shoplifting")

    page.goto(f"/plans/{plan.slug}/publish/")
    assert_accessible(page, f"Publish {plan.full_title}")
    page.get_by_role("button", name="Publish the plan").click()
    expect(page.get_by_text("is published: its officers now see it")).to_be_visible()
    expect(page.get_by_text("Published", exact=True).first).to_be_visible()


def test_meeting_change_and_delete_pages_are_accessible(page, sign_in, chair, partnership, plan, assert_accessible):
    meeting = f.MeetingFactory(partnership=partnership, title="RAG meeting, October", date=datetime.date(2025, 10, 1))
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Change the meeting").click()
    assert_accessible(page, "Change the meeting")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Change the meeting")
    page.goto(f"/plans/{plan.slug}/meetings/{meeting.pk}/delete/")
    assert_accessible(page, "Delete RAG meeting, October")
    page.get_by_role("button", name="Delete the meeting").click()
    expect(page.get_by_role("heading", name="Meetings")).to_be_visible()
