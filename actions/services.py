"""Writes that span several rows: every screen, importer, command and test goes through these."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import Action, ActionUpdate, Marking


class StaleVersion(Exception):
    """The action changed since the editor loaded it (optimistic locking)."""

    def __init__(self, current):
        super().__init__("The action was changed by someone else.")
        self.current = current


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
):
    """Add a dated progress note to ``action`` and carry its RAG rating (and any status
    change) onto the action, in one transaction.

    The action row is locked while the note is added, so two people adding notes at
    the same moment both succeed and each note records the rating it changed from.
    ``rag=None`` keeps the action's current rating. Returns the new ``ActionUpdate``.
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
        changed += ["status", "status_reason"]
    if changed:
        locked.version = F("version") + 1
        locked.save(update_fields=[*changed, "version"])
        locked.refresh_from_db(fields=["version"])
    action.rag, action.status, action.status_reason, action.version = (
        locked.rag,
        locked.status,
        locked.status_reason,
        locked.version,
    )
    return update
