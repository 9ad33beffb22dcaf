"""Filters for the published plan's pages, which read the snapshot's plain JSON values."""

from datetime import date

from django import template

register = template.Library()


@register.filter
def iso_date(value):
    """ "2026-03-31" (a snapshot's date) -> a date, for the ``date`` filter; empty stays empty."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
