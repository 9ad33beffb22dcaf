from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from partners.views import sso
from partners.views.sso import local_passwords_only

from . import converters, views  # noqa: F401 - converters registers <id:…> before the apps' URLconfs load

# With local passwords off, the admin signs in superusers by single sign-on (docs/single-sign-on.md).
admin.site.login = sso.admin_login

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("account/", views.account, name="account"),
    # Signing in and out (by password and/or single sign-on), and resetting a forgotten password by email
    path("sign-in/", sso.SignInView.as_view(), name="login"),
    path("sign-in/sso/", sso.sso_start, name="oidc_authentication_init"),
    path("sign-in/sso/callback/", sso.sso_callback, name="oidc_authentication_callback"),
    path("sign-in/sso/refused/", sso.sso_refused, name="sso_refused"),
    path("sign-out/", sso.sign_out, name="logout"),
    path("password-reset/", local_passwords_only(views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password-reset/sent/",
        local_passwords_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    # The second factor after the password, and managing it on the account page
    path("", include("partners.twofactor_urls")),
    path("account/passkeys/", include("partners.passkey_urls")),
    path(
        "password-reset/<uidb64>/<token>/",
        local_passwords_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        local_passwords_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("password-change/", local_passwords_only(auth_views.PasswordChangeView.as_view()), name="password_change"),
    path(
        "password-change/done/",
        local_passwords_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    path("plans/", include("plans.urls")),
    path("actions/", include("actions.urls")),
    path("partners/", include("partners.urls")),
    path("public/", include("plans.public_urls")),
    path("django-admin/", admin.site.urls),
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
