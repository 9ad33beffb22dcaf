"""The history of an action: every change to it and to its updates, from django-simple-history."""

from collections import defaultdict

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..access import get_action_for_user
from ..models import Action, ActionUpdate, Marking, Rag, Status

ACTION_FIELDS = [
    ("text", "Action"),
    ("target_date", "Target date"),
    ("rag", "RAG rating"),
    ("status", "Status"),
    ("status_reason", "Reason for the status"),
    ("owner_role", "Named owner"),
    ("owner_label", "Owner as written"),
]
OWNER_SETS = [
    ("historicalaction_owner_teams", "team", "Owning teams"),
    ("historicalaction_owner_organisations", "organisation", "Owning organisations"),
    ("historicalaction_owner_groups", "governancegroup", "Owning groups"),
    ("historicalaction_measures", "performancemeasure", "Measures it contributes to"),
]
UPDATE_FIELDS = [
    ("date", "Date of update"),
    ("text", "What has happened"),
    ("rag", "RAG rating"),
    ("marking", "Protective marking"),
    ("is_deleted", "Deleted"),
]
LABELS = {
    "rag": dict(Rag.choices),
    "status": dict(Status.choices),
    "marking": dict(Marking.choices),
}
RESTRICTED = "(restricted: OFFICIAL-SENSITIVE)"


def _show(field, value):
    if value in (None, ""):
        return "(empty)"
    if field in LABELS:
        return LABELS[field].get(value, value)
    if field == "is_deleted":
        return "Yes" if value else "No"
    if hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"  # as dates read everywhere: 31 March 2026
    return str(value)


def _owner_sets(action):
    """{history_id: {label: "name, name"}} for the owners recorded with each historical row: one query per kind."""
    sets = defaultdict(dict)
    historical = Action.history.model
    for relation, target, label in OWNER_SETS:
        through = historical._meta.get_field(relation).related_model
        names = defaultdict(list)
        rows = through.objects.filter(history__id=action.pk).select_related(target)
        for row in rows:
            names[row.history_id].append(str(getattr(row, target)))
        for history_id, values in names.items():
            sets[history_id][label] = ", ".join(sorted(values))
    return sets


def _action_events(action):
    records = list(action.history.select_related("history_user").order_by("history_date", "history_id"))
    owners = _owner_sets(action)
    events, previous = [], None
    for record in records:
        changes = []
        record_owners = owners.get(record.history_id, {})
        if previous is None:
            summary = "Action created"
        else:
            summary = "Action changed"
            for field, label in ACTION_FIELDS:
                before, after = getattr(previous, field), getattr(record, field)
                if before != after:
                    changes.append({"field": label, "before": _show(field, before), "after": _show(field, after)})
            previous_owners = owners.get(previous.history_id, {})
            for _, _, label in OWNER_SETS:
                before, after = previous_owners.get(label, ""), record_owners.get(label, "")
                if before != after:
                    changes.append({"field": label, "before": before or "(none)", "after": after or "(none)"})
            if not changes:
                previous = record
                continue
        events.append({"when": record.history_date, "who": record.history_user, "summary": summary, "changes": changes})
        previous = record
    return events


def _update_events(action, *, sensitive_ok):
    records = (
        ActionUpdate.history.filter(action_id=action.pk)
        .select_related("history_user")
        .order_by("id", "history_date", "history_id")
    )
    events, previous = [], None
    for record in records:
        hidden = not sensitive_ok and (
            record.marking == Marking.OFFICIAL_SENSITIVE
            or (previous is not None and previous.id == record.id and previous.marking == Marking.OFFICIAL_SENSITIVE)
        )
        heading = f"Update of {record.date:%-d %B %Y}"
        if previous is None or previous.id != record.id:
            changes = [
                {
                    "field": label,
                    "before": "",
                    "after": RESTRICTED if hidden and field == "text" else _show(field, value),
                }
                for field, label in UPDATE_FIELDS
                if field != "is_deleted"
                for value in [getattr(record, field)]
            ]
            events.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "summary": f"{heading} added",
                    "changes": changes,
                }
            )
        else:
            changes = []
            for field, label in UPDATE_FIELDS:
                before, after = getattr(previous, field), getattr(record, field)
                if before == after:
                    continue
                if hidden and field == "text":
                    changes.append({"field": label, "before": RESTRICTED, "after": RESTRICTED})
                else:
                    changes.append({"field": label, "before": _show(field, before), "after": _show(field, after)})
            if changes:
                deleted = record.is_deleted and not previous.is_deleted
                summary = f"{heading} deleted" if deleted else f"{heading} edited"
                events.append(
                    {"when": record.history_date, "who": record.history_user, "summary": summary, "changes": changes}
                )
        previous = record
    return events


@login_required
@require_safe
def action_history(request, pk):
    """Who changed what and when, newest first: the action's fields, owners and every update."""
    action, rights = get_action_for_user(request, pk)
    events = _action_events(action) + _update_events(action, sensitive_ok=rights.may_read_sensitive)
    events.sort(key=lambda event: event["when"], reverse=True)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "actions/action_history.html",
        {
            "action": action,
            "page": page,
            "events": page.object_list,
            "rights": rights,
            "page_title": "History of the action",
        },
    )
