"""Writes that span several rows: every screen, importer, command and test goes through these."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import SUMMARY_FIELDS, Action, ActionUpdate, Marking


class StaleVersion(Exception):
    """The action (or the update being corrected) changed since the editor loaded it
    (optimistic locking)."""

    def __init__(self, current):
        super().__init__("It was changed by someone else.")
        self.current = current


def update_version(update):
    """The optimistic lock of a correction: how many versions of the update its history
    holds (each correction or deletion adds one). Computed, so the table needs no column."""
    return update.history.count()


@transaction.atomic
def action_add_update(
    *,
    action,
    author=None,
    text,
    rag=None,
    date=None,
    marking=Marking.OFFICIAL,
    status=None,
    status_reason="",
    is_review=False,
    author_name="",
    source_note="",
    written_on=None,
    created_at=None,
    suggested_rag="",
    rating_reason="",
):
    """Add a dated progress note to ``action`` and carry its RAG rating (and any status
    change) onto the action, in one transaction.

    The action row is locked while the note is added, so two people adding notes at
    the same moment both succeed and each note records the rating it changed from.
    ``rag=None`` keeps the action's current rating. ``suggested_rag`` is what the app
    suggested to the writer (``actions.suggestion``) and ``rating_reason`` why they rated
    otherwise: both only recorded, never applied (imports and the round's "no change" give
    neither). Returns the new ``ActionUpdate``.
    """
    locked = Action.objects.select_for_update().get(pk=action.pk)
    today = timezone.localdate()
    previous_rag = locked.rag
    new_rag = rag or previous_rag
    last_order = locked.updates.filter(date=date or today).count()
    update = ActionUpdate.objects.create(
        action=locked,
        date=date or today,
        written_on=written_on or today,
        author=author,
        author_name=author_name,
        text=text,
        rag=new_rag,
        previous_rag=previous_rag,
        status_change=status if status and status != locked.status else "",
        marking=marking,
        is_review=is_review,
        source_note=source_note,
        suggested_rag=suggested_rag,
        rating_reason=rating_reason,
        order=last_order,
        created_at=created_at or timezone.now(),
    )
    changed = []
    if new_rag != locked.rag:
        locked.rag = new_rag
        changed.append("rag")
    if status and status != locked.status:
        locked.status = status
        locked.status_reason = status_reason
        # The status is on the action's edit form: a change to it is a real conflict there.
        # The rating is not, so rating a note leaves the version (and anyone's open form) alone.
        locked.version = F("version") + 1
        changed += ["status", "status_reason", "version"]
    if changed:
        locked.save(update_fields=changed)
        locked.refresh_from_db(fields=["version"])
    action.rag, action.status, action.status_reason, action.version = (
        locked.rag,
        locked.status,
        locked.status_reason,
        locked.version,
    )
    action.refresh_from_db(fields=SUMMARY_FIELDS)  # as the update's save left them
    return update


@transaction.atomic
def action_edit(
    *,
    action,
    editor,
    version,
    text=None,
    target_date,
    owner_teams,
    owner_organisations,
    owner_groups,
    measures=None,
    owner_role=None,
    status=None,
    status_reason=None,
    marking=None,
):
    """Change an action's text, its protective marking, target date, owners and measures, if
    nobody else changed it since the editor loaded version ``version`` (optimistic locking).

    Raises ``StaleVersion`` (carrying the current action) when the version moved on:
    nothing is saved, and the caller shows what changed. ``measures`` (not asked when the
    plan has none), ``status`` (an administrator reopening or closing an action), and
    ``text`` and ``marking`` (not offered to an editor who may not read the sensitive text)
    are left alone when None. Returns the fields changed.
    """
    locked = Action.objects.select_for_update().get(pk=action.pk)
    if locked.version != version:
        raise StaleVersion(locked)
    changed = []
    if text is not None and locked.text != text:
        locked.text = text
        changed.append("text")
    if marking is not None and locked.marking != marking:
        locked.marking = marking
        changed.append("marking")
    if locked.target_date != target_date:
        locked.target_date = target_date
        changed.append("target_date")
    if owner_role is not None and locked.owner_role != owner_role:
        locked.owner_role = owner_role
        changed.append("owner_role")
    if status is not None and locked.status != status:
        locked.status = status
        changed.append("status")
    if status_reason is not None and locked.status_reason != status_reason:
        locked.status_reason = status_reason
        changed.append("status_reason")
    new_teams = {t.pk for t in owner_teams}
    new_orgs = {o.pk for o in owner_organisations}
    new_groups = {g.pk for g in owner_groups}
    teams_changed = set(locked.owner_teams.values_list("pk", flat=True)) != new_teams
    orgs_changed = set(locked.owner_organisations.values_list("pk", flat=True)) != new_orgs
    groups_changed = set(locked.owner_groups.values_list("pk", flat=True)) != new_groups
    measures_changed = measures is not None and (
        set(locked.measures.values_list("pk", flat=True)) != {m.pk for m in measures}
    )
    if not (changed or teams_changed or orgs_changed or groups_changed or measures_changed):
        return []
    locked.version = version + 1
    if changed:
        locked._history_user = editor
        locked.save(update_fields=[*changed, "version"])
    else:
        locked.save(update_fields=["version"])
    if teams_changed:
        locked.owner_teams.set(owner_teams)
        changed.append("owner_teams")
    if orgs_changed:
        locked.owner_organisations.set(owner_organisations)
        changed.append("owner_organisations")
    if groups_changed:
        locked.owner_groups.set(owner_groups)
        changed.append("owner_groups")
    if measures_changed:
        locked.measures.set(measures)
        changed.append("measures")
    action.text, action.marking, action.target_date, action.owner_role, action.version = (
        locked.text,
        locked.marking,
        locked.target_date,
        locked.owner_role,
        locked.version,
    )
    action.status, action.status_reason = locked.status, locked.status_reason
    return changed


def _carry_latest_rating(action, editor):
    """After an update is corrected or deleted, the action shows the rating of its latest live
    update (or, with none left, the rating it had before the first one)."""
    locked = Action.objects.select_for_update().get(pk=action.pk)
    latest = locked.updates.live().order_by("-date", "-order", "-id").first()
    if latest is not None:
        rag = latest.rag
    else:
        first = locked.updates.order_by("date", "order", "id").first()
        rag = (first.previous_rag if first else "") or locked.rag
    if rag != locked.rag:
        locked.rag = rag  # not on the action's edit form: its version stays (see action_add_update)
        locked._history_user = editor
        locked.save(update_fields=["rag"])
    action.rag, action.version = locked.rag, locked.version
    action.refresh_from_db(fields=SUMMARY_FIELDS)  # as the update's save left them


@transaction.atomic
def update_edit(*, update, editor, version, text, date, rag, marking):
    """Correct an update (its author within 24 hours, or an admin), if nobody corrected or
    deleted it since the editor loaded ``version`` (``update_version``). The earlier text
    stays in the history; the update is shown as "edited". When the latest update's rating
    is corrected, the action's rating follows.

    Raises ``StaleVersion`` (carrying the update as saved now) when the version moved on:
    nothing is saved, and the caller shows what changed."""
    locked = ActionUpdate.objects.select_for_update().get(pk=update.pk)
    if locked.is_deleted or update_version(locked) != version:
        raise StaleVersion(locked)
    update.text, update.date, update.rag, update.marking = text, date, rag, marking
    update.edited_at = timezone.now()
    update._history_user = editor
    update.save(update_fields=["text", "date", "rag", "marking", "edited_at"])
    _carry_latest_rating(update.action, editor)
    return update


@transaction.atomic
def update_delete(*, update, editor):
    """Delete an update softly (an admin's act): it disappears from pages and exports,
    stays in the history, and the action's rating falls back to the latest remaining update."""
    update.is_deleted = True
    update.edited_at = timezone.now()
    update._history_user = editor
    update.save(update_fields=["is_deleted", "edited_at"])
    _carry_latest_rating(update.action, editor)
    return update
