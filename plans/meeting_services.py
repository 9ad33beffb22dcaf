"""Writes for RAG meetings."""

from django.db import transaction

from .models import Meeting


@transaction.atomic
def meeting_create(*, partnership, title, date, group=None):
    """Record a meeting of ``partnership`` (its Responsible Authorities Group by default)."""
    return Meeting.objects.create(partnership=partnership, title=title.strip(), date=date, group=group)
