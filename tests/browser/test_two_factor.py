"""Two-factor authentication in a real browser, each screen checked with axe-core: set-up
at the first sign-in, the recovery codes, the code after the password (with an error), a
recovery code, the account page's authenticators and sessions, removing an authenticator
and an administrator's reset."""

import base64
import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def _code(secret, at=None):
    totp = TOTP(secret)
    totp.time = at or time.time()
    return f"{totp.token():06d}"


def test_setting_up_and_signing_in_with_a_second_factor(
    settings, page, sign_in, admin, partnership, officer, assert_accessible
):
    settings.TWO_FACTOR_REQUIRED = True
    sign_in(admin)
    assert_accessible(page, "Set up an authenticator app")
    page.get_by_text("I cannot scan the QR code").click()
    typed = page.locator("#setup-key").inner_text().replace(" ", "")
    secret = base64.b32decode(typed + "=" * (-len(typed) % 8))
    page.get_by_label("Code from your authenticator app").fill("000000" if _code(secret) != "000000" else "111111")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Set up an authenticator app")
    page.get_by_label("Code from your authenticator app").fill(_code(secret))
    page.get_by_role("button", name="Confirm").click()
    assert_accessible(page, "Save your recovery codes")
    codes = page.locator(".app-recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved my codes").click()

    page.goto("/account/")
    assert page.get_by_role("cell", name="This browser").count() == 1
    assert_accessible(page, "Your account")
    page.get_by_role("link", name="Remove Authenticator app").click()
    assert_accessible(page, "Remove 'Authenticator app'")

    # Signing in again: the code after the password, a wrong one, then a recovery code.
    page.goto("/account/")
    page.get_by_role("button", name="Sign out").first.click()
    sign_in(admin)
    assert_accessible(page, "Enter the code from your authenticator app")
    page.get_by_label("Code from your authenticator app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()  # the same heading, now with the error
    assert_accessible(page, "Enter the code from your authenticator app")
    page.get_by_role("link", name="I cannot use my authenticator app").click()
    assert_accessible(page, "Use a recovery code")
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).not_to_have_text("Use a recovery code")  # waits for the next page

    # The administrator resets an officer's second factor.
    TOTPDevice.objects.create(user=officer, name="Phone", confirmed=True)
    page.goto(f"/partners/{partnership.slug}/people/{officer.pk}/")
    page.get_by_role("link", name="Reset second factor").click()
    assert_accessible(page, f"Reset {officer}'s second factor")
    page.get_by_role("button", name="Reset second factor").click()
    expect(page.get_by_text("second factor was reset")).to_be_visible()
    assert not TOTPDevice.objects.filter(user=officer).exists()


def _virtual_authenticator(page):
    """Chromium's virtual authenticator (DevTools protocol): a passkey that says yes."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    session.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )
    return session


def test_a_passkey_as_the_second_factor(settings, live_server, page, sign_in, admin, assert_accessible):
    settings.TWO_FACTOR_REQUIRED = True
    settings.OTP_WEBAUTHN_RP_ID = "localhost"
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    _virtual_authenticator(page)
    sign_in(admin)
    assert_accessible(page, "Set up an authenticator app")
    page.get_by_role("button", name="Add a passkey or security key").click()
    page.wait_for_function("document.getElementById('passkey-register-status-message').textContent.length > 0")
    page.goto("/account/")
    assert_accessible(page, "Your account")
    expect(page.get_by_role("table", name="Your passkeys and security keys")).to_be_visible()
    assert WebAuthnCredential.objects.filter(user=admin, confirmed=True).count() == 1

    page.get_by_role("button", name="Sign out").first.click()
    sign_in(admin)
    assert_accessible(page, "Enter the code from your authenticator app")
    page.get_by_role("button", name="Use a passkey or security key").click()
    page.wait_for_url(lambda url: "/sign-in/code/" not in url)
    assert page.goto("/account/").url.endswith("/account/")
