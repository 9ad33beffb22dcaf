from django.urls import path

from .views import meetings, pdf, plan

app_name = "plans"

urlpatterns = [
    path("<slug:slug>/", plan.plan_detail, name="detail"),
    path("<slug:slug>/pdf/", pdf.plan_pdf, name="pdf"),
    path("<slug:slug>/meetings/", meetings.meeting_list, name="meetings"),
    path("<slug:slug>/meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<int:meeting_id>/packs/", meetings.pack_create, name="pack_create"),
    path("<slug:slug>/meetings/<int:meeting_id>/packs/<int:pack_id>/", meetings.pack_detail, name="pack"),
    path(
        "<slug:slug>/meetings/<int:meeting_id>/packs/<int:pack_id>/download/",
        meetings.pack_download,
        name="pack_download",
    ),
]
