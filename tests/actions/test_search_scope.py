"""Search scope: the restricted-update rule applied with known partnerships (``actions.search._scope``)
returns exactly the updates ``ActionRights.may_read_sensitive`` allows, for every kind of person, including a chair
of one partnership who is an officer in another and owns an action jointly in a third."""

import pytest

from actions.access import action_rights
from actions.models import Action, ActionUpdate, Marking, Rag
from actions.search import search
from actions.services import action_add_update
from partners.models import Role
from tests import factories as f


@pytest.fixture
def spread(partnership, other_partnership, action, team, other_team, officer):
    """Restricted and official notes in two partnerships; one action in the other
    partnership owned jointly by ``team`` (the officer's team)."""
    other_plan = f.PlanFactory(partnership=other_partnership, start_year=2025, end_year=2026, slug="otherton-2025")
    other_issue = f.IssueFactory(priority=f.PriorityFactory(plan=other_plan, number=1))
    their_team = f.TeamFactory(name="Otherton team", partnership=other_partnership)
    joint = f.ActionFactory(issue=other_issue, text="Joint action", owner_teams=[team, their_team])
    f.TeamGrantFactory(partnership=other_partnership, team=team)
    theirs = f.ActionFactory(issue=other_issue, text="Their action", owner_teams=[their_team])
    mine_elsewhere = f.ActionFactory(issue=action.issue, text="Other team action", owner_teams=[other_team])
    for target in (action, joint, theirs, mine_elsewhere):
        action_add_update(action=target, text="Open note about referrals", rag=Rag.GREEN)
        action_add_update(
            action=target, text="Restricted note about referrals", rag=Rag.RED, marking=Marking.OFFICIAL_SENSITIVE
        )
    return other_partnership


def _found_updates(user, text):
    """The updates found, by the plain union of each half (``rows``); on PostgreSQL also
    by the query that ranks and counts with the visibility applied above the union, which
    must find the same, in the same order."""
    results = search(user, Action.objects.visible_to(user), text=text)
    rows = list(results.rows)
    results.prime(0, 1000)
    assert results.count() == len(rows)
    assert list(results[0:1000]) == rows
    return {pk for kind, pk, *_ in rows if kind == "update"}


def _allowed_updates(user):
    visible = set(Action.objects.visible_to(user).values_list("pk", flat=True))
    return {
        u.pk
        for u in ActionUpdate.objects.live().filter(action_id__in=visible).select_related("action")
        if u.marking == Marking.OFFICIAL or action_rights(user, u.action).may_read_sensitive
    }


@pytest.mark.parametrize("few_actions", [None, 0], ids=["few-actions", "many-actions"])
@pytest.mark.parametrize("text", ["referrals", ""])
def test_search_scope_matches_can_see_sensitive_for_every_person(
    spread, officer, other_officer, chair, admin, outsider, superuser, text, few_actions, monkeypatch
):
    if few_actions is not None:
        # On PostgreSQL: everyone as if they saw more than FEW_ACTIONS actions (a county
        # user): the newest matches of each half, scoped in SQL (actions.search._newest_results).
        monkeypatch.setattr("actions.search.FEW_ACTIONS", few_actions)
    mixed = f.UserFactory(username="mixed", teams=[])
    f.RoleFactory(user=mixed, partnership=spread, role=Role.Kind.CHAIR)
    officer_elsewhere = f.UserFactory(username="two_hats")
    f.RoleFactory(user=officer_elsewhere, partnership=spread, role=Role.Kind.CHAIR)
    f.RoleFactory(user=officer_elsewhere, partnership=officer.roles.first().partnership, role=Role.Kind.OFFICER)
    county = f.UserFactory(username="county", teams=[])
    f.RoleFactory(user=county, partnership=spread, role=Role.Kind.CHAIR)
    f.RoleFactory(user=county, partnership=officer.roles.first().partnership, role=Role.Kind.ADMIN)
    for user in (officer, other_officer, chair, admin, outsider, superuser, mixed, officer_elsewhere, county):
        visible = {a.pk for a in Action.objects.all() if action_rights(user, a).may_view}
        assert set(Action.objects.visible_to(user).values_list("pk", flat=True)) == visible, user.username
        assert _found_updates(user, text) == _allowed_updates(user), user.username
    # Not vacuous: some restricted notes are hidden from some people and shown to others.
    assert len(_allowed_updates(officer_elsewhere)) < len(_allowed_updates(superuser))
    assert _allowed_updates(officer) - _allowed_updates(other_officer)
    assert _allowed_updates(county) == _allowed_updates(superuser)


def test_an_edited_note_is_found_by_its_new_words_only(action, chair):
    """On PostgreSQL the stored search vector follows the text (a generated column)."""
    update = action_add_update(action=action, text="Leaflets delivered", rag=Rag.GREEN)
    update.text = "Bramblefield residents consulted"
    update.save()
    assert update.pk in _found_updates(chair, "Bramblefield")
    assert update.pk not in _found_updates(chair, "Leaflets")
