"""Destructive administration acts ask first (a confirmation page that changes nothing),
act on POST, and offer an undo where it is cheap."""

import pytest
from django.urls import reverse

from partners.models import Contact, Role, TeamGrant
from tests import factories as f


def remove_url(partnership, person):
    return reverse("partners:person_remove", args=[partnership.slug, person.pk])


def restore_url(partnership, person):
    return reverse("partners:person_restore", args=[partnership.slug, person.pk])


@pytest.fixture
def their_team(partnership, other_partnership):
    police = f.OrganisationFactory(name="County Constabulary")
    f.MembershipFactory(partnership=partnership, organisation=police)
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    return f.TeamFactory(name="Otherton SNT", organisation=police, partnership=other_partnership)


# Remove role ------------------------------------------------------------------------------


def test_remove_role_asks_first_and_says_what_will_happen(client_for, admin, officer, partnership, team):
    response = client_for(admin).get(remove_url(partnership, officer))
    assert response.status_code == 200
    assert f"Remove {officer}’s role in {partnership.short_name}?" in response.text
    assert "officer in Testshire Community Safety Team" in response.text
    assert "You can undo this" in response.text
    assert Role.objects.filter(user=officer, partnership=partnership).exists()


@pytest.mark.parametrize(("who", "status"), [("chair", 403), ("officer", 403), ("outsider", 404)])
def test_only_an_admin_sees_the_remove_confirmation(client_for, request, officer, partnership, who, status):
    response = client_for(request.getfixturevalue(who)).get(remove_url(partnership, officer))
    assert response.status_code == status


def test_an_admin_is_told_they_cannot_remove_their_own_role(client_for, admin, partnership):
    response = client_for(admin).get(remove_url(partnership, admin))
    assert "You cannot remove your own role" in response.text
    assert 'type="submit"' not in response.text.split("<main", 1)[1]


def test_removing_a_role_offers_an_undo_that_gives_role_and_teams_back(client_for, admin, officer, partnership, team):
    client = client_for(admin)
    people = client.post(remove_url(partnership, officer), follow=True)
    assert f"{officer} no longer has a role in" in people.text
    assert f'action="{restore_url(partnership, officer)}"' in people.text
    assert not Role.objects.filter(user=officer).exists()

    response = client.post(restore_url(partnership, officer))
    assert response.status_code == 302
    assert Role.objects.get(user=officer, partnership=partnership).role == "officer"
    assert list(officer.teams.all()) == [team]


def test_an_undo_works_once(client_for, admin, officer, partnership, team):
    client = client_for(admin)
    client.post(remove_url(partnership, officer))
    client.post(restore_url(partnership, officer))
    client.post(remove_url(partnership, officer))  # removed again: a new undo
    client.post(restore_url(partnership, officer))
    page = client.post(restore_url(partnership, officer), follow=True)
    assert "There is nothing to undo" in page.text


def test_an_undo_expires(client_for, admin, officer, partnership, team):
    client = client_for(admin)
    client.post(remove_url(partnership, officer))
    session = client.session
    session["undo"] = session["undo"] | {"at": session["undo"]["at"] - 31 * 60}  # half an hour ago
    session.save()
    assert client.post(restore_url(partnership, officer)).status_code == 404
    assert not Role.objects.filter(user=officer).exists()


def test_an_undo_cannot_give_a_role_to_someone_else(client_for, admin, officer, other_officer, partnership, team):
    client = client_for(admin)
    client.post(remove_url(partnership, officer))
    client.post(remove_url(partnership, other_officer))
    client.post(restore_url(partnership, officer))  # only the latest removal can be undone
    assert not Role.objects.filter(user=officer).exists()


def test_a_chair_cannot_undo(client_for, chair, officer, partnership):
    assert client_for(chair).post(restore_url(partnership, officer)).status_code == 403


# Deactivate -------------------------------------------------------------------------------


def test_deactivate_asks_first_and_changes_nothing(client_for, admin, officer, partnership):
    response = client_for(admin).get(reverse("partners:person_deactivate", args=[partnership.slug, officer.pk]))
    assert response.status_code == 200
    assert "will be signed out everywhere" in response.text
    officer.refresh_from_db()
    assert officer.is_active


def test_deactivate_is_refused_on_the_confirmation_for_someone_with_a_role_elsewhere(
    client_for, admin, officer, partnership, other_partnership
):
    f.RoleFactory(user=officer, partnership=other_partnership)
    response = client_for(admin).get(reverse("partners:person_deactivate", args=[partnership.slug, officer.pk]))
    assert "also has a role in another partnership" in response.text
    assert "Deactivate account</button>" not in response.text


def test_a_deactivation_can_be_undone(client_for, admin, officer, partnership):
    client = client_for(admin)
    page = client.post(reverse("partners:person_deactivate", args=[partnership.slug, officer.pk]), follow=True)
    undo = reverse("partners:person_reactivate", args=[partnership.slug, officer.pk])
    assert f'action="{undo}"' in page.text
    client.post(undo)
    officer.refresh_from_db()
    assert officer.is_active


# Team grants ------------------------------------------------------------------------------


def test_removing_a_grant_can_be_undone(client_for, admin, partnership, their_team):
    grant = f.TeamGrantFactory(partnership=partnership, team=their_team, note="Joint patrols", granted_by=admin)
    client = client_for(admin)
    page = client.post(reverse("partners:grant_revoke", args=[partnership.slug, grant.pk]), follow=True)
    assert not TeamGrant.objects.exists()
    assert f'action="{reverse("partners:grant_restore", args=[partnership.slug])}"' in page.text
    client.post(reverse("partners:grant_restore", args=[partnership.slug]))
    again = TeamGrant.objects.get()
    assert (again.team, again.note, again.granted_by) == (their_team, "Joint patrols", admin)


def test_a_grant_undo_is_only_for_the_partnership_it_came_from(
    client_for, admin, partnership, other_partnership, their_team
):
    grant = f.TeamGrantFactory(partnership=partnership, team=their_team)
    client = client_for(admin)
    client.post(reverse("partners:grant_revoke", args=[partnership.slug, grant.pk]))
    f.RoleFactory(user=admin, partnership=other_partnership, role="admin")
    client.post(reverse("partners:grant_restore", args=[other_partnership.slug]))
    assert not TeamGrant.objects.exists()


# Contacts ---------------------------------------------------------------------------------


def test_removing_a_contact_asks_first_and_changes_nothing(client_for, admin, partnership, council):
    contact = f.ContactFactory(partnership=partnership, organisation=council, name="Jo Public", role="Manager")
    response = client_for(admin).get(reverse("partners:contact_delete", args=[partnership.slug, contact.pk]))
    assert response.status_code == 200
    assert "Remove Jo Public from the contacts?" in response.text
    assert "Jo Public (Manager) will be taken off the directory" in response.text
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_chair_cannot_see_the_contact_removal(client_for, chair, partnership, council):
    contact = f.ContactFactory(partnership=partnership, organisation=council)
    response = client_for(chair).get(reverse("partners:contact_delete", args=[partnership.slug, contact.pk]))
    assert response.status_code == 403


def test_a_removed_contact_can_be_put_back(client_for, admin, partnership, council):
    f.ContactFactory(partnership=partnership, organisation=council, name="Jo Public", role="Manager", is_public=True)
    contact = Contact.objects.get()
    client = client_for(admin)
    page = client.post(reverse("partners:contact_delete", args=[partnership.slug, contact.pk]), follow=True)
    assert "Jo Public was removed from the contacts." in page.text
    assert not Contact.objects.exists()
    client.post(reverse("partners:contact_restore", args=[partnership.slug]))
    back = Contact.objects.get()
    assert (back.name, back.role, back.organisation, back.is_public) == ("Jo Public", "Manager", council, True)
