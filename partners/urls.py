from django.urls import path

from .views import tokens

app_name = "partners"

urlpatterns = [
    path("tokens/new/", tokens.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
