"""django-otp-webauthn's views (passkeys as the second factor), mounted under the names its
script expects, each behind sign-in and its one method as every view of ours: passkeys never
replace the password here (OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off)."""

from django.contrib.auth.decorators import login_required
from django.urls import path
from django.views.decorators.http import require_POST, require_safe
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

app_name = "otp_webauthn"


def _post(view):
    return login_required(require_POST(view.as_view()))


urlpatterns = [
    path("registration/begin/", _post(BeginCredentialRegistrationView), name="credential-registration-begin"),
    path("registration/complete/", _post(CompleteCredentialRegistrationView), name="credential-registration-complete"),
    path("authentication/begin/", _post(BeginCredentialAuthenticationView), name="credential-authentication-begin"),
    path(
        "authentication/complete/",
        _post(CompleteCredentialAuthenticationView),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        require_safe(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"])),
        name="js-i18n-catalog",
    ),
]
