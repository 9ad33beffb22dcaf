from django.urls import path

from .views import feed, plan, transfer

app_name = "plans"

urlpatterns = [
    path("<slug:slug>/", plan.plan_detail, name="detail"),
    path("import/template.xlsx", transfer.template_download, name="import_template"),
    path("import/new/<slug:partnership_slug>/", transfer.import_new, name="import_new"),
    path("import/check/<str:upload_id>/", transfer.import_preview, name="import_preview"),
    path("<slug:slug>/import/", transfer.import_upload, name="import"),
    path("<slug:slug>/export/<str:fmt>", transfer.export_download, name="export"),
    path("<slug:slug>/feed/<str:fmt>", feed.plan_feed, name="feed"),
]
