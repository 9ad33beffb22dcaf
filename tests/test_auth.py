"""Signing in and out, password resets by email, session expiry and rate-limited sign-ins."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

PASSWORD = "correct horse battery staple"


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR="10.0.0.1")


def test_an_officer_signs_in_and_lands_on_my_actions(client, officer):
    response = _sign_in(client, "officer")
    assert response.status_code == 302
    assert "My actions" in client.get(response.url).text


def test_a_wrong_password_is_explained_in_the_error_summary(client, officer):
    response = _sign_in(client, "officer", "wrong password")
    assert "There is a problem" in response.text


def test_signing_out_ends_the_session(client_for, officer):
    client = client_for(officer)
    client.post(reverse("logout"))
    assert client.get(reverse("actions:mine")).status_code == 302


def test_sessions_expire_after_inactivity():
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 8


def test_the_sign_in_page_links_to_password_reset(client, db):
    assert reverse("password_reset") in client.get(reverse("login")).text


def test_a_password_reset_sends_a_one_time_link_by_email(client, officer):
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/password-reset/" in mail.outbox[0].body


def test_an_unknown_email_gets_the_same_answer_and_no_mail(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert not mail.outbox


def test_the_reset_link_sets_a_new_password(client, officer):
    client.post(reverse("password_reset"), {"email": officer.email})
    link = re.search(r"https?://[^/]+(/password-reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    new = "a brand new long passphrase"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)


def test_a_used_or_bad_reset_link_is_explained(client, officer):
    response = client.get("/password-reset/MQ/bad-token/")
    assert "This link has expired or was already used" in response.text


@pytest.mark.parametrize("attempts", [5])
def test_failed_sign_ins_lock_the_username_from_that_address(client, officer, attempts):
    for _ in range(attempts):
        _sign_in(client, "officer", "wrong")
    response = _sign_in(client, "officer")
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.text


def test_a_lockout_does_not_block_a_colleague_on_the_same_network(client, officer, other_officer):
    for _ in range(5):
        _sign_in(client, "officer", "wrong")
    assert _sign_in(client, "other_officer").status_code == 302


def test_the_lockout_does_not_block_the_same_user_from_another_address(client, officer):
    for _ in range(5):
        _sign_in(client, "officer", "wrong")
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 302


def test_an_idle_session_expires_and_asks_to_sign_in_again(client, officer):
    import datetime

    import time_machine
    from django.utils import timezone

    _sign_in(client, "officer")
    assert client.get(reverse("actions:mine")).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE + 60)):
        response = client.get(reverse("actions:mine"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_activity_keeps_the_session_alive(client, officer):
    import datetime

    import time_machine
    from django.utils import timezone

    _sign_in(client, "officer")
    half = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE * 0.6)
    with time_machine.travel(timezone.now() + half):
        client.get(reverse("actions:mine"))
    with time_machine.travel(timezone.now() + 2 * half):
        assert client.get(reverse("actions:mine")).status_code == 200


def _ask_reset(client, email, address="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_ten_reset_requests_for_one_address_send_at_most_three_emails(client, officer):
    responses = [_ask_reset(client, officer.email, address=f"10.0.0.{n}") for n in range(10)]
    assert len(mail.outbox) == 3
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}


def test_one_client_asking_for_many_addresses_is_throttled(client, officer, other_officer, chair, monkeypatch):
    monkeypatch.setattr("csp.views.RESETS_PER_CLIENT", 2)
    responses = [_ask_reset(client, user.email) for user in (officer, other_officer, chair)]
    assert [m.to for m in mail.outbox] == [[officer.email], [other_officer.email]]
    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}


def test_another_client_may_still_ask_when_one_is_throttled(client, officer, chair, monkeypatch):
    monkeypatch.setattr("csp.views.RESETS_PER_CLIENT", 1)
    _ask_reset(client, officer.email, address="10.0.0.1")
    _ask_reset(client, chair.email, address="10.0.0.2")
    assert len(mail.outbox) == 2


def test_the_sign_in_page_header_names_the_service_not_the_host(client, db, settings):
    settings.ALLOWED_HOSTS = ["csp.example.org"]
    response = client.get(reverse("login"), HTTP_HOST="csp.example.org:8106")
    header = response.text.split('<header class="govuk-generic-header"', 1)[1].split("</header>", 1)[0]
    assert settings.SITE_NAME in header
    assert "csp.example.org" not in response.text


def test_the_password_reset_email_names_the_service_not_the_host(client, officer, settings):
    settings.ALLOWED_HOSTS = ["csp.example.org"]
    client.post(reverse("password_reset"), {"email": officer.email}, HTTP_HOST="csp.example.org:8106")
    assert mail.outbox[0].subject == f"Reset your password for {settings.SITE_NAME}"
