from django.urls import path

from .views import plan

app_name = "plans"

urlpatterns = [
    path("<slug:slug>/", plan.plan_detail, name="detail"),
]
