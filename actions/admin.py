from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, MeasureValue, PerformanceMeasure


class ActionInline(admin.StackedInline):
    model = Action
    extra = 0
    show_change_link = True
    fields = [
        "text",
        "order",
        "owner_teams",
        "owner_organisations",
        "owner_groups",
        "owner_role",
        "target_date",
        "rag",
        "status",
    ]
    filter_horizontal = ["owner_teams", "owner_organisations", "owner_groups"]


class ActionUpdateInline(admin.StackedInline):
    model = ActionUpdate
    extra = 0
    fields = [
        "date",
        "written_on",
        "author",
        "author_name",
        "text",
        "rag",
        "previous_rag",
        "marking",
        "is_review",
        "is_deleted",
    ]
    raw_id_fields = ["author"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "reference", "owners_display", "rag", "status", "target_date"]
    list_filter = ["rag", "status", "issue__priority__plan__partnership", "issue__priority__plan"]
    search_fields = ["text", "reference", "owner_role", "owner_label"]
    raw_id_fields = ["issue", "carried_from"]
    filter_horizontal = ["owner_teams", "owner_organisations", "owner_groups"]
    readonly_fields = ["reference", "version"]
    inlines = [ActionUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owner_teams", "owner_organisations", "owner_groups")


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["date", "action", "author", "rag", "marking", "is_review", "is_deleted"]
    list_filter = ["rag", "marking", "is_review", "is_deleted", "action__issue__priority__plan"]
    search_fields = ["text", "author_name", "author__username"]
    raw_id_fields = ["action", "author"]
    date_hierarchy = "date"


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0
    raw_id_fields = ["entered_by"]


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "aim", "priority", "unit", "better", "period"]
    list_filter = ["better", "period"]
    search_fields = ["name"]
    raw_id_fields = ["aim", "priority"]
    inlines = [MeasureValueInline]


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "period_start", "value", "source"]
    list_filter = ["measure"]
    search_fields = ["measure__name", "source", "note"]
    raw_id_fields = ["measure", "entered_by"]
