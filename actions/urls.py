from django.urls import path

from .views import action, history, mine

app_name = "actions"

urlpatterns = [
    # Officer workflow
    path("mine/", mine.my_actions, name="mine"),
    path("<int:pk>/", action.action_detail, name="detail"),
    path("<int:pk>/edit/", action.action_edit, name="edit"),
    path("<int:pk>/history/", history.action_history, name="history"),
    path("<int:pk>/updates/<int:update_pk>/edit/", action.update_edit, name="update_edit"),
    path("<int:pk>/updates/<int:update_pk>/delete/", action.update_delete, name="update_delete"),
]
