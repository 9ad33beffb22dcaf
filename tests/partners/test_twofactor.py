"""Two-factor authentication: who must use it, setting it up, signing in with a code or a
recovery code, lockout on wrong codes, removing an authenticator and an admin's reset."""

import binascii
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core import mail
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from partners import twofactor
from partners.models import RecoveryCode, User
from partners.services import end_sessions
from tests import factories as f

pytestmark = pytest.mark.django_db

HOME = reverse("home")
SETUP = reverse("twofactor:setup")
VERIFY = reverse("twofactor:verify")
RECOVERY = reverse("twofactor:recovery")


def code_for(key, at=None):
    totp = TOTP(binascii.unhexlify(key))
    totp.time = at or time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def officer_device(officer):
    return TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)


# Policy: who must use a second factor


def test_nobody_is_asked_when_the_installation_does_not_require_it(client_for, admin):
    assert client_for(admin).get(HOME).status_code == 200


def test_administrators_and_chairs_must_set_it_up_when_the_installation_requires_it(required, client_for, admin, chair):
    for person in (admin, chair):
        response = client_for(person).get(HOME)
        assert response.status_code == 302
        assert response["Location"] == f"{SETUP}?next=%2F"


def test_officers_need_not_when_only_the_installation_requires_it(required, client_for, officer):
    assert client_for(officer).get(HOME).status_code == 200


def test_superusers_must_when_the_installation_requires_it(required, superuser):
    assert twofactor.is_required(superuser)


def test_a_partnership_may_require_it_of_everyone(client_for, partnership, officer):
    partnership.two_factor_for_everyone = True
    partnership.save()
    assert client_for(officer).get(HOME)["Location"].startswith(SETUP)


def test_a_partnership_requiring_it_does_not_bind_people_of_other_partnerships(client_for, partnership, outsider):
    partnership.two_factor_for_everyone = True
    partnership.save()
    assert client_for(outsider).get(HOME).status_code == 200


def test_the_partnership_setting_is_saved_by_its_administrator(client_for, partnership, admin):
    response = client_for(admin).post(
        reverse("partners:settings", args=[partnership.slug]), {"two_factor_for_everyone": "on"}
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.two_factor_for_everyone


def test_someone_with_an_authenticator_enters_a_code_even_when_not_required(client_for, officer, officer_device):
    response = client_for(officer).get(reverse("account"))
    assert response["Location"] == f"{VERIFY}?next=%2Faccount%2F"


def test_someone_who_owes_a_code_may_still_sign_out(client_for, officer, officer_device):
    client = client_for(officer)
    client.post(reverse("logout"))
    assert SESSION_KEY not in client.session


def test_someone_who_must_set_it_up_cannot_enter_a_code_instead(required, client_for, admin):
    assert client_for(admin).get(VERIFY)["Location"].startswith(SETUP)


def test_an_identity_provider_asserting_mfa_satisfies_the_policy(required, client, rf, admin):
    client.force_login(admin)
    session = client.session
    request = rf.get("/")
    request.session = session
    twofactor.mark_verified_by_provider(request)
    session.save()
    assert client.get(HOME).status_code == 200


# Setting up an authenticator app


def test_the_set_up_page_shows_a_qr_code_and_the_key_to_type(required, client_for, admin):
    response = client_for(admin).get(SETUP)
    assert response.status_code == 200
    assert b"<svg" in response.content
    assert response.context["typed_key"]


def test_a_wrong_code_does_not_add_the_authenticator(required, client_for, admin):
    client = client_for(admin)
    client.get(SETUP)
    key = client.session[twofactor.SETUP_KEY]
    wrong = f"{(int(code_for(key)) + 500_000) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong})
    assert response.status_code == 400
    assert "The code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=admin).exists()


def test_a_code_that_is_not_six_digits_is_refused(client_for, officer):
    response = client_for(officer).post(SETUP, {"code": "12ab"})
    assert response.status_code == 400
    assert "Enter the 6-digit code" in response.content.decode()


def test_setting_up_shows_recovery_codes_once_and_lets_the_person_in(required, client_for, admin):
    client = client_for(admin)
    client.get(SETUP)
    key = client.session[twofactor.SETUP_KEY]
    response = client.post(SETUP, {"code": code_for(key), "next": "/account/"})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert TOTPDevice.objects.get(user=admin).key == key
    assert client.get(HOME).status_code == 200


def test_recovery_codes_are_stored_only_as_hashes(officer):
    codes = twofactor.recovery_codes_regenerate(user=officer)
    stored = list(RecoveryCode.objects.filter(user=officer).values_list("code_hash", flat=True))
    assert not set(codes) & set(stored)
    assert all(code not in "".join(stored) for code in codes)


# Signing in with a code


def test_the_right_code_lets_the_person_in(client_for, officer, officer_device):
    client = client_for(officer)
    response = client.post(VERIFY, {"code": code_for(officer_device.key), "next": "/account/"})
    assert response["Location"] == "/account/"
    assert client.get(reverse("account")).status_code == 200


def test_a_wrong_code_is_refused_with_an_error(client_for, officer, officer_device):
    client = client_for(officer)
    wrong = f"{(int(code_for(officer_device.key)) + 500_000) % 1_000_000:06d}"
    response = client.post(VERIFY, {"code": wrong})
    assert response.status_code == 400
    assert client.get(HOME)["Location"].startswith(VERIFY)


def test_the_next_address_must_be_on_this_site(client_for, officer, officer_device):
    response = client_for(officer).post(VERIFY, {"code": code_for(officer_device.key), "next": "https://evil.example/"})
    assert response["Location"] == HOME


def test_the_whole_sign_in_asks_for_the_code_after_the_password(client, officer, officer_device):
    response = client.post(reverse("login"), {"username": officer.username, "password": "correct horse battery staple"})
    assert client.get(response["Location"])["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": code_for(officer_device.key)})
    assert client.get(HOME).status_code == 200


def test_signing_in_again_asks_for_a_code_again(client_for, officer, officer_device):
    client = client_for(officer)
    client.post(VERIFY, {"code": code_for(officer_device.key)})
    client.force_login(officer)  # the same browser's session, signed in afresh
    assert client.get(HOME)["Location"].startswith(VERIFY)


# Recovery codes


def test_a_recovery_code_works_once(client, officer, officer_device):
    codes = twofactor.recovery_codes_regenerate(user=officer)
    client.force_login(officer)
    assert client.post(RECOVERY, {"code": codes[0].upper()})["Location"] == HOME
    client.logout()
    client.force_login(officer)
    assert client.post(RECOVERY, {"code": codes[0]}).status_code == 400
    assert twofactor.recovery_codes_left(officer) == 9


def test_new_recovery_codes_replace_the_old(client_for, officer, officer_device):
    old = twofactor.recovery_codes_regenerate(user=officer)
    client = client_for(officer)
    client.post(VERIFY, {"code": code_for(officer_device.key)})
    new = client.post(reverse("twofactor:codes")).context["codes"]
    client.logout()
    client.force_login(officer)
    assert client.post(RECOVERY, {"code": old[0]}).status_code == 400
    assert client.post(RECOVERY, {"code": new[0]}).status_code == 302


# Lockout: wrong codes count as failed sign-ins (django-axes)


def test_repeated_wrong_codes_lock_the_person_out_and_sign_them_out(settings, client_for, officer, officer_device):
    settings.AXES_FAILURE_LIMIT = 3
    client = client_for(officer)
    statuses = [client.post(RECOVERY, {"code": f"wrong-{n}"}).status_code for n in range(3)]
    assert statuses == [400, 400, 429]
    assert SESSION_KEY not in client.session
    assert AccessAttempt.objects.get(username=officer.username).failures_since_start == 3


def test_a_locked_out_person_cannot_sign_in_with_the_password_either(settings, client, officer, officer_device):
    settings.AXES_FAILURE_LIMIT = 2
    client.force_login(officer)
    for n in range(2):
        client.post(RECOVERY, {"code": f"wrong-{n}"})
    response = client.post(reverse("login"), {"username": officer.username, "password": "correct horse battery staple"})
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_a_right_code_clears_the_count_of_wrong_ones(client_for, officer, officer_device):
    codes = twofactor.recovery_codes_regenerate(user=officer)
    client = client_for(officer)
    client.post(RECOVERY, {"code": "wrong"})
    client.post(RECOVERY, {"code": codes[1]})
    assert not AccessAttempt.objects.filter(username=officer.username).exists()


# Managing authenticators on the account page


def test_the_account_page_lists_authenticators_and_sessions(client_for, officer, officer_device):
    client = client_for(officer)
    client.post(VERIFY, {"code": code_for(officer_device.key)})
    page = client.get(reverse("account")).content.decode()
    assert "Your authenticator apps" in page
    assert "This browser" in page


def test_an_authenticator_is_removed_after_confirmation(client_for, officer, officer_device):
    client = client_for(officer)
    client.post(VERIFY, {"code": code_for(officer_device.key)})
    url = reverse("twofactor:device_remove", args=[officer_device.pk])
    assert client.get(url).status_code == 200
    assert TOTPDevice.objects.filter(pk=officer_device.pk).exists()
    client.post(url)
    assert not TOTPDevice.objects.filter(pk=officer_device.pk).exists()


def test_the_last_authenticator_cannot_be_removed_when_required(required, client_for, admin):
    device = TOTPDevice.objects.create(user=admin, name="Phone", confirmed=True)
    client = client_for(admin)
    client.post(VERIFY, {"code": code_for(device.key)})
    client.post(reverse("twofactor:device_remove", args=[device.pk]))
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


# An administrator resets a person's second factor


def test_an_admin_resets_a_persons_second_factor(
    client, django_capture_on_commit_callbacks, partnership, admin, officer, officer_device
):
    twofactor.recovery_codes_regenerate(user=officer)
    client.force_login(officer)  # the officer's session, ended by the reset
    officer_session = client.session.session_key
    client.force_login(admin)
    url = reverse("partners:person_twofactor_reset", args=[partnership.slug, officer.pk])
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not RecoveryCode.objects.filter(user=officer).exists()
    last = User.history.filter(id=officer.pk).latest("history_date")
    assert last.two_factor_reset_at is not None and last.history_user_id == admin.pk
    assert "reset" in mail.outbox[0].subject and mail.outbox[0].to == [officer.email]
    assert not Session.objects.filter(session_key=officer_session).exists()


def test_an_admin_cannot_reset_someone_with_a_role_in_another_partnership(
    client_for, partnership, other_partnership, admin, officer, officer_device
):
    f.RoleFactory(user=officer, partnership=other_partnership, role="officer")
    client_for(admin).post(reverse("partners:person_twofactor_reset", args=[partnership.slug, officer.pk]))
    assert TOTPDevice.objects.filter(user=officer).exists()


def test_the_person_page_shows_the_second_factor_and_last_sign_in(
    client_for, partnership, admin, officer, officer_device
):
    page = client_for(admin).get(reverse("partners:person", args=[partnership.slug, officer.pk])).content.decode()
    assert "Authenticator app set up" in page
    assert "Last signed in" in page


# Passkeys (django-otp-webauthn): a second factor like an authenticator app


@pytest.fixture
def officer_passkey(officer):
    return WebAuthnCredential.objects.create(user=officer, name="Laptop", credential_id=b"id", public_key=b"key")


def test_someone_with_only_a_passkey_must_verify_it(client_for, officer, officer_passkey):
    assert client_for(officer).get(HOME)["Location"].startswith(VERIFY)


def test_a_session_verified_with_a_passkey_is_let_in(client_for, officer, officer_passkey):
    client = client_for(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = officer_passkey.persistent_id
    session.save()
    assert client.get(HOME).status_code == 200


def test_a_passkey_cannot_be_added_before_the_code_is_entered(client_for, officer, officer_device):
    response = client_for(officer).post(reverse("otp_webauthn:credential-registration-begin"))
    assert response["Location"].startswith(VERIFY)


def test_a_passkey_is_removed_after_confirmation(client_for, officer, officer_passkey):
    client = client_for(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = officer_passkey.persistent_id
    session.save()
    url = reverse("twofactor:passkey_remove", args=[officer_passkey.pk])
    assert client.get(url).status_code == 200
    client.post(url)
    assert not WebAuthnCredential.objects.filter(pk=officer_passkey.pk).exists()


def test_an_admins_reset_removes_passkeys_too(partnership, admin, officer, officer_passkey):
    twofactor.second_factor_reset(partnership=partnership, user=officer, by=admin, end_sessions=end_sessions)
    assert not WebAuthnCredential.objects.filter(user=officer).exists()
