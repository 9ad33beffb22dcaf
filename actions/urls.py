from django.urls import path

from .views import action, authoring, history, measures, milestones, mine, search

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
    path("<id:pk>/milestones/add/", milestones.milestone_add, name="milestone_add"),
    path("<id:pk>/milestones/<id:milestone_pk>/edit/", milestones.milestone_edit, name="milestone_edit"),
    path("<id:pk>/milestones/<id:milestone_pk>/done/", milestones.milestone_done, name="milestone_done"),
    path("<id:pk>/milestones/<id:milestone_pk>/undo/", milestones.milestone_undo, name="milestone_undo"),
    path("<id:pk>/milestones/<id:milestone_pk>/move/", milestones.milestone_move, name="milestone_move"),
    path("<id:pk>/milestones/<id:milestone_pk>/delete/", milestones.milestone_delete, name="milestone_delete"),
    # Writing the plan
    path("plan/<slug:slug>/new/", authoring.action_new, name="action_new"),
    path("plan/<slug:slug>/propose/", authoring.action_propose, name="action_propose"),
    path("plan/<slug:slug>/proposals/", authoring.proposals, name="proposals"),
    path("<id:pk>/decide/", authoring.proposal_decide, name="proposal_decide"),
    path("<id:pk>/move/", authoring.action_move, name="move"),
    path("<id:pk>/reorder/", authoring.action_reorder, name="reorder"),
    path("<id:pk>/close/", authoring.action_close, name="close"),
    path("<id:pk>/reopen/", authoring.action_reopen, name="reopen"),
    path("<id:pk>/delete/", authoring.action_delete, name="delete"),
]
