from django.contrib import admin, messages
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActionPlan,
    CalendarFeedToken,
    ImportJob,
    Issue,
    Meeting,
    MeetingPack,
    PdfRequest,
    Priority,
    PublishedPlan,
    Recommendation,
    RecommendationNote,
    Review,
    ReviewKind,
    Risk,
    RollOverJob,
    RoundSignOff,
    SentEmail,
    StatutoryDuty,
    StrategicAim,
    StrategicAssessment,
    Strategy,
    UpdateRound,
)


class StrategicAimInline(admin.StackedInline):
    model = StrategicAim
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year"]
    list_filter = ["partnership"]
    search_fields = ["title", "partnership__name"]
    inlines = [StrategicAimInline]


@admin.register(StrategicAim)
class StrategicAimAdmin(SimpleHistoryAdmin):
    list_display = ["text", "strategy", "order"]
    list_select_related = ["strategy"]
    list_filter = ["strategy__partnership"]
    search_fields = ["text"]


class RiskInline(admin.TabularInline):
    model = Risk
    extra = 0


@admin.register(StrategicAssessment)
class StrategicAssessmentAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year"]
    list_filter = ["partnership"]
    search_fields = ["title"]
    inlines = [RiskInline]


@admin.register(Risk)
class RiskAdmin(SimpleHistoryAdmin):
    list_display = ["text", "kind", "assessment", "order"]
    list_select_related = ["assessment"]
    list_filter = ["kind", "assessment__partnership"]
    search_fields = ["text"]


class PriorityInline(admin.StackedInline):
    model = Priority
    extra = 0
    show_change_link = True
    fields = ["number", "title", "source_risk"]
    raw_id_fields = ["source_risk"]


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "slug", "partnership", "start_year", "end_year", "status"]
    list_select_related = ["partnership"]
    list_filter = ["status", "partnership"]
    search_fields = ["title", "slug", "partnership__name"]
    raw_id_fields = ["rolled_over_to"]
    inlines = [PriorityInline]


class IssueInline(admin.StackedInline):
    model = Issue
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan"]
    list_select_related = ["plan__partnership"]
    list_filter = ["plan__partnership", "plan"]
    search_fields = ["title"]
    raw_id_fields = ["source_risk"]
    inlines = [IssueInline]


def _action_inline():
    from actions.admin import ActionInline

    return ActionInline


@admin.register(Issue)
class IssueAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "priority"]
    list_select_related = ["priority"]
    list_filter = ["priority__plan__partnership", "priority__plan"]
    search_fields = ["title"]
    raw_id_fields = ["priority"]

    def get_inlines(self, request, obj):
        return [_action_inline()]


class MeetingPackInline(admin.TabularInline):
    model = MeetingPack
    extra = 0
    fields = ["plan", "state", "file", "pages", "size", "created_by", "created_at"]
    readonly_fields = fields


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "date", "partnership", "group"]
    list_select_related = ["partnership", "group"]
    list_filter = ["partnership"]
    search_fields = ["title"]
    date_hierarchy = "date"
    inlines = [MeetingPackInline]


@admin.register(MeetingPack)
class MeetingPackAdmin(admin.ModelAdmin):
    list_display = ["kind", "meeting", "plan", "state", "pages", "size", "created_at"]
    list_select_related = ["meeting", "plan__partnership"]
    list_filter = ["kind", "state"]
    search_fields = ["meeting__title"]
    readonly_fields = ["sha256", "pages", "size", "created_at", "finished_at", "options"]


@admin.register(PdfRequest)
class PdfRequestAdmin(admin.ModelAdmin):
    """Plan PDFs prepared in the background for one person: read-only, to see how one went."""

    list_display = ["plan", "created_by", "state", "cause", "pages", "size", "attempt", "created_at"]
    list_select_related = ["plan__partnership", "created_by"]
    list_filter = ["state"]
    search_fields = ["plan__title", "created_by__username"]
    readonly_fields = [field.name for field in PdfRequest._meta.fields]


@admin.register(UpdateRound)
class UpdateRoundAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "state", "deadline", "opened_at", "closed_at"]
    list_select_related = ["meeting__partnership"]
    list_filter = ["state", "meeting__partnership"]
    search_fields = ["meeting__title", "meeting__partnership__name"]
    raw_id_fields = ["meeting", "plans", "actions", "packs", "opened_by", "closed_by"]


@admin.register(RoundSignOff)
class RoundSignOffAdmin(SimpleHistoryAdmin):
    list_display = ["round", "user", "signed_at"]
    list_select_related = ["round__meeting", "user"]
    search_fields = ["user__username", "round__meeting__title", "round__meeting__partnership__name"]
    raw_id_fields = ["round", "user"]


@admin.register(SentEmail)
class SentEmailAdmin(admin.ModelAdmin):
    """The record of what ``send_reminders`` sent: read it, do not edit it."""

    list_display = ["sent_at", "user", "kind", "key", "subject", "actions"]
    list_select_related = ["user"]
    list_filter = ["kind", "is_reminder"]
    search_fields = ["user__username", "user__email", "key", "subject"]
    raw_id_fields = ["user", "round"]
    date_hierarchy = "sent_at"


@admin.register(RollOverJob)
class RollOverJobAdmin(admin.ModelAdmin):
    """Large roll-overs carried in the background: read-only, to see how one went."""

    list_display = ["plan", "target", "asked_by", "state", "total", "attempt", "created_at"]
    list_select_related = ["plan__partnership", "target__partnership", "asked_by"]
    list_filter = ["state"]
    search_fields = ["plan__title", "plan__partnership__name", "asked_by__username"]
    readonly_fields = [field.name for field in RollOverJob._meta.fields]


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports saved in the background: read-only, to see how one went."""

    list_display = ["filename", "user", "state", "done", "total", "attempt", "created_at"]
    list_select_related = ["user"]
    list_filter = ["state"]
    search_fields = ["filename", "upload_id", "user__username"]
    readonly_fields = [field.name for field in ImportJob._meta.fields]


@admin.register(PublishedPlan)
class PublishedPlanAdmin(SimpleHistoryAdmin):
    """What each plan's public page showed and when: publish and withdraw in the app (the plan
    page), so that the snapshot is built by ``plans.publishing``, not typed here."""

    list_display = ["plan", "published_at", "published_by", "is_current", "withdrawn_at"]
    list_select_related = ["plan__partnership", "published_by"]
    list_filter = ["is_current", "plan__partnership"]
    search_fields = ["plan__title", "plan__slug", "plan__partnership__name"]
    readonly_fields = [field.name for field in PublishedPlan._meta.fields]


@admin.register(ReviewKind)
class ReviewKindAdmin(SimpleHistoryAdmin):
    list_display = ["name", "abbreviation", "partnership", "order"]
    list_select_related = ["partnership"]
    list_filter = ["partnership"]
    search_fields = ["name", "abbreviation"]


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0
    fields = ["number", "agency", "text", "due_date", "status", "reason"]
    raw_id_fields = ["agency"]


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    """Reviews are OFFICIAL-SENSITIVE by default: the list names them by reference only."""

    list_display = ["reference", "kind", "partnership", "status", "marking"]
    list_select_related = ["kind", "partnership"]
    list_filter = ["status", "marking", "partnership"]
    search_fields = ["reference"]
    raw_id_fields = ["readers"]
    inlines = [RecommendationInline]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "agency", "status", "due_date"]
    list_select_related = ["review", "agency"]
    list_filter = ["status", "review__partnership"]
    search_fields = ["review__reference", "agency__name"]
    raw_id_fields = ["review", "agency", "evidence_accepted_by", "action"]


@admin.register(RecommendationNote)
class RecommendationNoteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "recommendation", "date", "marking"]
    list_select_related = ["recommendation__review"]
    list_filter = ["marking"]
    search_fields = ["recommendation__review__reference"]
    raw_id_fields = ["recommendation", "author"]


@admin.register(StatutoryDuty)
class StatutoryDutyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "due_date", "partnership", "owner", "done_on"]
    list_select_related = ["partnership", "owner"]
    list_filter = ["kind", "partnership"]
    search_fields = ["title", "partnership__name", "owner__username"]
    raw_id_fields = ["owner", "done_by"]
    date_hierarchy = "due_date"


@admin.register(CalendarFeedToken)
class CalendarFeedTokenAdmin(admin.ModelAdmin):
    """Secret calendar feed addresses: only their hash is kept; revoke one here by setting
    its revoked time, or its owner makes a new one on the calendar's subscription page."""

    list_display = ["user", "partnership", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user", "partnership"]
    list_filter = ["revoked_at"]
    search_fields = ["user__username", "partnership__name"]
    exclude = ["token_hash"]
    readonly_fields = ["created_at", "last_used_at"]
    raw_id_fields = ["user", "partnership"]

    def save_model(self, request, obj, form, change):
        if not change:
            # Only the hash is stored: the address is shown once, here.
            raw, obj.token_hash = CalendarFeedToken.new_token()
            path = reverse("plans:calendar_feed", args=[obj.partnership.slug]) + f"?token={raw}"
            messages.info(request, f"The feed address for {obj.user} is {path}. It is shown only once: copy it now.")
        super().save_model(request, obj, form, change)
