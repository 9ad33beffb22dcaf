import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rated(plan, action, issue, team):
    today = datetime.date.today()
    action_add_update(action=action, text="Three schools visited", rag=Rag.AMBER, date=today.replace(day=1))
    other = f.ActionFactory(issue=issue, text="Run weekend patrols", owner_teams=[team])
    action_add_update(action=other, text="Patrols started in the park", rag=Rag.RED)
    return action


@pytest.fixture
def measure(priority):
    measure = f.MeasureFactory(priority=priority, name="Rate of all crime", unit="crimes per 1,000", target=55)
    for month, value in ((4, "60.1"), (5, "58.3"), (6, "57.0")):
        f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, month, 1), value=Decimal(value))
    return measure


def test_dashboard_has_no_accessibility_violations(page, sign_in, chair, plan, rated, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_role("img", name="RAG ratings of actions by priority")).to_be_visible()
    assert_accessible(page, "Dashboard")


def test_measure_page_has_no_accessibility_violations(page, sign_in, chair, measure, assert_accessible):
    sign_in(chair)
    page.goto(f"/actions/measures/{measure.pk}/")
    expect(page.get_by_role("img", name="Rate of all crime")).to_be_visible()
    assert_accessible(page, "Rate of all crime")


def test_measure_entry_errors_have_no_accessibility_violations(page, sign_in, officer, measure, assert_accessible):
    sign_in(officer)
    page.goto(f"/actions/measures/{measure.pk}/values/add/")
    page.get_by_label("Year").fill("2025")
    page.get_by_label("Value").fill("lots")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_text("Enter the value as a number").first).to_be_visible()
    assert_accessible(page, "Enter a value")


def test_search_page_has_no_accessibility_violations(page, sign_in, chair, rated, assert_accessible):
    sign_in(chair)
    page.goto("/actions/search/?q=patrols")
    expect(page.get_by_text("result").first).to_be_visible()
    assert_accessible(page, "Search")
