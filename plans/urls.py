from django.urls import path

from .views import (
    bulk,
    calendar,
    county,
    cycle,
    dashboard,
    feed,
    meetings,
    pdf,
    plan,
    public,
    reviews,
    rounds,
    scrutiny,
    structure,
    transfer,
)

app_name = "plans"

urlpatterns = [
    path("", plan.plan_list, name="list"),
    path("county/", county.county_view, name="county"),
    path("<slug:slug>/", plan.plan_detail, name="detail"),
    path("import/template.xlsx", transfer.template_download, name="import_template"),
    path("import/new/<slug:partnership_slug>/", transfer.import_new, name="import_new"),
    path("import/check/<str:upload_id>/", transfer.import_preview, name="import_preview"),
    path("import/progress/<str:upload_id>/", transfer.import_progress, name="import_progress"),
    path("<slug:slug>/import/", transfer.import_upload, name="import"),
    path("<slug:slug>/export/<str:fmt>", transfer.export_download, name="export"),
    path("<slug:slug>/feed/<str:fmt>", feed.plan_feed, name="feed"),
    path("<slug:slug>/dashboard/", dashboard.plan_dashboard_view, name="dashboard"),
    path("<slug:slug>/pdf/", pdf.plan_pdf, name="pdf"),
    path("<slug:slug>/pdf/prepare/", pdf.pdf_prepare, name="pdf_prepare"),
    path("<slug:slug>/pdf/prepared/<id:pk>/", pdf.pdf_request_detail, name="pdf_request"),
    path("<slug:slug>/pdf/prepared/<id:pk>/download/", pdf.pdf_request_download, name="pdf_request_download"),
    path("<slug:slug>/pdf/prepared/<id:pk>/try-again/", pdf.pdf_request_try_again, name="pdf_request_try_again"),
    path("<slug:slug>/meetings/", meetings.meeting_list, name="meetings"),
    path("<slug:slug>/meetings/<id:meeting_id>/", meetings.meeting_detail, name="meeting"),
    path("<slug:slug>/meetings/<id:meeting_id>/edit/", meetings.meeting_edit_view, name="meeting_edit"),
    path("<slug:slug>/meetings/<id:meeting_id>/delete/", meetings.meeting_delete_view, name="meeting_delete"),
    path("<slug:slug>/meetings/<id:meeting_id>/packs/", meetings.pack_create, name="pack_create"),
    path("<slug:slug>/meetings/<id:meeting_id>/packs/<id:pack_id>/", meetings.pack_detail, name="pack"),
    path(
        "<slug:slug>/meetings/<id:meeting_id>/packs/<id:pack_id>/download/",
        meetings.pack_download,
        name="pack_download",
    ),
]

# The yearly cycle (partnership admin): strategies, assessments, next plan, roll-over, archive.
urlpatterns += [
    path("cycle/<slug:slug>/", cycle.overview, name="cycle"),
    path("cycle/<slug:slug>/strategies/new/", cycle.strategy_edit, name="strategy_add"),
    path("cycle/<slug:slug>/strategies/<id:pk>/edit/", cycle.strategy_edit, name="strategy_edit"),
    path("cycle/<slug:slug>/assessments/new/", cycle.assessment_edit, name="assessment_add"),
    path("cycle/<slug:slug>/assessments/<id:pk>/", cycle.assessment_detail, name="assessment"),
    path("cycle/<slug:slug>/assessments/<id:pk>/edit/", cycle.assessment_edit, name="assessment_edit"),
    path("cycle/<slug:slug>/assessments/<id:pk>/new-plan/", cycle.plan_from_assessment, name="plan_from_assessment"),
    path("<slug:slug>/roll-over/", cycle.roll_over, name="roll_over"),
    path("<slug:slug>/roll-over/confirm/", cycle.roll_over_confirm, name="roll_over_confirm"),
    path("<slug:slug>/roll-over/new-plan/", cycle.roll_over_new_plan, name="roll_over_new_plan"),
    path("<slug:slug>/roll-over/<id:pk>/", cycle.roll_over_progress, name="roll_over_progress"),
    path("<slug:slug>/archive/", cycle.archive, name="archive"),
]

# Bulk changes to a plan's actions (partnership admin): choose, confirm, apply.
urlpatterns += [
    path("<slug:slug>/bulk/", bulk.bulk_choose, name="bulk"),
    path("<slug:slug>/bulk/apply/", bulk.bulk_apply, name="bulk_apply"),
]

# The plan's structure (admins; chairs when the partnership allows): priorities, issues, publishing.
urlpatterns += [
    path("<slug:slug>/publish/", structure.publish, name="publish"),
    path("<slug:slug>/priorities/new/", structure.priority_add, name="priority_add"),
    path("<slug:slug>/priorities/<id:pk>/edit/", structure.priority_edit, name="priority_edit"),
    path("<slug:slug>/priorities/<id:pk>/move/", structure.priority_move, name="priority_move"),
    path("<slug:slug>/priorities/<id:pk>/remove/", structure.priority_remove, name="priority_remove"),
    path("<slug:slug>/priorities/<id:pk>/issues/new/", structure.issue_add, name="issue_add"),
    path("<slug:slug>/issues/<id:pk>/edit/", structure.issue_edit, name="issue_edit"),
    path("<slug:slug>/issues/<id:pk>/move/", structure.issue_move, name="issue_move"),
    path("<slug:slug>/issues/<id:pk>/reorder/", structure.issue_reorder, name="issue_reorder"),
    path("<slug:slug>/issues/<id:pk>/remove/", structure.issue_remove, name="issue_remove"),
]

# Update rounds before a meeting (issue 13): the chair asks, owners answer, the pack freezes itself.
urlpatterns += [
    path("<slug:slug>/meetings/<id:meeting_id>/rounds/new/", rounds.round_open_view, name="round_open"),
    path("<slug:slug>/rounds/<id:round_id>/", rounds.round_tracker, name="round"),
    path("<slug:slug>/rounds/<id:round_id>/chase/", rounds.round_chase, name="round_chase"),
    path("<slug:slug>/rounds/<id:round_id>/deadline/", rounds.round_extend_view, name="round_extend"),
    path("<slug:slug>/rounds/<id:round_id>/close/", rounds.round_close_view, name="round_close"),
    path("<slug:slug>/rounds/<id:round_id>/mine/", rounds.round_mine, name="round_mine"),
    path("<slug:slug>/rounds/<id:round_id>/sign-off/", rounds.round_sign_off_view, name="round_sign_off"),
    path(
        "<slug:slug>/rounds/<id:round_id>/actions/<id:action_id>/no-change/",
        rounds.round_no_change,
        name="round_no_change",
    ),
]

# The plan's public page (issue 16, partnership admin): publish a snapshot, again, or withdraw it.
urlpatterns += [
    path("<slug:slug>/public/", public.publish_public, name="public_publish"),
    path("<slug:slug>/public/withdraw/", public.withdraw_public, name="public_withdraw"),
]

# The statutory calendar (issue 16): duties by month, marked done (or not done again), and the .ics feed.
urlpatterns += [
    path("calendar/<slug:slug>/", calendar.calendar_page, name="calendar"),
    path("calendar/<slug:slug>/duties/new/", calendar.duty_add, name="duty_add"),
    path("calendar/<slug:slug>/duties/this-year/", calendar.duties_defaults, name="duties_defaults"),
    path("calendar/<slug:slug>/duties/<id:pk>/edit/", calendar.duty_edit, name="duty_edit"),
    path("calendar/<slug:slug>/duties/<id:pk>/remove/", calendar.duty_delete, name="duty_delete"),
    path("calendar/<slug:slug>/duties/<id:pk>/done/", calendar.duty_done, name="duty_done"),
    path("calendar/<slug:slug>/duties/<id:pk>/not-done/", calendar.duty_not_done, name="duty_not_done"),
    path("calendar/<slug:slug>/duties/<id:pk>/next-year/", calendar.duty_repeat, name="duty_repeat"),
    path("calendar/<slug:slug>/subscribe/", calendar.calendar_subscribe, name="calendar_subscribe"),
    path("calendar/<slug:slug>/feed.ics", calendar.calendar_feed, name="calendar_feed"),
]

# The scrutiny committee's pack of a plan year (issue 16): options, progress, download.
urlpatterns += [
    path("<slug:slug>/scrutiny/", scrutiny.scrutiny_options, name="scrutiny"),
    path("<slug:slug>/scrutiny/<id:pack_id>/", scrutiny.scrutiny_pack, name="scrutiny_pack"),
    path("<slug:slug>/scrutiny/<id:pack_id>/download/", scrutiny.scrutiny_pack_download, name="scrutiny_pack_download"),
]

# Reviews the partnership commissions and their recommendations (issue 16): partnership pages.
urlpatterns += [
    path("reviews/<slug:slug>/", reviews.review_list, name="reviews"),
    path("reviews/<slug:slug>/new/", reviews.review_add, name="review_add"),
    path("reviews/<slug:slug>/tracker/", reviews.review_tracker, name="review_tracker"),
    path("reviews/<slug:slug>/tracker.csv", reviews.review_tracker_csv, name="review_tracker_csv"),
    path("reviews/<slug:slug>/tracker.pdf", reviews.review_tracker_pdf, name="review_tracker_pdf"),
    path("reviews/<slug:slug>/<id:pk>/", reviews.review_detail, name="review"),
    path("reviews/<slug:slug>/<id:pk>/action-plan.pdf", reviews.review_pdf, name="review_pdf"),
    path("reviews/<slug:slug>/<id:pk>/edit/", reviews.review_edit, name="review_edit"),
    path("reviews/<slug:slug>/<id:pk>/readers/", reviews.review_readers, name="review_readers"),
    path("reviews/<slug:slug>/<id:pk>/recommendations/new/", reviews.recommendation_add, name="recommendation_add"),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/edit/",
        reviews.recommendation_edit,
        name="recommendation_edit",
    ),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/notes/new/",
        reviews.recommendation_note_add,
        name="recommendation_note_add",
    ),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/evidence/",
        reviews.recommendation_evidence,
        name="recommendation_evidence",
    ),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/evidence/download/",
        reviews.recommendation_evidence_download,
        name="recommendation_evidence_download",
    ),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/accept/",
        reviews.recommendation_accept,
        name="recommendation_accept",
    ),
    path(
        "reviews/<slug:slug>/<id:pk>/recommendations/<id:rec_pk>/carry/",
        reviews.recommendation_carry,
        name="recommendation_carry",
    ),
]
