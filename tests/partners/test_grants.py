"""The grant page: "Teams of other partnerships working on our plan"."""

import pytest
from django.urls import reverse

from partners.models import TeamGrant
from tests import factories as f


@pytest.fixture
def shared_police(partnership, other_partnership):
    """The county police, a current partner of both partnerships."""
    police = f.OrganisationFactory(name="County Constabulary")
    f.MembershipFactory(partnership=partnership, organisation=police)
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    return police


@pytest.fixture
def their_team(other_partnership, shared_police):
    return f.TeamFactory(name="Otherton SNT", organisation=shared_police, partnership=other_partnership)


def _url(partnership):
    return reverse("partners:grants", args=[partnership.slug])


def test_admin_sees_the_page_with_the_teams_to_choose(client_for, admin, partnership, their_team):
    response = client_for(admin).get(_url(partnership))
    assert response.status_code == 200
    assert "Teams of other partnerships working on our plan" in response.text
    assert "Otherton SNT (County Constabulary)" in response.text


def test_admin_grants_a_team(client_for, admin, partnership, their_team):
    response = client_for(admin).post(_url(partnership), {"team": their_team.pk, "note": "Joint patrols"})
    assert response.status_code == 302
    grant = TeamGrant.objects.get()
    assert (grant.partnership, grant.team, grant.granted_by, grant.note) == (
        partnership,
        their_team,
        admin,
        "Joint patrols",
    )


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_members_who_are_not_admins_may_not_grant(client_for, request, partnership, their_team, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(_url(partnership)).status_code == 403
    assert client.post(_url(partnership), {"team": their_team.pk}).status_code == 403
    assert not TeamGrant.objects.exists()


def test_outsiders_get_404(client_for, outsider, partnership, their_team):
    assert client_for(outsider).post(_url(partnership), {"team": their_team.pk}).status_code == 404
    assert not TeamGrant.objects.exists()


def test_anonymous_is_sent_to_sign_in(client, partnership):
    response = client.get(_url(partnership))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("case", ["own team", "not a partner", "no team", "unknown id"])
def test_bad_choices_are_refused_with_a_message(client_for, admin, partnership, other_partnership, team, case):
    stranger = f.TeamFactory(name="Stranger team", partnership=other_partnership)  # its organisation is no partner
    team_id = {"own team": team.pk, "not a partner": stranger.pk, "no team": "", "unknown id": "999999"}[case]
    response = client_for(admin).post(_url(partnership), {"team": team_id})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert not TeamGrant.objects.exists()


def test_a_team_granted_already_is_not_offered_again(client_for, admin, partnership, their_team):
    f.TeamGrantFactory(partnership=partnership, team=their_team)
    response = client_for(admin).post(_url(partnership), {"team": their_team.pk})
    assert response.status_code == 400
    assert TeamGrant.objects.count() == 1


def test_admin_revokes_a_grant(client_for, admin, partnership, their_team):
    grant = f.TeamGrantFactory(partnership=partnership, team=their_team)
    response = client_for(admin).post(reverse("partners:grant_revoke", args=[partnership.slug, grant.pk]))
    assert response.status_code == 302
    assert not TeamGrant.objects.exists()


def test_revoking_another_partnerships_grant_is_not_found(client_for, admin, partnership, other_partnership, team):
    theirs = f.TeamGrantFactory(partnership=other_partnership, team=team)
    response = client_for(admin).post(reverse("partners:grant_revoke", args=[partnership.slug, theirs.pk]))
    assert response.status_code == 404
    assert TeamGrant.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize("who", ["officer", "chair", "outsider"])
def test_others_may_not_revoke(client_for, request, partnership, their_team, who):
    grant = f.TeamGrantFactory(partnership=partnership, team=their_team)
    response = client_for(request.getfixturevalue(who)).post(
        reverse("partners:grant_revoke", args=[partnership.slug, grant.pk])
    )
    assert response.status_code == (404 if who == "outsider" else 403)
    assert TeamGrant.objects.filter(pk=grant.pk).exists()


def test_revoke_asks_first_and_changes_nothing(client_for, admin, partnership, their_team):
    grant = f.TeamGrantFactory(partnership=partnership, team=their_team)
    response = client_for(admin).get(reverse("partners:grant_revoke", args=[partnership.slug, grant.pk]))
    assert response.status_code == 200
    assert f"Stop {their_team.name} working on" in response.text
    assert TeamGrant.objects.filter(pk=grant.pk).exists()


def test_team_names_are_escaped(client_for, admin, partnership, other_partnership, shared_police):
    f.TeamFactory(name="<script>alert(1)</script>", organisation=shared_police, partnership=other_partnership)
    response = client_for(admin).get(_url(partnership))
    assert response.status_code == 200
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "<script>alert(1)</script>" not in response.text


def test_the_service_refuses_own_and_non_partner_teams(partnership, other_partnership, team, admin):
    from django.core.exceptions import ValidationError

    from partners.services import team_grant_create

    stranger = f.TeamFactory(name="Stranger team", partnership=other_partnership)
    for refused in (team, stranger):
        with pytest.raises(ValidationError):
            team_grant_create(partnership=partnership, team=refused, granted_by=admin)
    assert not TeamGrant.objects.exists()


def test_the_service_revokes_only_its_own_partnerships_grant(partnership, other_partnership, team):
    from django.core.exceptions import ValidationError

    from partners.services import team_grant_revoke

    theirs = f.TeamGrantFactory(partnership=other_partnership, team=team)
    with pytest.raises(ValidationError):
        team_grant_revoke(partnership=partnership, grant=theirs)
    assert TeamGrant.objects.filter(pk=theirs.pk).exists()
