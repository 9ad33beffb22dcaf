"""Signing in with a second factor and managing it on the account page (mounted at the site root)."""

from django.urls import path

from .views import twofactor

app_name = "twofactor"

urlpatterns = [
    path("sign-in/code/", twofactor.verify, name="verify"),
    path("sign-in/recovery-code/", twofactor.recovery, name="recovery"),
    path("account/two-factor/set-up/", twofactor.setup, name="setup"),
    path("account/two-factor/recovery-codes/", twofactor.codes_regenerate, name="codes"),
    path("account/two-factor/authenticators/<id:pk>/remove/", twofactor.device_remove, name="device_remove"),
    path("account/two-factor/passkeys/<id:pk>/remove/", twofactor.passkey_remove, name="passkey_remove"),
    path("account/sessions/<id:pk>/end/", twofactor.session_end, name="session_end"),
]
