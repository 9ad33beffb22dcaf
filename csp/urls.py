from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import converters, views  # noqa: F401 - converters registers <id:…> before the apps' URLconfs load

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility", views.accessibility, name="accessibility"),
    path("account/", views.account, name="account"),
    # Signing in and out, and resetting a forgotten password by email
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True,
            extra_context={
                "session_minutes": settings.SESSION_COOKIE_AGE // 60,
                "failure_limit": settings.AXES_FAILURE_LIMIT,
            },
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    # The second factor after the password, and managing it on the account page
    path("", include("partners.twofactor_urls")),
    path("account/passkeys/", include("partners.passkey_urls")),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("password-change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password-change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("plans/", include("plans.urls")),
    path("actions/", include("actions.urls")),
    path("partners/", include("partners.urls")),
    path("django-admin/", admin.site.urls),
]

admin.site.site_header = f"{settings.SITE_NAME} administration"
admin.site.site_title = settings.SITE_NAME
