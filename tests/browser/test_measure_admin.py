"""Browser: a partnership admin defines and edits a performance measure; the pages pass axe-core."""

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_measure_and_the_errors_are_accessible(page, sign_in, admin, plan, priority, assert_accessible):
    sign_in(admin)
    page.goto(f"/actions/measures/plan/{plan.slug}/")
    page.get_by_role("link", name="Add a measure").click()
    expect(page.get_by_role("heading", name="Add a performance measure")).to_be_visible()
    assert_accessible(page, "Add a performance measure")
    page.get_by_label("Target (optional)").fill("sixty")
    page.get_by_role("button", name="Add measure").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("Enter the measure's name").first).to_be_visible()
    assert_accessible(page, "Add a performance measure")
    page.get_by_label("On a priority of the plan").select_option(label="1. Reduce anti-social behaviour")
    page.get_by_label("Name").fill("Rate of all crime")
    page.get_by_label("Target (optional)").fill("60")
    page.get_by_role("button", name="Add measure").click()
    expect(page.get_by_text("Measure “Rate of all crime” added.")).to_be_visible()
    expect(page.get_by_role("link", name="Rate of all crime", exact=True)).to_be_visible()


def test_admin_edits_a_measure_and_the_page_is_accessible(page, sign_in, admin, plan, priority, assert_accessible):
    f.MeasureFactory(priority=priority, name="ASB incidents")
    sign_in(admin)
    page.goto(f"/actions/measures/plan/{plan.slug}/")
    page.get_by_role("link", name="Edit ASB incidents").click()
    expect(page.get_by_role("heading", name="Edit the measure")).to_be_visible()
    assert_accessible(page, "Edit the measure")
    page.get_by_label("Higher is better").check()
    page.get_by_label("Baseline (optional)").fill("not a number")
    page.get_by_role("button", name="Save measure").click()
    expect(page.get_by_text("Enter the baseline as a number").first).to_be_visible()
    assert_accessible(page, "Edit the measure")
    page.get_by_label("Baseline (optional)").fill("120")
    page.get_by_role("button", name="Save measure").click()
    expect(page.get_by_text("Measure “ASB incidents” saved.")).to_be_visible()


def test_admin_names_a_measure_on_an_action_and_both_pages_link_each_other(
    page, sign_in, admin, action, priority, assert_accessible
):
    f.MeasureFactory(priority=priority, name="Rate of all crime")
    sign_in(admin)
    page.goto(f"/actions/{action.pk}/edit/")
    assert_accessible(page, "Change the action")
    page.get_by_label("Rate of all crime (priority 1)").check()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("The action has been changed.")).to_be_visible()
    assert_accessible(page, action.text)
    page.get_by_role("link", name="Rate of all crime").click()
    expect(page.get_by_role("heading", name="Rate of all crime")).to_be_visible()
    assert_accessible(page, "Rate of all crime")
    expect(page.get_by_role("link", name=action.text)).to_be_visible()
