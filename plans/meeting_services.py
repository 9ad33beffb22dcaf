"""Writes for RAG meetings."""

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import Meeting


@transaction.atomic
def meeting_create(*, partnership, title, date, group=None):
    """Record a meeting of ``partnership`` (its Responsible Authorities Group by default)."""
    return Meeting.objects.create(partnership=partnership, title=title.strip(), date=date, group=group)


@transaction.atomic
def meeting_edit(*, meeting, title, date):
    """Change the title or date of ``meeting``."""
    meeting.title = title.strip()
    meeting.date = date
    meeting.save(update_fields=["title", "date"])
    return meeting


def meeting_deletion_refusal(meeting):
    """Why ``meeting`` cannot be deleted (the packs produced for it: they were circulated
    and stay as they were), or "" when it can."""
    packs = list(meeting.packs.order_by("created_at"))
    if not packs:
        return ""
    made = ", ".join(f"{pack.created_at:%-d %B %Y, %H:%M}" for pack in packs)
    return (
        f"“{meeting.title}” has {len(packs)} pack{'s' if len(packs) != 1 else ''} (produced {made}). "
        "Packs are the record of what the meeting was sent, so a meeting with packs is kept."
    )


@transaction.atomic
def meeting_delete(*, meeting):
    """Delete ``meeting``; refused while it has packs (``meeting_deletion_refusal``)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    refusal = meeting_deletion_refusal(meeting)
    if refusal:
        raise ValidationError(refusal)
    meeting.delete()
