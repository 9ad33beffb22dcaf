import datetime

import pytest
import time_machine
from django.urls import reverse

from actions.models import Marking, Rag, Status
from actions.services import action_add_update
from plans.dashboard import month_ends, plan_dashboard, rag_over_time
from tests import factories as f

TODAY = datetime.date(2025, 11, 15)


@pytest.fixture
def frozen():
    with time_machine.travel(datetime.datetime(2025, 11, 15, 12, 0), tick=False):
        yield


def _rate(action, rag, day, **kwargs):
    return action_add_update(action=action, text=f"Note {day}", rag=rag, date=day, written_on=TODAY, **kwargs)


@pytest.fixture
def busy_plan(frozen, plan, priority, issue, team, other_team):
    """Six actions over two priorities with known ratings, stale and overdue states."""
    second = f.PriorityFactory(plan=plan, number=2, title="Reduce violence")
    second_issue = f.IssueFactory(priority=second)
    old = datetime.datetime(2025, 4, 2, 9, 0, tzinfo=datetime.UTC)
    red = f.ActionFactory(issue=issue, owner_teams=[team], created_at=old, target_date=datetime.date(2025, 10, 1))
    amber = f.ActionFactory(issue=issue, owner_teams=[team], created_at=old)
    green = f.ActionFactory(issue=second_issue, owner_teams=[other_team], created_at=old)
    never = f.ActionFactory(issue=second_issue, owner_teams=[other_team], created_at=old)
    done = f.ActionFactory(issue=second_issue, created_at=old, target_date=datetime.date(2025, 5, 1))
    _rate(red, Rag.GREEN, datetime.date(2025, 5, 10))
    _rate(red, Rag.RED, datetime.date(2025, 11, 1))
    _rate(amber, Rag.AMBER, datetime.date(2025, 6, 1))  # stale: more than 42 days ago
    _rate(green, Rag.GREEN, datetime.date(2025, 11, 10))
    _rate(done, Rag.BLUE, datetime.date(2025, 7, 1), status=Status.COMPLETED)
    return {"red": red, "amber": amber, "green": green, "never": never, "done": done, "second": second}


def test_rag_counts_by_priority_equal_counts_made_in_the_test(busy_plan, plan, chair):
    figures = plan_dashboard(plan, chair)
    by_number = {row.priority.number: row.counts for row in figures["by_priority"]}
    assert by_number[1] == {"red": 1, "amber": 1}
    assert by_number[2] == {"green": 1, "not_rated": 1, "blue": 1}
    assert figures["total"] == 5


def test_stale_and_overdue_lists_hold_the_expected_actions(busy_plan, plan, chair):
    figures = plan_dashboard(plan, chair)
    assert {a.pk for a in figures["stale"]} == {busy_plan["amber"].pk, busy_plan["never"].pk}
    assert [a.pk for a in figures["overdue"]] == [busy_plan["red"].pk]


def test_stale_list_agrees_with_action_is_stale(busy_plan, plan, chair):
    figures = plan_dashboard(plan, chair)
    from actions.models import Action

    expected = {a.pk for a in Action.objects.in_plan(plan) if a.is_stale(today=TODAY)}
    assert {a.pk for a in figures["stale"]} == expected


def test_recent_changes_say_since_when_the_rating_holds(busy_plan, plan, chair):
    changes = plan_dashboard(plan, chair)["changes"]
    red = next(c for c in changes if c["action"].pk == busy_plan["red"].pk)
    assert (red["rag"], red["since"], red["was"]) == ("red", datetime.date(2025, 11, 1), "green")


def test_workload_counts_open_and_stale_actions_per_team(busy_plan, plan, chair, team, other_team):
    workload = {row["key"]: (row["open"], row["stale"]) for row in plan_dashboard(plan, chair)["workload"]}
    assert workload[f"team-{team.pk}"] == (2, 1)
    assert workload[f"team-{other_team.pk}"] == (2, 1)


def test_rag_over_time_matches_a_hand_built_history(busy_plan, plan):
    from actions.models import Action

    ends = month_ends(datetime.date(2025, 4, 1), datetime.date(2025, 11, 30))
    series = dict(rag_over_time(Action.objects.in_plan(plan), ends))
    assert series[datetime.date(2025, 4, 30)] == {"red": 0, "amber": 0, "green": 0, "blue": 0, "not_rated": 5}
    assert series[datetime.date(2025, 5, 31)] == {"red": 0, "amber": 0, "green": 1, "blue": 0, "not_rated": 4}
    assert series[datetime.date(2025, 7, 31)] == {"red": 0, "amber": 1, "green": 1, "blue": 1, "not_rated": 2}
    assert series[datetime.date(2025, 11, 30)] == {"red": 1, "amber": 1, "green": 1, "blue": 1, "not_rated": 1}


def test_rag_over_time_ignores_deleted_updates_and_actions_not_yet_created(frozen, plan, issue):
    from actions.models import Action

    late = f.ActionFactory(issue=issue, created_at=datetime.datetime(2025, 6, 15, tzinfo=datetime.UTC))
    update = _rate(late, Rag.RED, datetime.date(2025, 6, 20))
    _rate(late, Rag.GREEN, datetime.date(2025, 7, 20))
    update.is_deleted = True
    update.save()
    ends = month_ends(datetime.date(2025, 5, 1), datetime.date(2025, 7, 31))
    series = dict(rag_over_time(Action.objects.in_plan(plan), ends))
    assert sum(series[datetime.date(2025, 5, 31)].values()) == 0
    assert series[datetime.date(2025, 6, 30)]["not_rated"] == 1
    assert series[datetime.date(2025, 7, 31)]["green"] == 1


def test_imported_back_dated_updates_count_before_the_action_was_created(frozen, plan, issue):
    from actions.models import Action

    imported = f.ActionFactory(issue=issue, created_at=datetime.datetime(2025, 11, 1, tzinfo=datetime.UTC))
    _rate(imported, Rag.AMBER, datetime.date(2025, 5, 5))
    ends = month_ends(datetime.date(2025, 5, 1), datetime.date(2025, 5, 31))
    assert rag_over_time(Action.objects.in_plan(plan), ends)[0][1]["amber"] == 1


def test_chair_sees_the_dashboard_with_links_to_the_filtered_plan(busy_plan, plan, chair, client_for):
    response = client_for(chair).get(reverse("plans:dashboard", args=[plan.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"/plans/{plan.slug}/?priority=1&amp;rag=red" in html
    assert f"/plans/{plan.slug}/?stale=1" in html
    assert 'role="img"' in html


def test_officer_may_read_the_dashboard(busy_plan, plan, officer, client_for):
    assert client_for(officer).get(reverse("plans:dashboard", args=[plan.slug])).status_code == 200


def test_outsider_gets_404_for_the_dashboard(plan, outsider, client_for):
    assert client_for(outsider).get(reverse("plans:dashboard", args=[plan.slug])).status_code == 404


def test_anonymous_is_sent_to_sign_in(plan, client):
    response = client.get(reverse("plans:dashboard", args=[plan.slug]))
    assert response.status_code == 302


def test_unknown_plan_gives_404(chair, client_for):
    assert client_for(chair).get(reverse("plans:dashboard", args=["no-such-plan"])).status_code == 404


def test_recent_updates_hide_restricted_notes_from_officers_of_other_teams(
    frozen, plan, action, officer, other_officer, chair
):
    action_add_update(action=action, text="Secret operation", rag=Rag.RED, marking=Marking.OFFICIAL_SENSITIVE)
    seen_by = {
        user.username: [u.text for u in plan_dashboard(plan, user)["recent_updates"]]
        for user in (officer, other_officer, chair)
    }
    assert seen_by == {"officer": ["Secret operation"], "other_officer": [], "chair": ["Secret operation"]}


def _grow(plan, n, team):
    priority = f.PriorityFactory(plan=plan)
    issue = f.IssueFactory(priority=priority)
    for _ in range(n):
        action = f.ActionFactory(issue=issue, owner_teams=[team])
        f.UpdateFactory(action=action, rag=Rag.AMBER, previous_rag=Rag.GREEN)


def test_dashboard_query_count_does_not_grow_with_the_data(frozen, plan, team, chair, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(chair)
    url = reverse("plans:dashboard", args=[plan.slug])
    counts = []
    for size in (2, 12):
        _grow(plan, size, team)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
