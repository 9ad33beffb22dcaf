"""People and roles: invitations (one-time, expiring), role and team changes with history,
removal, deactivation that ends sessions at once, and partnership scoping."""

import datetime
import re

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners import services
from partners.models import Invitation, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def invite(client, partnership, **data):
    payload = {"email": "new.person@example.org", "first_name": "New", "last_name": "Person", "role": "officer"}
    payload.update(data)
    return client.post(reverse("partners:invite", args=[partnership.slug]), payload)


def link_from(mail):
    return re.search(r"https?://\S+/partners/invitations/\S+/", mail.body).group(0)


# Invitations ------------------------------------------------------------------------------


def test_admin_invites_a_person_by_email(client_for, admin, partnership, team, mailoutbox):
    response = invite(client_for(admin), partnership, teams=[team.pk])
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.org"]
    invitation = Invitation.objects.get()
    assert list(invitation.teams.all()) == [team]


def test_the_raw_token_is_never_stored(client_for, admin, partnership, mailoutbox):
    invite(client_for(admin), partnership)
    token = link_from(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert Invitation.objects.filter(token_hash=Invitation.hash_token(token)).exists()


def test_invited_person_sets_a_password_and_gets_role_and_teams(
    client_for, admin, client, partnership, team, mailoutbox
):
    invite(client_for(admin), partnership, teams=[team.pk], role="chair")
    client.logout()
    link = link_from(mailoutbox[0])
    response = client.post(link, {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"})
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.check_password("a long new passphrase 42")
    assert person.role_in(partnership) == Role.Kind.CHAIR
    assert list(person.teams.all()) == [team]


def test_invitation_link_works_once(client_for, admin, client, partnership, mailoutbox):
    invite(client_for(admin), partnership)
    client.logout()
    link = link_from(mailoutbox[0])
    client.post(link, {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"})
    client.logout()
    assert client.get(link).status_code == 404
    response = client.post(link, {"password1": "another long phrase 43", "password2": "another long phrase 43"})
    assert response.status_code == 404
    assert User.objects.filter(email="new.person@example.org").count() == 1


def test_invitation_link_expires_after_seven_days(client_for, admin, client, partnership, mailoutbox):
    invite(client_for(admin), partnership)
    client.logout()
    link = link_from(mailoutbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        assert client.get(link).status_code == 404
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_a_tampered_token_does_not_work(client):
    assert client.get(reverse("partners:invitation", args=["not-a-real-token"])).status_code == 404


def test_mismatched_passwords_are_refused(client_for, admin, client, partnership, mailoutbox):
    invite(client_for(admin), partnership)
    client.logout()
    response = client.post(
        link_from(mailoutbox[0]), {"password1": "a long new passphrase 42", "password2": "different"}
    )
    assert response.status_code == 400
    assert "do not match" in response.content.decode()


def test_inviting_someone_who_already_has_a_role_is_refused(client_for, admin, officer, partnership, mailoutbox):
    response = invite(client_for(admin), partnership, email=officer.email)
    assert response.status_code == 400
    assert not mailoutbox


def test_invitation_with_a_team_of_another_partnership_is_refused(client_for, admin, partnership, other_partnership):
    foreign_team = f.TeamFactory(partnership=other_partnership)
    response = invite(client_for(admin), partnership, teams=[foreign_team.pk])
    assert response.status_code == 400
    assert not Invitation.objects.exists()


@pytest.fixture
def their_team_in_a_shared_organisation(partnership, other_partnership, police):
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    return f.TeamFactory(organisation=police, partnership=other_partnership, name="Otherton SNT")


@pytest.mark.parametrize("page", ["partners:invite", "partners:person"])
def test_people_forms_offer_only_this_partnerships_teams(
    client_for, admin, officer, partnership, other_team, their_team_in_a_shared_organisation, page
):
    args = [partnership.slug] + ([officer.pk] if page == "partners:person" else [])
    response = client_for(admin).get(reverse(page, args=args))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Testshire SNT" in body
    assert "Otherton SNT" not in body


def test_a_team_of_another_partnership_is_refused_in_a_role_change(
    client_for, admin, officer, partnership, their_team_in_a_shared_organisation
):
    response = client_for(admin).post(
        reverse("partners:person", args=[partnership.slug, officer.pk]),
        {"role": "officer", "teams": [their_team_in_a_shared_organisation.pk]},
    )
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    assert their_team_in_a_shared_organisation not in officer.teams.all()


def test_existing_user_accepts_by_signing_in(client_for, admin, outsider, partnership, mailoutbox):
    invite(client_for(admin), partnership, email=outsider.email)
    client = client_for(outsider)
    assert client.post(link_from(mailoutbox[0])).status_code == 302
    outsider.forget_cached_access()
    assert outsider.role_in(partnership) == Role.Kind.OFFICER


def test_another_signed_in_account_cannot_accept_an_invitation_for_an_existing_user(
    client_for, admin, outsider, chair, partnership, mailoutbox
):
    invite(client_for(admin), partnership, email=outsider.email)
    link = link_from(mailoutbox[0])
    response = client_for(chair).post(link, follow=True)
    assert response.status_code == 200
    assert "Sign in as the invited person to accept." in response.content.decode()
    assert "Join Testshire Community Safety Partnership" in response.content.decode()
    assert outsider.role_in(partnership) is None
    assert Invitation.objects.get().is_usable()


def test_an_anonymous_visitor_cannot_accept_an_invitation_for_an_existing_user(
    client_for, admin, outsider, client, partnership, mailoutbox
):
    invite(client_for(admin), partnership, email=outsider.email)
    link = link_from(mailoutbox[0])
    client.logout()
    response = client.post(link)
    assert response.status_code == 200
    assert "Sign in as the invited person to accept." in response.content.decode()
    assert Invitation.objects.get().is_usable()


def test_officer_cannot_invite(client_for, officer, partnership):
    assert invite(client_for(officer), partnership).status_code == 403


def test_outsider_cannot_invite_into_another_partnership(client_for, outsider, partnership):
    assert invite(client_for(outsider), partnership).status_code == 404
    assert not Invitation.objects.exists()


# Roles and teams ------------------------------------------------------------------------


def test_admin_changes_a_role_and_teams_and_it_is_in_the_history(client_for, admin, officer, partnership, other_team):
    client = client_for(admin)
    url = reverse("partners:person", args=[partnership.slug, officer.pk])
    assert client.post(url, {"role": "chair", "teams": [other_team.pk]}).status_code == 302
    officer.forget_cached_access()
    assert officer.role_in(partnership) == Role.Kind.CHAIR
    assert list(officer.teams.all()) == [other_team]
    history = client.get(url).context["history"]
    assert [entry.role for entry in history][:2] == ["chair", "officer"]
    assert history[0].history_user == admin


def test_changing_teams_here_keeps_teams_of_other_partnerships(admin, officer, partnership, other_partnership):
    elsewhere = f.TeamFactory(partnership=other_partnership)
    officer.teams.add(elsewhere)
    services.role_set(partnership=partnership, user=officer, role="officer", teams=[])
    assert list(officer.teams.all()) == [elsewhere]


def test_admin_removes_a_role(client_for, admin, officer, partnership, team):
    response = client_for(admin).post(reverse("partners:person_remove", args=[partnership.slug, officer.pk]))
    assert response.status_code == 302
    assert not Role.objects.filter(user=officer).exists()
    assert not officer.teams.exists()
    assert Role.history.filter(user_id=officer.pk, history_type="-").exists()


def test_admin_cannot_remove_their_own_role(client_for, admin, partnership):
    client_for(admin).post(reverse("partners:person_remove", args=[partnership.slug, admin.pk]))
    assert Role.objects.filter(user=admin, partnership=partnership).exists()


def test_deactivating_a_person_ends_their_sessions_at_once(client_for, admin, officer, partnership, client):
    from django.test import Client

    officer_client = Client()
    officer_client.force_login(officer)
    assert officer_client.get(reverse("home")).status_code == 200
    response = client_for(admin).post(reverse("partners:person_deactivate", args=[partnership.slug, officer.pk]))
    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(officer.pk)]
    assert officer_client.get(reverse("home")).status_code == 302


def test_a_person_with_a_role_elsewhere_cannot_be_deactivated(
    client_for, admin, officer, partnership, other_partnership
):
    f.RoleFactory(user=officer, partnership=other_partnership)
    client_for(admin).post(reverse("partners:person_deactivate", args=[partnership.slug, officer.pk]))
    officer.refresh_from_db()
    assert officer.is_active


def test_admin_reactivates_a_person(client_for, admin, officer, partnership):
    officer.is_active = False
    officer.save()
    client_for(admin).post(reverse("partners:person_reactivate", args=[partnership.slug, officer.pk]))
    officer.refresh_from_db()
    assert officer.is_active


# Scoping ---------------------------------------------------------------------------------


def test_people_page_lists_only_this_partnerships_people(client_for, admin, officer, outsider, partnership):
    response = client_for(admin).get(reverse("partners:people", args=[partnership.slug]))
    names = {p.username for p in response.context["persons"]}
    assert names == {"admin", "officer"}


def test_chair_cannot_see_the_people_page(client_for, chair, partnership):
    assert client_for(chair).get(reverse("partners:people", args=[partnership.slug])).status_code == 403


def test_admin_cannot_open_a_person_of_another_partnership_through_their_own(client_for, admin, outsider, partnership):
    url = reverse("partners:person", args=[partnership.slug, outsider.pk])
    assert client_for(admin).post(url, {"role": "officer"}).status_code == 404
    assert not Role.objects.filter(user=outsider, partnership=partnership).exists()


def _people_queries(client, partnership, team, extra):
    for _ in range(extra):
        person = f.UserFactory(teams=[team])
        f.RoleFactory(user=person, partnership=partnership)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("partners:people", args=[partnership.slug])).status_code == 200
    return len(queries)


def test_people_page_query_count_does_not_grow_with_people(client_for, admin, partnership, team):
    client = client_for(admin)
    assert _people_queries(client, partnership, team, 2) == _people_queries(client, partnership, team, 20)


def test_people_link_goes_to_the_admins_partnership(client_for, admin, partnership):
    response = client_for(admin).get(reverse("partners:people_index"))
    assert response["Location"] == reverse("partners:people", args=[partnership.slug])


def test_officer_sees_no_people_link(client_for, officer, partnership):
    response = client_for(officer).get(reverse("home"))
    assert "People" not in [item["label"] for item in response.context["nav_items"]]


def test_people_page_lists_role_changes_including_removals(client_for, admin, officer, partnership):
    client = client_for(admin)
    client.post(reverse("partners:person_remove", args=[partnership.slug, officer.pk]))
    changes = client.get(reverse("partners:people", args=[partnership.slug])).context["role_changes"]
    assert (changes[0].user, changes[0].history_type, changes[0].history_user) == (officer, "-", admin)


def test_a_duplicate_organisation_caught_by_the_database_is_refused_cleanly(partnership, monkeypatch):
    f.OrganisationFactory(name="Victim Support")
    monkeypatch.setattr(services, "find_organisation", lambda name, exclude=None: None)
    with pytest.raises(services.ValidationError, match="already exists"):
        services.organisation_create(name="VICTIM SUPPORT")


def test_the_only_administrator_cannot_be_demoted(superuser, admin, partnership):
    with pytest.raises(services.ValidationError, match="only administrator"):
        services.role_set(partnership=partnership, user=admin, role="officer", teams=[])
    admin.forget_cached_access()
    assert admin.role_in(partnership) == Role.Kind.ADMIN


def test_an_administrator_can_be_demoted_when_another_remains(client_for, admin, chair, partnership):
    f.RoleFactory(user=f.UserFactory(username="second_admin"), partnership=partnership, role=Role.Kind.ADMIN)
    services.role_set(partnership=partnership, user=admin, role="officer", teams=[])
    admin.forget_cached_access()
    assert admin.role_in(partnership) == Role.Kind.OFFICER


def test_invitation_link_uses_the_configured_site_address_not_the_request_host(
    client_for, admin, partnership, mailoutbox, settings
):
    settings.SITE_URL = "https://csp.example.org"
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    client_for(admin).post(
        reverse("partners:invite", args=[partnership.slug]),
        {"email": "x@example.org", "role": "officer"},
        HTTP_HOST="evil.example",
    )
    assert link_from(mailoutbox[0]).startswith("https://csp.example.org/partners/invitations/")
