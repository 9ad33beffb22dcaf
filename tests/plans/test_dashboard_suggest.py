"""The dashboard's "Ratings better than suggested" and "Monitoring quality" (chairs and admins
only), and the roll-up on the dashboard and the plan page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Rag, Status
from plans.quality import plan_quality
from plans.rounds import NO_CHANGE_TEXT
from tests import factories as f


def _dashboard(plan):
    return reverse("plans:dashboard", args=[plan.slug])


def _days(n):
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def rated_green_but_late(action, officer):
    for _ in range(3):
        f.MilestoneFactory(action=action, due_date=_days(-5))
    services.action_add_update(
        action=action,
        author=officer,
        text="Booked",
        rag=Rag.GREEN,
        suggested_rag=Rag.RED,
        rating_reason="Venues booked; ticks to follow.",
    )
    return action


def test_chair_sees_actions_rated_better_than_suggested_with_the_owners_reason(client_for, chair, rated_green_but_late):
    page = client_for(chair).get(_dashboard(rated_green_but_late.plan))
    assert page.status_code == 200
    assert "Ratings better than suggested (1)" in page.text
    assert "suggested Red: 3 milestones overdue." in page.text
    assert "Owner's reason: Venues booked; ticks to follow." in page.text


def test_an_action_rated_as_suggested_is_not_listed(client_for, admin, action, officer):
    f.MilestoneFactory(action=action, due_date=_days(-5))
    services.action_add_update(action=action, author=officer, text="Late", rag=Rag.AMBER)
    page = client_for(admin).get(_dashboard(action.plan))
    assert "Ratings better than suggested (0)" in page.text


def test_officer_sees_neither_the_better_than_suggested_list_nor_the_quality(client_for, officer, rated_green_but_late):
    page = client_for(officer).get(_dashboard(rated_green_but_late.plan))
    assert page.status_code == 200 and "RAG ratings by priority" in page.text
    assert "Ratings better than suggested" not in page.text
    assert "Monitoring quality" not in page.text
    assert "Well-monitored open actions by owning team" not in page.text


def test_chair_sees_the_monitoring_quality_by_team(client_for, chair, action, team):
    page = client_for(chair).get(_dashboard(action.plan))
    assert "Monitoring quality" in page.text
    assert "0 of 1 open actions are well monitored (0%)" in page.text
    assert "Well-monitored open actions by owning team" in page.text and team.name in page.text


def test_dashboard_shows_the_derived_rating_labelled_derived(client_for, officer, issue):
    f.ActionFactory(issue=issue, rag=Rag.RED)
    f.ActionFactory(issue=issue, rag=Rag.GREEN)
    page = client_for(officer).get(_dashboard(issue.priority.plan))
    assert "Derived rating" in page.text
    assert "Derived: <strong" in page.text and "(worst of 2)" in page.text


def test_plan_page_headings_show_the_rollup(client_for, officer, issue):
    action = f.ActionFactory(issue=issue, rag=Rag.AMBER)
    f.MilestoneFactory(action=action, due_date=_days(-1), done_on=_days(-2))
    page = client_for(officer).get(reverse("plans:detail", args=[issue.priority.plan.slug]))
    assert page.status_code == 200
    assert "(worst of 1 rated action)" in page.text
    assert "1 of 1 milestones due done" in page.text


# --- the quality checks one by one -------------------------------------------------------------------


@pytest.fixture
def well_monitored(action, officer):
    """An action passing every check: an active owner, a target date, a recent update."""
    action.target_date = _days(90)
    action.save()
    services.action_add_update(action=action, author=officer, text="On track", rag=Rag.GREEN)
    return action


def _failed(action, chair):
    quality = plan_quality(action.plan, chair)
    return {row.line.pk: row.failed for row in quality.actions}[action.pk]


def test_a_well_monitored_action_passes_every_check(well_monitored, chair):
    quality = plan_quality(well_monitored.plan, chair)
    assert _failed(well_monitored, chair) == []
    assert (quality.plan.well, quality.plan.open, quality.teams[0].percent) == (1, 1, 100)


def test_an_owning_team_without_an_active_member_fails(well_monitored, officer, chair):
    officer.is_active = False
    officer.save()
    assert _failed(well_monitored, chair) == ["owner"]


def test_no_target_date_fails(well_monitored, chair):
    well_monitored.target_date = None
    well_monitored.save()
    assert _failed(well_monitored, chair) == ["target"]


def test_no_update_within_the_interval_fails(well_monitored, chair):
    well_monitored.updates.update(date=_days(-43), written_on=_days(-43))
    well_monitored.__class__.objects.filter(pk=well_monitored.pk).refresh_update_summary()
    assert _failed(well_monitored, chair) == ["recent"]


def test_three_no_change_answers_running_fail_and_two_do_not(well_monitored, officer, chair):
    for _ in range(2):
        services.action_add_update(action=well_monitored, author=officer, text=NO_CHANGE_TEXT)
    assert _failed(well_monitored, chair) == []
    services.action_add_update(action=well_monitored, author=officer, text=f"{NO_CHANGE_TEXT} Still waiting.")
    assert _failed(well_monitored, chair) == ["says"]
    services.action_add_update(action=well_monitored, author=officer, text="Venue booked at last")
    assert _failed(well_monitored, chair) == []


def test_an_overdue_milestone_fails(well_monitored, chair):
    f.MilestoneFactory(action=well_monitored, due_date=_days(-1))
    assert _failed(well_monitored, chair) == ["milestones"]


def test_a_measure_is_needed_only_where_the_priority_has_measures(well_monitored, chair):
    measure = f.MeasureFactory(priority=well_monitored.issue.priority)
    assert _failed(well_monitored, chair) == ["measure"]
    well_monitored.measures.add(measure)
    assert _failed(well_monitored, chair) == []


def test_closed_actions_are_not_scored(well_monitored, chair):
    well_monitored.status = Status.COMPLETED
    well_monitored.save()
    assert plan_quality(well_monitored.plan, chair).actions == []


def _grow(plan, team, officer, n):
    priority = f.PriorityFactory(plan=plan)
    f.MeasureFactory(priority=priority)
    issue = f.IssueFactory(priority=priority)
    for _ in range(n):
        action = f.ActionFactory(issue=issue, owner_teams=[team], rag=Rag.GREEN)
        f.MilestoneFactory(action=action, due_date=_days(-3))
        services.action_add_update(action=action, author=officer, text=NO_CHANGE_TEXT)


def test_dashboard_queries_stay_flat_for_a_chair_with_milestones_and_measures(client_for, chair, plan, team, officer):
    client = client_for(chair)
    counts = []
    for size in (2, 10):
        _grow(plan, team, officer, size)
        with CaptureQueriesContext(connection) as context:
            page = client.get(_dashboard(plan))
        assert page.status_code == 200
        counts.append(len(context))
    assert counts[0] == counts[1]
    assert "Ratings better than suggested (12)" in page.text
