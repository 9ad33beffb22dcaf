"""The plan page: the whole plan, its filters (a URL contract), and flat query counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Marking, Rag, Status
from actions.services import action_add_update
from tests import factories as f


def _url(plan, query=""):
    return reverse("plans:detail", args=[plan.slug]) + query


@pytest.fixture
def people(officer, other_officer, chair, admin, outsider):
    return {"officer": officer, "other_officer": other_officer, "chair": chair, "admin": admin, "outsider": outsider}


@pytest.fixture
def mixed(issue, priority, plan, team, other_team, officer, police):
    """Four actions: red (team, stale), amber (other team), green (police org, completed), blue (overdue)."""
    today = timezone.localdate()
    second = f.PriorityFactory(plan=plan, number=2, title="Tackle domestic abuse")
    second_issue = f.IssueFactory(priority=second, title="Support victims")
    red = f.ActionFactory(issue=issue, text="Red action", owner_teams=[team])
    action_add_update(action=red, author=officer, text="red note", rag=Rag.RED, date=today - datetime.timedelta(90))
    amber = f.ActionFactory(issue=issue, text="Amber action", owner_teams=[other_team])
    action_add_update(action=amber, author=officer, text="amber note", rag=Rag.AMBER)
    green = f.ActionFactory(issue=second_issue, text="Green action", owner_organisations=[police])
    action_add_update(action=green, author=officer, text="done", rag=Rag.GREEN, status=Status.COMPLETED)
    overdue = f.ActionFactory(
        issue=second_issue, text="Overdue action", owner_teams=[team], target_date=today - datetime.timedelta(1)
    )
    action_add_update(action=overdue, author=officer, text="late", rag=Rag.BLUE)
    return {"red": red, "amber": amber, "green": green, "overdue": overdue, "priority2": second}


def _shown(client, plan, query):
    text = client.get(_url(plan, query)).text
    return {name for name in ("Red action", "Amber action", "Green action", "Overdue action") if name in text}


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("other_officer", 200), ("chair", 200), ("admin", 200), ("outsider", 404)],
)
def test_who_may_see_the_plan(client_for, people, plan, who, status):
    assert client_for(people[who]).get(_url(plan)).status_code == status


def test_a_tampered_plan_slug_is_not_found(client_for, officer, plan):
    assert client_for(officer).get("/plans/no-such-plan/").status_code == 404


def test_the_plan_shows_priorities_issues_actions_owners_and_latest_update(client_for, officer, plan, mixed):
    text = client_for(officer).get(_url(plan)).text
    assert "1. Reduce anti-social behaviour" in text
    assert "Improve feelings of safety" in text
    assert "Testshire Community Safety Team" in text
    assert "amber note" in text


def test_the_plan_has_a_place_for_the_plan_tools(client_for, officer, plan):
    assert client_for(officer).get(_url(plan)).status_code == 200


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Red action", "Amber action", "Green action", "Overdue action"}),
        ("?rag=red", {"Red action"}),
        ("?rag=red&rag=amber", {"Red action", "Amber action"}),
        ("?status=completed", {"Green action"}),
        ("?status=open&status=completed", {"Red action", "Amber action", "Green action", "Overdue action"}),
        ("?stale=1", {"Red action"}),
        ("?overdue=1", {"Overdue action"}),
        ("?priority=2", {"Green action", "Overdue action"}),
        ("?q=amber", {"Amber action"}),
        ("?q=SNT", {"Amber action"}),
    ],
)
def test_filters_narrow_the_plan(client_for, officer, plan, mixed, query, expected):
    assert _shown(client_for(officer), plan, query) == expected


def test_the_owner_filter_takes_teams(client_for, officer, plan, mixed, team):
    assert _shown(client_for(officer), plan, f"?owner=team-{team.pk}") == {"Red action", "Overdue action"}


def test_the_owner_filter_takes_organisations(client_for, officer, plan, mixed, police):
    assert _shown(client_for(officer), plan, f"?owner=org-{police.pk}") == {"Green action"}


def test_the_owner_filter_takes_groups(client_for, officer, plan, mixed, partnership, issue):
    group = f.GovernanceGroupFactory(partnership=partnership, name="Joint Action Group")
    grouped = f.ActionFactory(issue=issue, text="Group action")
    grouped.owner_groups.add(group)
    text = client_for(officer).get(_url(plan, f"?owner=group-{group.pk}")).text
    assert "Group action" in text
    assert "Red action" not in text


def test_filters_combine(client_for, officer, plan, mixed, team):
    assert _shown(client_for(officer), plan, f"?owner=team-{team.pk}&rag=blue") == {"Overdue action"}


@pytest.mark.parametrize(
    "query", ["?rag=purple", "?status=lost", "?owner=team-999999", "?owner=nonsense", "?priority=x"]
)
def test_unknown_filter_values_are_explained_and_ignored(client_for, officer, plan, mixed, query):
    response = client_for(officer).get(_url(plan, query))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Red action" in response.text


def test_each_filter_state_has_its_own_url(client_for, officer, plan, mixed):
    text = client_for(officer).get(_url(plan, "?rag=red&stale=1")).text
    assert 'value="red" checked' in text
    assert 'id="id_stale" name="stale" type="checkbox" value="1" checked' in text


def test_needs_an_update_is_flagged(client_for, officer, plan, mixed):
    assert "Needs an update" in client_for(officer).get(_url(plan)).text


def test_a_restricted_latest_update_is_not_shown_to_other_teams(client_for, other_officer, officer, plan, action):
    action_add_update(action=action, author=officer, text="Covert operation", marking=Marking.OFFICIAL_SENSITIVE)
    response = client_for(other_officer).get(_url(plan))
    text = response.text
    assert response.status_code == 200
    assert "Deliver Safer Street events" in text
    assert "Covert operation" not in text
    assert "Restricted (OFFICIAL-SENSITIVE) update" in text


def test_a_restricted_latest_update_is_shown_to_the_chair(client_for, chair, officer, plan, action):
    action_add_update(action=action, author=officer, text="Covert operation", marking=Marking.OFFICIAL_SENSITIVE)
    assert "Covert operation" in client_for(chair).get(_url(plan)).text


def test_the_search_does_not_look_into_update_text(client_for, other_officer, officer, plan, action):
    action_add_update(action=action, author=officer, text="Covert operation", marking=Marking.OFFICIAL_SENSITIVE)
    response = client_for(other_officer).get(_url(plan, "?q=Covert"))
    assert response.status_code == 200
    assert plan.full_title in response.text
    assert "Deliver Safer Street events" not in response.text


def test_the_plans_list_shows_the_users_plans(client_for, chair, plan, other_partnership):
    other = f.PlanFactory(partnership=other_partnership)
    text = client_for(chair).get(reverse("plans:list")).text
    assert plan.full_title in text
    assert other.full_title not in text


def _build(plan, team, officer, priorities, issues, actions):
    for p in range(priorities):
        priority = f.PriorityFactory(plan=plan, number=10 + p + plan.priorities.count())
        for _ in range(issues):
            issue = f.IssueFactory(priority=priority)
            for _ in range(actions):
                action = f.ActionFactory(issue=issue, owner_teams=[team])
                action_add_update(action=action, author=officer, text="note", rag=Rag.AMBER)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("query", ["", "?rag=amber&stale=1&q=Action", "?owner=team-1&status=open&priority=10"])
def test_the_plan_page_makes_as_many_queries_for_120_actions_as_for_4(client_for, officer, plan, team, query):
    client = client_for(officer)
    _build(plan, team, officer, priorities=1, issues=2, actions=2)
    small = _queries(client, _url(plan, query))
    _build(plan, team, officer, priorities=3, issues=4, actions=10)
    assert plan.priorities.count() == 4
    assert _queries(client, _url(plan, query)) == small


def test_restricted_latest_updates_keep_the_query_count_flat(client_for, other_officer, officer, plan, team):
    client = client_for(other_officer)

    def build(count):
        issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=plan.priorities.count() + 1))
        for _ in range(count):
            action = f.ActionFactory(issue=issue, owner_teams=[team])
            action_add_update(action=action, author=officer, text="secret", marking=Marking.OFFICIAL_SENSITIVE)

    build(2)
    small = _queries(client, _url(plan))
    build(40)
    assert _queries(client, _url(plan)) == small


def test_owners_are_shown_as_written_or_as_names_and_role(client_for, officer, issue, plan, team):
    f.ActionFactory(issue=issue, owner_teams=[team], owner_role="Sgt Vaughan")
    f.ActionFactory(issue=issue, owner_label="Hertsmere SNT / CST")
    text = client_for(officer).get(_url(plan)).text
    assert "Testshire Community Safety Team / Sgt Vaughan" in text
    assert "Hertsmere SNT / CST" in text
