"""My actions: the officer's home, stalest first, with a count of what needs an update."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.services import action_add_update
from plans.models import ActionPlan
from tests import factories as f


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def owned(issue, team, officer):
    """Three actions of the officer's team: updated 60, 10 and 100 days ago."""
    actions = []
    for days, text in [(60, "Sixty days"), (10, "Ten days"), (100, "Hundred days")]:
        action = f.ActionFactory(issue=issue, text=text, owner_teams=[team])
        action_add_update(action=action, author=officer, text="note", date=_days_ago(days))
        actions.append(action)
    return actions


def test_officers_start_on_my_actions(client_for, officer, owned):
    response = client_for(officer).get(reverse("home"))
    assert "My actions" in response.text
    assert "Sixty days" in response.text


def test_my_actions_counts_the_actions_that_need_an_update(client_for, officer, owned):
    response = client_for(officer).get(reverse("actions:mine"))
    assert "2 of your 3 actions need an update" in response.text


def test_the_stalest_action_comes_first(client_for, officer, owned):
    text = client_for(officer).get(reverse("actions:mine")).text
    assert text.index("Hundred days") < text.index("Sixty days") < text.index("Ten days")


def test_the_update_interval_is_the_partnerships(client_for, officer, owned, partnership):
    partnership.update_interval_days = 7
    partnership.save()
    assert "3 of your 3 actions need an update" in client_for(officer).get(reverse("actions:mine")).text


def test_only_stale_actions_can_be_listed(client_for, officer, owned):
    text = client_for(officer).get(reverse("actions:mine") + "?stale=1").text
    assert "Ten days" not in text
    assert "Hundred days" in text


def test_actions_of_other_teams_are_not_mine(client_for, officer, issue, other_team, action):
    f.ActionFactory(issue=issue, text="Not mine at all", owner_teams=[other_team])
    response = client_for(officer).get(reverse("actions:mine"))
    assert response.status_code == 200
    assert "Deliver Safer Street events" in response.text
    assert "Not mine at all" not in response.text


def test_actions_owned_by_my_organisation_are_mine(client_for, officer, issue, council):
    f.ActionFactory(issue=issue, text="Owned by the council", owner_organisations=[council])
    assert "Owned by the council" in client_for(officer).get(reverse("actions:mine")).text


def test_archived_plans_are_left_out(client_for, officer, owned, plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    response = client_for(officer).get(reverse("actions:mine"))
    assert response.status_code == 200
    assert "My actions" in response.text
    assert "Sixty days" not in response.text


def test_a_jointly_owned_action_is_on_the_other_sides_list(client_for, other_side_officer, joint_action):
    assert "Run the Tri-CSP youth panel" in client_for(other_side_officer).get(reverse("actions:mine")).text


def test_each_action_shows_its_rag_word_and_needs_update_flag(client_for, officer, owned):
    text = client_for(officer).get(reverse("actions:mine")).text
    assert "Not yet rated" in text or "Green" in text
    assert text.count("Needs an update</strong>") == 2


def test_anonymous_visitors_are_asked_to_sign_in(client, db):
    assert client.get(reverse("actions:mine")).status_code == 302


def test_the_plans_list_stays_reachable(client_for, officer, owned, plan):
    text = client_for(officer).get(reverse("actions:mine")).text
    assert reverse("plans:list") in text
    assert plan.get_absolute_url() in text


def _build(issue, team, officer, count):
    for n in range(count):
        action = f.ActionFactory(issue=issue, text=f"Bulk {n}", owner_teams=[team])
        action_add_update(action=action, author=officer, text="note", date=_days_ago(n))


def _queries(client):
    with CaptureQueriesContext(connection) as context:
        assert client.get(reverse("actions:mine")).status_code == 200
    return len(context)


def test_my_actions_makes_as_many_queries_for_30_actions_as_for_3(client_for, officer, issue, team):
    client = client_for(officer)
    _build(issue, team, officer, 3)
    small = _queries(client)
    _build(issue, team, officer, 27)
    assert _queries(client) == small


def test_a_long_list_is_split_into_pages(client_for, officer, issue, team, monkeypatch):
    from actions.views import mine

    monkeypatch.setattr(mine, "PAGE_SIZE", 2)
    _build(issue, team, officer, 3)
    client = client_for(officer)
    assert "govuk-pagination" in client.get(reverse("actions:mine")).text
    assert client.get(reverse("actions:mine") + "?page=2").text.count("Bulk ") == 1


def test_closed_actions_come_after_open_ones(client_for, officer, issue, team):
    from actions.models import Status

    done = f.ActionFactory(issue=issue, text="Finished long ago", owner_teams=[team])
    action_add_update(action=done, author=officer, text="done", date=_days_ago(300), status=Status.COMPLETED)
    recent = f.ActionFactory(issue=issue, text="Recently updated", owner_teams=[team])
    action_add_update(action=recent, author=officer, text="note", date=_days_ago(1))
    text = client_for(officer).get(reverse("actions:mine")).text
    assert text.index("Recently updated") < text.index("Finished long ago")


def test_my_actions_is_the_current_navigation_item_at_the_site_root(client_for, officer, owned):
    text = client_for(officer).get(reverse("home")).text
    assert '<strong class="govuk-service-navigation__active-fallback">My actions</strong>' in text
