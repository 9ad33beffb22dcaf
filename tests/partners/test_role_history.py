"""The history of a person's role says what changed and who changed it."""

from django.urls import reverse

from partners.models import Role, User

from .test_people import invite, link_from


def person_url(partnership, person):
    return reverse("partners:person", args=[partnership.slug, person.pk])


def latest_line(person, partnership):
    return Role.history.filter(user_id=person.pk, partnership_id=partnership.pk).order_by("-history_id").first()


def test_changing_only_the_teams_says_teams_changed_not_role(client_for, admin, officer, partnership, team, other_team):
    client_for(admin).post(person_url(partnership, officer), {"role": "officer", "teams": [other_team.pk]})
    page = client_for(admin).get(person_url(partnership, officer)).text
    assert "Teams changed from Testshire Community Safety Team to Testshire SNT" in page
    assert "Role changed" not in page
    assert latest_line(officer, partnership).history_user == admin


def test_taking_someone_out_of_every_team_says_none(client_for, admin, officer, partnership, team):
    client_for(admin).post(person_url(partnership, officer), {"role": "officer"})
    assert latest_line(officer, partnership).history_change_reason == (
        "Teams changed from Testshire Community Safety Team to none"
    )


def test_changing_the_role_says_from_what_to_what(client_for, admin, officer, partnership, team):
    client_for(admin).post(person_url(partnership, officer), {"role": "chair", "teams": [team.pk]})
    line = latest_line(officer, partnership)
    assert line.history_change_reason == "Role changed from Officer to Chair or reviewer"
    assert line.history_user == admin


def test_changing_role_and_teams_says_both(client_for, admin, officer, partnership, other_team):
    client_for(admin).post(person_url(partnership, officer), {"role": "chair", "teams": [other_team.pk]})
    assert latest_line(officer, partnership).history_change_reason == (
        "Role changed from Officer to Chair or reviewer. "
        "Teams changed from Testshire Community Safety Team to Testshire SNT"
    )


def test_saving_without_a_change_adds_no_history_line(client_for, admin, officer, partnership, team):
    before = Role.history.filter(user_id=officer.pk).count()
    client_for(admin).post(person_url(partnership, officer), {"role": "officer", "teams": [team.pk]})
    assert Role.history.filter(user_id=officer.pk).count() == before


def test_an_accepted_invitation_records_who_invited(client_for, admin, client, partnership, team, mailoutbox):
    invite(client_for(admin), partnership, teams=[team.pk], role="chair")
    client.logout()
    password = "a long new passphrase 42"
    client.post(link_from(mailoutbox[0]), {"password1": password, "password2": password})
    person = User.objects.get(email="new.person@example.org")
    line = latest_line(person, partnership)
    assert line.history_user == admin
    assert (
        line.history_change_reason
        == "Given the role Chair or reviewer in Testshire Community Safety Team, by invitation"
    )
    page = client_for(admin).get(person_url(partnership, person)).text
    assert "Not recorded" not in page
