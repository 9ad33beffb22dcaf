from django.urls import path

from .views import action, history, measures, mine, search

app_name = "actions"

urlpatterns = [
    # Officer workflow
    path("mine/", mine.my_actions, name="mine"),
    path("<id:pk>/", action.action_detail, name="detail"),
    path("measures/plan/<slug:slug>/", measures.measure_list, name="measure_list"),
    path("measures/plan/<slug:slug>/add/", measures.measure_create_view, name="measure_create"),
    path("measures/plan/<slug:slug>/<id:pk>/edit/", measures.measure_edit_view, name="measure_edit"),
    path("measures/plan/<slug:slug>/<id:pk>/remove/", measures.measure_remove_view, name="measure_remove"),
    path("measures/<id:pk>/", measures.measure_detail, name="measure_detail"),
    path("measures/<id:pk>/values/add/", measures.measure_add_value_view, name="measure_add_value"),
    path("measures/<id:pk>/values.csv", measures.measure_values_csv, name="measure_values_csv"),
    path("search/", search.search, name="search"),
    path("<id:pk>/edit/", action.action_edit, name="edit"),
    path("<id:pk>/history/", history.action_history, name="history"),
    path("<id:pk>/updates/<id:update_pk>/edit/", action.update_edit, name="update_edit"),
    path("<id:pk>/updates/<id:update_pk>/delete/", action.update_delete, name="update_delete"),
]
