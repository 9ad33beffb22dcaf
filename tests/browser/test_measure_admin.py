"""Browser: a partnership admin defines and edits a performance measure; the pages pass axe-core."""

import pytest

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_adds_a_measure_and_the_errors_are_accessible(page, sign_in, admin, plan, priority, assert_accessible):
    sign_in(admin)
    page.goto(f"/actions/measures/plan/{plan.slug}/")
    page.get_by_role("link", name="Add a measure").click()
    assert page.get_by_role("heading", name="Add a performance measure").is_visible()
    assert_accessible(page)
    page.get_by_label("Target (optional)").fill("sixty")
    page.get_by_role("button", name="Add measure").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert page.get_by_text("Enter the measure's name").first.is_visible()
    assert_accessible(page)
    page.get_by_label("On a priority of the plan").select_option(label="1. Reduce anti-social behaviour")
    page.get_by_label("Name").fill("Rate of all crime")
    page.get_by_label("Target (optional)").fill("60")
    page.get_by_role("button", name="Add measure").click()
    assert page.get_by_text("Measure “Rate of all crime” added.").is_visible()
    assert page.get_by_role("link", name="Rate of all crime", exact=True).is_visible()


def test_admin_edits_a_measure_and_the_page_is_accessible(page, sign_in, admin, plan, priority, assert_accessible):
    f.MeasureFactory(priority=priority, name="ASB incidents")
    sign_in(admin)
    page.goto(f"/actions/measures/plan/{plan.slug}/")
    page.get_by_role("link", name="Edit ASB incidents").click()
    assert page.get_by_role("heading", name="Edit the measure").is_visible()
    assert_accessible(page)
    page.get_by_label("Higher is better").check()
    page.get_by_label("Baseline (optional)").fill("not a number")
    page.get_by_role("button", name="Save measure").click()
    assert page.get_by_text("Enter the baseline as a number").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Baseline (optional)").fill("120")
    page.get_by_role("button", name="Save measure").click()
    assert page.get_by_text("Measure “ASB incidents” saved.").is_visible()
