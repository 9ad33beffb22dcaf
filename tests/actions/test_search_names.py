"""The search form's plan and owner filters: lists for someone who sees a few plans and owners,
text inputs matched server-side for someone who sees more than ``SELECT_MAX`` (a county
user at national size; set to 0 here to get them with the shared test data)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f


def _search(client, **params):
    return client.get(reverse("actions:search"), params)


def _texts(response):
    return sorted(r["text"] for r in response.context["results"])


@pytest.fixture
def many(monkeypatch):
    monkeypatch.setattr("actions.search_filters.SELECT_MAX", 0)


@pytest.fixture
def notes(action, other_team, issue, police):
    """The officer's team owns ``action``; ``other_team`` (police) a schools action; the police
    as an organisation and DI Macbeth by name own a third."""
    schools = f.ActionFactory(issue=issue, text="Knife crime workshops in schools", owner_teams=[other_team])
    action_add_update(action=action, text="Patrol of the schools run", rag=Rag.GREEN)
    action_add_update(action=schools, text="Workshops booked with three schools", rag=Rag.RED)
    named = f.ActionFactory(issue=issue, text="Schools liaison visits", owner_role="DI Macbeth")
    named.owner_organisations.add(police)
    return schools


def test_a_few_plans_and_owners_are_lists(notes, chair, client_for):
    html = _search(client_for(chair)).content.decode()
    assert 'name="plan"' in html and 'name="owner"' in html
    assert 'name="plan_name"' not in html and 'name="owner_name"' not in html


def test_many_plans_and_owners_are_text_inputs(notes, chair, client_for, many):
    html = _search(client_for(chair)).content.decode()
    assert 'name="plan_name"' in html and 'name="owner_name"' in html
    assert "<select" not in html
    assert "Team, organisation or person name" in html and "Partnership or plan name" in html


def test_owner_name_finds_the_actions_of_matching_teams_and_names_them(notes, chair, client_for, many):
    response = _search(client_for(chair), q="schools", owner_name="snt")
    assert response.status_code == 200
    assert _texts(response) == ["Knife crime workshops in schools", "Workshops booked with three schools"]
    html = response.content.decode()
    assert "Owners matching &ldquo;snt&rdquo;" in html and "<li>Testshire SNT (team)</li>" in html
    assert 'name="owner_name" type="text" spellcheck="false" value="snt"' in html


def test_owner_name_matches_organisations_and_named_people(notes, chair, client_for, many):
    client = client_for(chair)
    assert _texts(_search(client, q="schools", owner_name="Macbeth")) == ["Schools liaison visits"]
    response = _search(client, q="schools", owner_name="constabulary")
    assert "Schools liaison visits" in _texts(response)
    assert "<li>Testshire Constabulary (organisation)</li>" in response.content.decode()
    assert "<li>DI Macbeth (person)</li>" in _search(client, q="schools", owner_name="macbeth").content.decode()


def test_owner_name_matches_governance_groups(notes, chair, client_for, many, partnership, issue):
    board = f.GovernanceGroupFactory(partnership=partnership, name="Reducing Reoffending Board")
    f.ActionFactory(issue=issue, text="Schools mentoring").owner_groups.add(board)
    response = _search(client_for(chair), q="schools", owner_name="reoffending")
    assert _texts(response) == ["Schools mentoring"]
    assert "<li>Reducing Reoffending Board (group)</li>" in response.content.decode()


def test_an_owner_name_that_matches_nothing_is_reported_in_the_error_summary(notes, chair, client_for, many):
    response = _search(client_for(chair), q="schools", owner_name="Nobody at all")
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and 'href="#id_owner_name"' in html
    assert "No team, organisation or person you can see has “Nobody at all” in their name" in html


def test_owners_outside_the_users_partnerships_are_neither_matched_nor_named(
    notes, chair, client_for, many, other_partnership
):
    f.TeamFactory(name="Otherton youth team", partnership=other_partnership)
    hidden_plan = f.PlanFactory(partnership=other_partnership, start_year=2030, end_year=2031, slug="otherton-2030")
    hidden_issue = f.IssueFactory(priority=f.PriorityFactory(plan=hidden_plan, number=1))
    f.ActionFactory(issue=hidden_issue, text="Schools elsewhere", owner_role="Sgt Youthful")
    response = _search(client_for(chair), q="schools", owner_name="youth")
    assert response.status_code == 400
    assert "Otherton" not in response.content.decode() and "Youthful" not in response.content.decode()


def test_plan_name_finds_the_plans_of_a_partnership_and_names_them(notes, chair, client_for, many, plan):
    response = _search(client_for(chair), q="schools", plan_name="testshire")
    assert response.status_code == 200
    assert len(_texts(response)) == 4
    assert "Plans matching &ldquo;testshire&rdquo;" in response.content.decode()


def test_a_plan_name_the_user_may_not_see_is_reported(notes, chair, client_for, many):
    f.PlanFactory(partnership=f.PartnershipFactory(short_name="Hidden", name="Hidden CSP"), slug="hidden-2025")
    response = _search(client_for(chair), q="schools", plan_name="hidden")
    assert response.status_code == 400
    assert 'href="#id_plan_name"' in response.content.decode()


def test_past_names_shown_the_results_say_there_are_more(notes, chair, client_for, many, monkeypatch):
    monkeypatch.setattr("actions.search_filters.NAMES_SHOWN", 1)
    html = _search(client_for(chair), q="schools", owner_name="testshire").content.decode()
    assert "and more: add words to narrow them down" in html, html[html.find("<main") :]


def test_a_list_value_is_ignored_when_owners_are_a_text_input(notes, chair, client_for, many, team):
    response = _search(client_for(chair), q="schools", owner=f"team-{team.pk}")
    assert response.status_code == 200 and len(_texts(response)) == 4


def test_search_by_owner_name_query_count_does_not_grow_with_the_data(chair, client_for, issue, other_team, many):
    client = client_for(chair)
    counts = []
    for n in (2, 15):
        for i in range(n):
            action = f.ActionFactory(issue=issue, text="Patrol the park", owner_teams=[other_team])
            f.UpdateFactory(action=action, text="Patrol done")
            f.TeamFactory(name=f"SNT {n} {i}", partnership=other_team.partnership)
        with CaptureQueriesContext(connection) as ctx:
            response = _search(client, q="patrol", owner_name="snt")
        assert response.status_code == 200 and response.context["results"]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
