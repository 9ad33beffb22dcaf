"""Accounts that end: the last sign-in on the people pages, dormant people flagged then
deactivated by a command (sessions ended, administrators told), and a person ending
their own sessions on the account page."""

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from partners.models import User, UserSession

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 1, 9, tzinfo=datetime.UTC)


def signed_in_days_ago(user, days):
    user.last_login = NOW - datetime.timedelta(days=days)
    user.save(update_fields=["last_login"])
    return user


# Sessions


def test_signing_in_records_the_session_with_a_shortened_address(client, officer):
    client.post(
        reverse("login"),
        {"username": officer.username, "password": "correct horse battery staple"},
        REMOTE_ADDR="203.0.113.77",
        HTTP_USER_AGENT="Firefox on Windows",
    )
    record = UserSession.objects.get(user=officer)
    assert record.session_key == client.session.session_key
    assert (record.ip_address, record.user_agent) == ("203.0.113.0/24", "Firefox on Windows")


def test_a_person_ends_another_of_their_sessions(client, officer):
    other_browser = Client()
    other_browser.force_login(officer)
    client.force_login(officer)
    other = UserSession.objects.get(session_key=other_browser.session.session_key)
    response = client.post(reverse("twofactor:session_end", args=[other.pk]))
    assert response.status_code == 302
    assert other_browser.get(reverse("home")).status_code == 302  # sent to sign in
    assert client.get(reverse("home")).status_code == 200


def test_ending_this_browsers_session_signs_out(client, officer):
    client.force_login(officer)
    mine = UserSession.objects.get(session_key=client.session.session_key)
    response = client.post(reverse("twofactor:session_end", args=[mine.pk]))
    assert response["Location"] == reverse("login")
    assert SESSION_KEY not in client.session


def test_nobody_ends_another_persons_session(client_for, officer, other_officer):
    theirs = Client()
    theirs.force_login(other_officer)
    record = UserSession.objects.get(user=other_officer)
    assert client_for(officer).post(reverse("twofactor:session_end", args=[record.pk])).status_code == 404
    assert Session.objects.filter(session_key=record.session_key).exists()


def test_the_account_page_lists_only_live_sessions(client_for, officer):
    UserSession.objects.create(user=officer, session_key="long-gone", user_agent="Old browser")
    page = client_for(officer).get(reverse("account")).content.decode()
    assert "This browser" in page
    assert "Old browser" not in page


def test_last_seen_is_written_at_most_every_few_minutes(client, officer):
    with time_machine.travel(NOW, tick=False) as traveller:
        client.force_login(officer)
        record = UserSession.objects.get(user=officer)
        traveller.shift(datetime.timedelta(minutes=2))
        client.get(reverse("account"))
        assert UserSession.objects.get(pk=record.pk).last_seen_at == NOW
        traveller.shift(datetime.timedelta(minutes=4))
        client.get(reverse("account"))
        assert UserSession.objects.get(pk=record.pk).last_seen_at == NOW + datetime.timedelta(minutes=6)


# Dormant accounts


@time_machine.travel(NOW, tick=False)
def test_the_people_list_shows_last_sign_in_and_flags_dormant_people(client_for, partnership, admin, officer, chair):
    signed_in_days_ago(officer, 91)
    signed_in_days_ago(chair, 10)
    page = client_for(admin).get(reverse("partners:people", args=[partnership.slug])).content.decode()
    assert page.count("Not signed in for over 90 days") == 1
    assert officer.last_login.strftime("%-d %B %Y") in page


@time_machine.travel(NOW, tick=False)
def test_the_command_deactivates_people_dormant_past_the_grace_period(
    django_capture_on_commit_callbacks, partnership, admin, officer, chair, other_officer
):
    signed_in_days_ago(officer, 121)
    signed_in_days_ago(chair, 100)  # flagged, not yet deactivated
    signed_in_days_ago(admin, 1)
    other_officer.last_login = None
    other_officer.date_joined = NOW - datetime.timedelta(days=200)  # invited, never signed in
    other_officer.save()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deactivate_dormant_accounts", stdout=io.StringIO())
    active = dict(
        User.objects.filter(pk__in=[officer.pk, chair.pk, admin.pk, other_officer.pk]).values_list(
            "username", "is_active"
        )
    )
    assert active == {
        officer.username: False,
        chair.username: True,
        admin.username: True,
        other_officer.username: False,
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [admin.email]
    assert str(officer) in mail.outbox[0].body and str(other_officer) in mail.outbox[0].body


@time_machine.travel(NOW, tick=False)
def test_the_command_is_idempotent_and_spares_superusers(django_capture_on_commit_callbacks, admin, officer, superuser):
    signed_in_days_ago(officer, 200)
    signed_in_days_ago(superuser, 200)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("deactivate_dormant_accounts", stdout=io.StringIO())
        call_command("deactivate_dormant_accounts", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    assert User.objects.get(pk=superuser.pk).is_active
    assert User.history.filter(id=officer.pk, is_active=False).count() == 1


def test_deactivation_ends_the_persons_sessions_at_once(client, officer):
    client.force_login(officer)
    key = client.session.session_key
    with time_machine.travel(timezone.now() + datetime.timedelta(days=200), tick=False):
        call_command("deactivate_dormant_accounts", stdout=io.StringIO())
    assert not Session.objects.filter(session_key=key).exists()
    assert not UserSession.objects.filter(user=officer).exists()


def test_the_periods_are_settings(settings, admin, officer):
    settings.DORMANT_AFTER_DAYS = 10
    settings.DEACTIVATE_AFTER_DORMANT_DAYS = 5
    with time_machine.travel(NOW, tick=False):
        signed_in_days_ago(officer, 16)
        call_command("deactivate_dormant_accounts", stdout=io.StringIO())
    assert not User.objects.get(pk=officer.pk).is_active
