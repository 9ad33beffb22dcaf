from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, MeasureValue, PerformanceMeasure
from .services import action_add_update


def _add_update_as_the_app_does(update, user):
    """A new update entered in the admin goes through ``action_add_update`` like any other, so
    its ``previous_rag`` is right and its RAG rating (and status) carry onto the action."""
    saved = action_add_update(
        action=update.action,
        author=update.author or user,
        author_name=update.author_name,
        text=update.text,
        rag=update.rag,
        date=update.date,
        written_on=update.written_on,
        marking=update.marking,
        status=update.status_change or None,
        is_review=update.is_review,
        source_note=update.source_note,
    )
    update.pk = saved.pk
    update._state.adding = False
    update.refresh_from_db()
    return update


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
    readonly_fields = ["previous_rag"]
    raw_id_fields = ["author"]


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "reference", "owners", "rag", "status", "target_date"]
    list_filter = ["rag", "status", "issue__priority__plan__partnership", "issue__priority__plan"]
    search_fields = ["text", "reference", "owner_role", "owner_label"]
    raw_id_fields = ["issue", "carried_from"]
    filter_horizontal = ["owner_teams", "owner_organisations", "owner_groups"]
    readonly_fields = ["reference", "version"]
    inlines = [ActionUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owner_teams", "owner_organisations", "owner_groups")

    @admin.display(description="Owners")
    def owners(self, obj):
        return obj.owners_display()

    def save_model(self, request, obj, form, change):
        if change:
            # Optimistic locking: an edit here must also make an editor's stale form fail.
            obj.version += 1
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ActionUpdate:
            return super().save_formset(request, form, formset, change)
        updates = formset.save(commit=False)
        for update in formset.deleted_objects:
            update.delete()
        for update in updates:
            if update.pk is None:
                _add_update_as_the_app_does(update, request.user)
            else:
                update.save()
        formset.save_m2m()
        return None


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["date", "action", "author", "rag", "marking", "is_review", "is_deleted"]
    list_filter = ["rag", "marking", "is_review", "is_deleted", "action__issue__priority__plan"]
    search_fields = ["text", "author_name", "author__username"]
    raw_id_fields = ["action", "author"]
    readonly_fields = ["previous_rag"]
    list_select_related = ["action", "author"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            _add_update_as_the_app_does(obj, request.user)


class MeasureValueInline(admin.TabularInline):
    model = MeasureValue
    extra = 0
    raw_id_fields = ["entered_by"]


@admin.register(PerformanceMeasure)
class PerformanceMeasureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "aim", "priority", "unit", "better", "period"]
    list_filter = ["better", "period", "priority__plan__partnership"]
    search_fields = ["name"]
    raw_id_fields = ["aim", "priority"]
    list_select_related = ["aim", "priority"]
    inlines = [MeasureValueInline]


@admin.register(MeasureValue)
class MeasureValueAdmin(SimpleHistoryAdmin):
    list_display = ["measure", "period_start", "value", "source"]
    list_filter = ["measure"]
    search_fields = ["measure__name", "source", "note"]
    raw_id_fields = ["measure", "entered_by"]
    list_select_related = ["measure"]
    date_hierarchy = "period_start"
