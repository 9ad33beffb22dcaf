"""Search: run on SQLite by default and on PostgreSQL with DATABASE_URL (make test-postgres)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from actions.models import Marking, Rag
from actions.services import action_add_update
from tests import factories as f


def _search(client, **params):
    return client.get(reverse("actions:search"), params)


def _texts(response):
    return [r["text"] for r in response.context["results"]]


@pytest.fixture
def notes(action, other_team, issue):
    other = f.ActionFactory(issue=issue, text="Knife crime workshops in schools", owner_teams=[other_team])
    action_add_update(action=action, text="Twenty three referrals to the youth panel", rag=Rag.GREEN)
    action_add_update(
        action=action,
        text="Referrals from the operation <script>alert(1)</script>",
        rag=Rag.AMBER,
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    action_add_update(action=other, text="Workshops booked with three schools", rag=Rag.RED)
    return other


def test_search_finds_updates_and_actions(notes, chair, client_for):
    response = _search(client_for(chair), q="schools")
    assert sorted(_texts(response)) == ["Knife crime workshops in schools", "Workshops booked with three schools"]


def test_snippets_highlight_the_words_found(notes, chair, client_for):
    html = _search(client_for(chair), q="schools").content.decode()
    assert "<mark>schools</mark>" in html


def test_restricted_updates_never_reach_officers_of_other_teams(notes, other_officer, client_for):
    response = _search(client_for(other_officer), q="operation")
    assert response.context["page"].paginator.count == 0
    assert "Referrals from the" not in response.content.decode()


def test_owning_team_and_chair_find_restricted_updates(notes, officer, chair, client_for):
    for user in (officer, chair):
        assert _texts(_search(client_for(user), q="operation")) == [
            "Referrals from the operation <script>alert(1)</script>"
        ]


def test_snippets_escape_what_people_wrote(notes, chair, client_for):
    html = _search(client_for(chair), q="operation").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "<mark>operation</mark>" in html


def test_outsider_finds_nothing_of_another_partnership(notes, outsider, client_for):
    assert _search(client_for(outsider), q="schools").context["page"].paginator.count == 0


def test_filters_narrow_by_rag_and_owner(notes, chair, client_for, other_team):
    client = client_for(chair)
    assert _texts(_search(client, q="schools", rag="red", owner=f"team-{other_team.pk}")) != []
    assert _texts(_search(client, q="referrals", rag="red")) == []


def test_date_range_limits_updates(notes, action, chair, client_for):
    action_add_update(action=action, text="Old referrals count", date=datetime.date(2024, 1, 5))
    response = _search(client_for(chair), q="count", date_to="2024-12-31")
    assert _texts(response) == ["Old referrals count"]
    assert _texts(_search(client_for(chair), q="count", date_from="2025-01-01")) == []


def test_a_plan_the_user_may_not_see_is_refused_as_a_filter(notes, chair, client_for):
    hidden = f.PlanFactory(partnership=f.PartnershipFactory(short_name="Hidden"))
    response = _search(client_for(chair), q="schools", plan=hidden.pk)
    assert response.status_code == 400


def test_results_are_paginated(chair, client_for, action):
    for n in range(25):
        f.UpdateFactory(action=action, text=f"Patrol number {n}")
    client = client_for(chair)
    first = _search(client, q="patrol")
    assert len(first.context["results"]) == 20 and first.context["page"].paginator.count == 25
    assert len(_search(client, q="patrol", page=2).context["results"]) == 5


def test_anonymous_is_sent_to_sign_in(client):
    assert _search(client, q="x").status_code == 302


def test_search_query_count_does_not_grow_with_the_data(chair, client_for, issue):
    from django.test.utils import CaptureQueriesContext

    client = client_for(chair)
    counts = []
    for n in (2, 15):
        for _ in range(n):
            f.UpdateFactory(action=f.ActionFactory(issue=issue, text="Patrol the park"), text="Patrol done")
        with CaptureQueriesContext(connection) as ctx:
            assert _search(client, q="patrol").status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_the_form_keeps_what_was_chosen(notes, chair, client_for, other_team, plan):
    html = _search(client_for(chair), q="schools", rag=["red", "amber"], owner=f"team-{other_team.pk}", plan=plan.pk)
    html = html.content.decode()
    assert 'value="red" checked' in html and 'value="amber" checked' in html and 'value="green" checked' not in html
    assert f'value="team-{other_team.pk}" selected' in html
    assert f'value="{plan.pk}" selected' in html


def test_a_bad_date_is_reported_in_the_error_summary(chair, client_for):
    response = _search(client_for(chair), q="x", date_from="not a date")
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_restricted_rule_in_sql_agrees_with_can_see_sensitive(
    action, team, officer, other_officer, chair, admin, outsider, superuser
):
    from actions.access import action_rights
    from actions.models import ActionUpdate, readable_update_filter

    joint = f.TeamFactory(partnership=outsider.roles.get().partnership)
    f.TeamGrantFactory(partnership=action.plan.partnership, team=joint)
    outsider.teams.add(joint)
    action.owner_teams.add(joint)
    action_add_update(action=action, text="Restricted", marking=Marking.OFFICIAL_SENSITIVE)
    for user in (officer, other_officer, chair, admin, outsider, superuser):
        user.forget_cached_access()
        in_sql = ActionUpdate.objects.filter(readable_update_filter(user)).exists()
        assert in_sql == action_rights(user, action).may_read_sensitive, user.username


postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's search paths")


@pytest.mark.parametrize("few_actions", [1000, 0], ids=["few-actions", "many-actions"])
def test_search_query_count_is_flat_for_few_and_many_actions(chair, client_for, issue, few_actions, monkeypatch):
    """The same number of queries at two sizes whichever way the notes are read (on PostgreSQL,
    ``FEW_ACTIONS`` decides: by the visible actions' ids, or the newest matches)."""
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("actions.search.FEW_ACTIONS", few_actions)
    client = client_for(chair)
    counts = []
    for n in (2, 15):
        for _ in range(n):
            f.UpdateFactory(action=f.ActionFactory(issue=issue, text="Patrol the park"), text="Patrol done")
        with CaptureQueriesContext(connection) as ctx:
            response = _search(client, q="patrol")
        assert response.status_code == 200
        assert response.context["results"]
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def _ranked_plan(user, text):

    from actions.models import Action
    from actions.search import search

    results = search(user, Action.objects.visible_to(user), text=text)
    union, visible, params = results.ranked
    with connection.cursor() as cursor:
        cursor.execute(f'EXPLAIN SELECT * FROM ({union}) AS "hits" WHERE {visible}', params)  # noqa: S608
        return "\n".join(row[0] for row in cursor.fetchall())


@postgres_only
def test_few_visible_actions_are_read_by_id_not_by_the_full_text_index(notes, chair, monkeypatch):
    """A partnership's notes are read through the ids of its actions, and each tested as it is
    read: the full-text index would find every match of the installation first (seconds at
    national size). Someone who sees many actions uses the full-text index (or the ids read
    from the end), newest first, and a bound."""
    plan = _ranked_plan(chair, "referrals")
    assert "ts_match_vq" in plan and "search_vector @@" not in plan, plan
    assert "_search_vector" not in plan, plan  # neither GIN index (actionupdate_/action_search_vector)
    monkeypatch.setattr("actions.search.FEW_ACTIONS", 0)
    plan = _ranked_plan(chair, "referrals")
    assert "search_vector @@" in plan and "ts_match_vq" not in plan, plan
    assert plan.count("Limit") == 2, plan  # each half keeps its newest NEWEST_MATCHES


@postgres_only
def test_many_visible_actions_rank_the_newest_matches_and_say_so(chair, client_for, action, monkeypatch):
    monkeypatch.setattr("actions.search.FEW_ACTIONS", 0)
    monkeypatch.setattr("actions.search.NEWEST_MATCHES", 3)
    notes = [action_add_update(action=action, text=f"Patrol number {n}", rag=Rag.GREEN) for n in range(5)]
    response = _search(client_for(chair), q="patrol")
    assert response.status_code == 200
    assert b'<h1 class="govuk-heading-xl">Search</h1>' in response.content
    found = {r["pk"] for r in response.context["results"] if r["kind"] == "update"}
    assert found == {u.pk for u in notes[-3:]}  # the three most recently added
    assert response.context["page"].paginator.count == 3
    assert b"more than 3 notes or actions" in response.content
    # Under the bound: all found, and no note about it.
    monkeypatch.setattr("actions.search.NEWEST_MATCHES", 6)
    response = _search(client_for(chair), q="patrol")
    assert {r["pk"] for r in response.context["results"] if r["kind"] == "update"} == {u.pk for u in notes}
    assert b"notes or actions: these results" not in response.content


@postgres_only
def test_many_visible_actions_check_the_matching_actions_not_every_visible_one(notes, chair, monkeypatch):
    """The actions half applies the visibility rule to each matching action it reads (newest
    first, until it has ``NEWEST_MATCHES``), not as a list of every visible action's id: at
    national size that list was the county user's 30,000 actions, walked down to the last match."""
    from actions.models import Action
    from actions.search import search

    monkeypatch.setattr("actions.search.FEW_ACTIONS", 0)
    union, _, _ = search(chair, Action.objects.visible_to(chair), text="schools").ranked
    actions_half = union.split(" UNION ALL ")[1]
    assert '"actions_action"."id" IN (SELECT' not in actions_half, actions_half
