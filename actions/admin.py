from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Action, ActionUpdate, Marking, MeasureValue, Milestone, PerformanceMeasure
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


class ActionAdminForm(forms.ModelForm):
    """Admin edits of an action take part in the optimistic locking of the app's edit page:
    a form opened before someone else's change is refused, and a saved change moves the
    version on so an editor's older form is refused in turn."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        if "marking" in self.fields:
            self.fields["marking"].required = False  # left out: the marking stays (new: OFFICIAL)

    def clean_marking(self):
        return self.cleaned_data.get("marking") or self.instance.marking or Marking.OFFICIAL

    def clean(self):
        data = super().clean()
        if self.instance.pk and self.has_changed():
            # Locked until the admin's save commits (its change view runs in one transaction).
            current = Action.objects.select_for_update().filter(pk=self.instance.pk).values_list("version", flat=True)
            if data.get("loaded_version") != current.first():
                raise forms.ValidationError(
                    "Someone changed this action since this page was opened. Open it again to see "
                    "their change, then make yours."
                )
        return data

    def save(self, commit=True):
        if self.instance.pk and self.has_changed():
            self.instance.version += 1
        return super().save(commit)


class ActionInline(admin.StackedInline):
    model = Action
    form = ActionAdminForm
    extra = 0
    show_change_link = True
    fields = [
        "text",
        "marking",
        "order",
        "owner_teams",
        "owner_organisations",
        "owner_groups",
        "owner_role",
        "target_date",
        "rag",
        "status",
        "loaded_version",
    ]
    filter_horizontal = ["owner_teams", "owner_organisations", "owner_groups"]
    readonly_fields = ["rag"]  # carried from the updates, never set by hand


class ActionUpdateInline(admin.StackedInline):
    """The action's updates, to read. Adding, correcting and deleting them happen on the
    app's pages (or the update admin's add page), through the services that keep the
    action's rating and the history right; a deleted update is only hidden there."""

    model = ActionUpdate
    extra = 0
    can_delete = False
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

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "reference", "owners", "rag", "status", "marking", "target_date"]
    list_filter = ["rag", "status", "marking", "issue__priority__plan__partnership", "issue__priority__plan"]
    search_fields = ["text", "reference", "owner_role", "owner_label"]
    raw_id_fields = ["issue", "carried_from", "proposed_by", "decided_by"]
    filter_horizontal = ["owner_teams", "owner_organisations", "owner_groups"]
    readonly_fields = ["reference", "version", "rag"]
    form = ActionAdminForm
    inlines = [ActionUpdateInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("owner_teams", "owner_organisations", "owner_groups")

    @admin.display(description="Owners")
    def owners(self, obj):
        return obj.owners_display()


@admin.register(ActionUpdate)
class ActionUpdateAdmin(SimpleHistoryAdmin):
    """Updates: listed, read and added (through ``action_add_update``). Correcting and
    deleting happen on the app's pages, which keep the action's rating and history right."""

    list_display = ["date", "action", "author", "rag", "marking", "is_review", "is_deleted"]
    list_filter = ["rag", "marking", "is_review", "is_deleted", "action__issue__priority__plan"]
    search_fields = ["text", "author_name", "author__username"]
    raw_id_fields = ["action", "author"]
    readonly_fields = ["previous_rag"]
    list_select_related = ["action", "author"]
    date_hierarchy = "date"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
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


@admin.register(Milestone)
class MilestoneAdmin(SimpleHistoryAdmin):
    list_display = ["text", "action", "due_date", "done_on", "owner_team", "owner_role"]
    list_filter = ["action__issue__priority__plan__partnership"]
    search_fields = ["text", "owner_role", "action__reference"]
    raw_id_fields = ["action", "owner_team"]
    list_select_related = ["action", "owner_team"]
    date_hierarchy = "due_date"
