from django.urls import path

from .views import action, measures, search

app_name = "actions"

urlpatterns = [
    path("<int:pk>/", action.action_detail, name="detail"),
    path("measures/plan/<slug:slug>/", measures.measure_list, name="measure_list"),
    path("measures/<int:pk>/", measures.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/values/add/", measures.measure_add_value_view, name="measure_add_value"),
    path("measures/<int:pk>/values.csv", measures.measure_values_csv, name="measure_values_csv"),
    path("search/", search.search, name="search"),
]
