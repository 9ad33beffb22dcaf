from django.urls import path

from .views import plan

app_name = "plans"

urlpatterns = [
    # Officer workflow
    path("", plan.plan_list, name="list"),
    path("<slug:slug>/", plan.plan_detail, name="detail"),
]
