"""The public pages of published plans (no sign-in): ``/public/<partnership>/<plan>/``."""

from django.urls import path

from .views import public

app_name = "public"

urlpatterns = [
    path("<slug:partnership_slug>/", public.public_index, name="index"),
    path("<slug:partnership_slug>/<slug:slug>/", public.public_plan, name="plan"),
    path("<slug:partnership_slug>/<slug:slug>.csv", public.public_plan_csv, name="plan_csv"),
    path("<slug:partnership_slug>/<slug:slug>.json", public.public_plan_json, name="plan_json"),
]
