from django.urls import path

from .views import action

app_name = "actions"

urlpatterns = [
    path("<int:pk>/", action.action_detail, name="detail"),
]
