from django.urls import path

from .views import county, dashboard, plan

app_name = "plans"

urlpatterns = [
    path("county/", county.county_view, name="county"),
    path("<slug:slug>/", plan.plan_detail, name="detail"),
    path("<slug:slug>/dashboard/", dashboard.plan_dashboard_view, name="dashboard"),
]
