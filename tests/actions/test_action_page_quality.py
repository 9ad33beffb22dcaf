"""The action page's derived notes: the suggested rating for those who rate or review the
action, and how well it is monitored (plans/quality.py) for chairs and administrators only."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import services
from actions.models import Rag, Status
from plans.models import ActionPlan
from plans.quality import action_quality, plan_quality
from tests import factories as f

pytestmark = pytest.mark.django_db


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


def _page(client, action):
    response = client.get(action.get_absolute_url())
    assert response.status_code == 200
    return response


@pytest.fixture
def late(action, officer):
    """Two milestones overdue and no target date (its team has the officer as an active member):
    suggests Amber, fails two checks of five."""
    f.MilestoneFactory(action=action, due_date=_days(-3))
    f.MilestoneFactory(action=action, due_date=_days(-2))
    return action


def test_the_chair_sees_how_well_the_action_is_monitored_with_the_reasons(client_for, chair, late):
    page = _page(client_for(chair), late)
    assert "How well this action is monitored" in page.text
    assert "3 of 5 checks met: no target date; milestones overdue." in page.text


def test_the_admin_sees_a_well_monitored_action_called_so(client_for, admin, action, officer):
    action.target_date = _days(90)
    action.save()
    services.action_add_update(action=action, author=officer, text="On track", rag=Rag.GREEN)
    page = _page(client_for(admin), action)
    assert "Well monitored: all 5 checks met." in page.text


def test_the_owning_officer_sees_the_suggestion_but_not_the_quality_score(client_for, officer, late):
    page = _page(client_for(officer), late)
    assert "Suggested: Amber, 2 milestones overdue." in page.text
    assert "How well this action is monitored" not in page.text
    assert "checks met" not in page.text


def test_an_officer_who_may_only_read_sees_neither(client_for, other_officer, late):
    page = _page(client_for(other_officer), late)
    assert 'id="suggestion"' not in page.text
    assert "How well this action is monitored" not in page.text


def test_the_chair_sees_the_suggestion_too(client_for, chair, late):
    assert "Suggested: Amber, 2 milestones overdue." in _page(client_for(chair), late).text


def test_with_nothing_overdue_or_near_there_is_no_suggestion_only_the_words(client_for, officer, action):
    page = _page(client_for(officer), action)
    assert "No suggestion: nothing the app knows is overdue or near." in page.text


def test_a_closed_action_has_neither(client_for, chair, late):
    late.status = Status.COMPLETED
    late.save()
    page = _page(client_for(chair), late)
    assert 'id="suggestion"' not in page.text
    assert "How well this action is monitored" not in page.text


def test_an_archived_plans_action_has_neither(client_for, admin, late, plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    page = _page(client_for(admin), late)
    assert 'id="suggestion"' not in page.text
    assert "How well this action is monitored" not in page.text


def test_the_action_page_agrees_with_the_dashboard(chair, late, issue, priority):
    f.MeasureFactory(priority=priority)  # now the measure check applies too
    on_dashboard = {row.line.pk: row for row in plan_quality(late.plan, chair).actions}[late.pk]
    on_page = action_quality(late)
    assert (on_page.failed, on_page.applicable) == (on_dashboard.failed, on_dashboard.applicable)
    assert on_page.applicable == 6


def _queries(client, action):
    with CaptureQueriesContext(connection) as captured:
        _page(client, action)
    return len(captured)


@pytest.mark.parametrize("who", ["chair", "admin", "officer"])
def test_the_page_queries_as_much_with_many_updates_and_milestones_as_with_one(
    request, client_for, who, action, officer, priority
):
    client = client_for(request.getfixturevalue(who))
    f.MilestoneFactory(action=action, due_date=_days(-3))
    services.action_add_update(action=action, author=officer, text="Started", rag=Rag.AMBER)
    _page(client, action)  # warm the session
    one = _queries(client, action)
    for n in range(6):
        f.MilestoneFactory(action=action, due_date=_days(-4 - n))
        services.action_add_update(action=action, author=officer, text="No change", rag=Rag.AMBER)
    action.measures.add(f.MeasureFactory(priority=priority))
    assert _queries(client, action) == one


def test_one_actions_quality_reads_no_rating_reason(late):
    """The reason given with the latest update is for the dashboard's "rated better than
    suggested" list, which the action page does not show: its one query leaves it out."""
    with CaptureQueriesContext(connection) as captured:
        quality = action_quality(late)
    assert quality is not None and "milestones" in quality.failed
    assert len(captured) == 1
    assert "rating_reason" not in captured[0]["sql"]
