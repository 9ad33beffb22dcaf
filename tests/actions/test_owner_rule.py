"""The owner rule across partnerships (docs/administration.md, "Who sees whose actions"):
a team counts as an owner only in its own partnership and in those that granted it, so
an organisation shared by many partnerships lets no other partnership's team in.

The security probe's chain (issue 11) step by step, then each queryset method directly."""

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.access import action_rights
from actions.models import Action, ActionUpdate, Marking
from actions.services import action_add_update
from partners.models import Membership, Role, Team
from partners.token_services import create_api_token
from tests import factories as f


@pytest.fixture
def hertsmere(db):
    return f.PartnershipFactory(name="Hertsmere Community Safety Partnership", short_name="Hertsmere", slug="hertsmere")


@pytest.fixture
def constabulary(hertsmere):
    police = f.OrganisationFactory(name="Hertfordshire Constabulary")
    f.MembershipFactory(partnership=hertsmere, organisation=police)
    return police


@pytest.fixture
def hertsmere_snt(hertsmere, constabulary):
    return f.TeamFactory(name="Hertsmere SNT", organisation=constabulary, partnership=hertsmere)


@pytest.fixture
def hertsmere_action(hertsmere, constabulary):
    """Owned by the county police at organisation level, with an official and a restricted note."""
    plan = f.PlanFactory(partnership=hertsmere, slug="hertsmere-2024-2027", start_year=2024, end_year=2027)
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1))
    action = f.ActionFactory(issue=issue, text="Burglary patrols in Borehamwood", owner_organisations=[constabulary])
    action_add_update(action=action, text="Burglary patrols started")
    action_add_update(action=action, text="Burglary suspect named", marking=Marking.OFFICIAL_SENSITIVE)
    return action


@pytest.fixture
def hertsmere_officer(hertsmere, hertsmere_snt):
    user = f.UserFactory(username="hertsmere_officer", teams=[hertsmere_snt])
    f.RoleFactory(user=user, partnership=hertsmere, role=Role.Kind.OFFICER)
    return user


def _update_data():
    return {
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "text": "Written from another partnership",
        "rag": "green",
        "status": "",
        "status_reason": "",
        "marking": "official",
    }


# The probe's chain --------------------------------------------------------------------


@pytest.fixture
def rogue_team(client_for, admin, officer, team, partnership, constabulary, hertsmere_action):
    """Steps 1 to 3, as the admin of ``partnership``: add the county police as a partner,
    create a team under it, put the officer in it. Each is allowed, and harmless."""
    client = client_for(admin)
    client.post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"organisation": constabulary.pk, "type": Membership.Type.STATUTORY, "sector": "police"},
    )
    if not Membership.objects.filter(partnership=partnership, organisation=constabulary).exists():
        f.MembershipFactory(partnership=partnership, organisation=constabulary)  # refused: the chain goes on anyway
    response = client.post(
        reverse("partners:team_add", args=[partnership.slug, constabulary.pk]), {"name": "Exampleshire Police Desk"}
    )
    assert response.status_code == 302
    rogue = Team.objects.get(name="Exampleshire Police Desk")
    response = client.post(
        reverse("partners:person", args=[partnership.slug, officer.pk]),
        {"role": Role.Kind.OFFICER, "teams": [team.pk, rogue.pk]},
    )
    assert response.status_code == 302
    assert set(officer.teams.all()) == {team, rogue}
    return rogue


def test_a_team_created_under_a_shared_organisation_lands_in_the_admins_partnership(rogue_team, partnership):
    assert rogue_team.partnership == partnership


def test_officer_of_that_team_gets_404_on_the_other_partnerships_action(
    client_for, officer, rogue_team, hertsmere_action
):
    client = client_for(officer)
    assert client.get(reverse("actions:detail", args=[hertsmere_action.pk])).status_code == 404
    assert client.get(reverse("actions:history", args=[hertsmere_action.pk])).status_code == 404


def test_officer_of_that_team_cannot_post_an_update_there(client_for, officer, rogue_team, hertsmere_action):
    before = ActionUpdate.objects.filter(action=hertsmere_action).count()
    response = client_for(officer).post(reverse("actions:detail", args=[hertsmere_action.pk]), _update_data())
    assert response.status_code == 404
    assert ActionUpdate.objects.filter(action=hertsmere_action).count() == before


def test_officer_of_that_team_finds_it_in_no_search(client_for, officer, rogue_team, action, hertsmere_action):
    action_add_update(action=action, text="Burglary advice leaflets delivered")
    response = client_for(officer).get(reverse("actions:search"), {"q": "burglary"})
    assert response.status_code == 200
    found = [r["text"] for r in response.context["results"]]
    assert found == ["Burglary advice leaflets delivered"]
    assert "Borehamwood" not in response.text


def test_officer_of_that_team_gets_no_export_feed_pdf_or_plan(
    client, client_for, officer, rogue_team, hertsmere_action
):
    slug = hertsmere_action.plan.slug
    signed_in = client_for(officer)
    for url in (
        reverse("plans:detail", args=[slug]),
        reverse("plans:export", args=[slug, "xlsx"]),
        reverse("plans:pdf", args=[slug]),
        reverse("plans:dashboard", args=[slug]),
    ):
        assert signed_in.get(url).status_code == 404, url
    _, raw = create_api_token(user=officer, name="Excel")
    feed = client.get(reverse("plans:feed", args=[slug, "updates.csv"]), headers={"Authorization": f"Bearer {raw}"})
    assert feed.status_code == 404


def test_officer_of_that_team_owns_none_of_it(officer, rogue_team, action, hertsmere_action):
    officer.forget_cached_access()
    assert list(Action.objects.owned_by(officer)) == [action]
    assert hertsmere_action not in Action.objects.visible_to(officer)
    assert not ActionUpdate.objects.readable_by(officer).filter(action=hertsmere_action).exists()
    assert not action_rights(officer, hertsmere_action).may_view


def test_my_actions_lists_only_the_officers_own(client_for, officer, rogue_team, action, hertsmere_action):
    response = client_for(officer).get(reverse("actions:mine"))
    assert response.status_code == 200
    assert action.text in response.text
    assert "Borehamwood" not in response.text


def test_the_police_team_of_the_actions_own_partnership_still_owns_it(client_for, hertsmere_officer, hertsmere_action):
    response = client_for(hertsmere_officer).post(reverse("actions:detail", args=[hertsmere_action.pk]), _update_data())
    assert response.status_code == 302
    assert hertsmere_action.updates.filter(text="Written from another partnership").exists()


# Admins keep to their own partnership's teams -----------------------------------------


def test_admin_cannot_put_a_person_into_another_partnerships_team(client_for, admin, officer, team, hertsmere_snt):
    url = reverse("partners:person", args=[officer.roles.get().partnership.slug, officer.pk])
    response = client_for(admin).post(url, {"role": Role.Kind.OFFICER, "teams": [team.pk, hertsmere_snt.pk]})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert hertsmere_snt not in officer.teams.all()


def test_the_role_service_refuses_another_partnerships_team(partnership, officer, hertsmere_snt):
    from django.core.exceptions import ValidationError

    from partners.services import role_set

    with pytest.raises(ValidationError):
        role_set(partnership=partnership, user=officer, role=Role.Kind.OFFICER, teams=[hertsmere_snt])
    assert hertsmere_snt not in officer.teams.all()


def test_admin_cannot_edit_another_partnerships_team(client_for, admin, partnership, constabulary, hertsmere_snt):
    f.MembershipFactory(partnership=partnership, organisation=constabulary)
    response = client_for(admin).post(
        reverse("partners:team_edit", args=[partnership.slug, hertsmere_snt.pk]), {"name": "Renamed"}
    )
    assert response.status_code == 404
    hertsmere_snt.refresh_from_db()
    assert hertsmere_snt.name == "Hertsmere SNT"


def test_the_team_services_refuse_another_partnerships_team(partnership, hertsmere_snt):
    from django.core.exceptions import ValidationError

    from partners.services import team_end, team_update

    with pytest.raises(ValidationError):
        team_update(partnership=partnership, team=hertsmere_snt, name="Renamed")
    with pytest.raises(ValidationError):
        team_end(partnership=partnership, team=hertsmere_snt, ended_on=timezone.localdate())
    hertsmere_snt.refresh_from_db()
    assert (hertsmere_snt.name, hertsmere_snt.ended_on) == ("Hertsmere SNT", None)


def test_a_team_is_created_only_under_a_current_partner(partnership, constabulary):
    from django.core.exceptions import ValidationError

    from partners.services import team_create

    with pytest.raises(ValidationError):
        team_create(partnership=partnership, organisation=constabulary, name="Not our partner's team")
    assert not Team.objects.filter(name="Not our partner's team").exists()


# Grants ---------------------------------------------------------------------------------


@pytest.fixture
def granted(hertsmere, team, hertsmere_action):
    """Hertsmere names ``team`` (of ``partnership``) as an owner of its action and grants it."""
    hertsmere_action.owner_teams.add(team)
    return f.TeamGrantFactory(partnership=hertsmere, team=team)


def test_a_granted_team_owns_the_action_and_reads_its_restricted_notes(officer, granted, hertsmere_action):
    rights = action_rights(officer, hertsmere_action)
    assert (rights.may_view, rights.may_edit, rights.may_read_sensitive) == (True, True, True)
    assert hertsmere_action in Action.objects.owned_by(officer)
    assert ActionUpdate.objects.readable_by(officer).filter(action=hertsmere_action).count() == 2


def test_without_the_grant_naming_the_team_as_owner_gives_nothing(officer, team, hertsmere_action):
    hertsmere_action.owner_teams.add(team)
    assert not action_rights(officer, hertsmere_action).may_view
    assert hertsmere_action not in Action.objects.visible_to(officer)


def test_a_grant_counts_organisation_level_ownership_only_for_the_teams_own_organisation(
    officer, hertsmere, team, constabulary
):
    """Granted, the team counts for its organisation too; another organisation it shares nothing with does not."""
    f.TeamGrantFactory(partnership=hertsmere, team=team)
    plan = f.PlanFactory(partnership=hertsmere, slug="hertsmere-other", start_year=2025, end_year=2026)
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1))
    by_council = f.ActionFactory(issue=issue, owner_organisations=[team.organisation])
    assert action_rights(officer, by_council).may_view  # the granted team's organisation, in Hertsmere
    assert by_council in Action.objects.visible_to(officer)
    by_police = f.ActionFactory(issue=issue, owner_organisations=[constabulary])
    assert not action_rights(officer, by_police).may_view


def test_revoking_the_grant_ends_access_at_once(client_for, officer, granted, hertsmere_action):
    client = client_for(officer)
    assert client.get(reverse("actions:detail", args=[hertsmere_action.pk])).status_code == 200
    granted.delete()
    assert client.get(reverse("actions:detail", args=[hertsmere_action.pk])).status_code == 404
