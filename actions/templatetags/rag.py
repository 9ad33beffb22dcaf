"""Template filters for RAG ratings, statuses and markings (loaded as builtins)."""

from django import template

from actions.models import WITHHELD_TEXT, Marking, Rag, Status

register = template.Library()

_RAG_LABELS = dict(Rag.choices)
_STATUS_LABELS = dict(Status.choices)
_MARKING_LABELS = dict(Marking.choices)


@register.filter
def rag_label(value):
    """ "amber" -> "Amber"; unknown or empty -> "Not yet rated"."""
    return _RAG_LABELS.get(value or Rag.NOT_RATED, _RAG_LABELS[Rag.NOT_RATED])


@register.filter
def status_label(value):
    return _STATUS_LABELS.get(value, value)


@register.filter
def marking_label(value):
    return _MARKING_LABELS.get(value, value)


@register.filter
def action_text(action):
    """An action's text, or the placeholder when it is OFFICIAL-SENSITIVE and the reader may
    not read it. Withheld unless the page said otherwise: the view sets ``text_withheld``
    (``actions.models.withhold_texts``, or from ``ActionRights``)."""
    if action is None:
        return ""
    if getattr(action, "text_withheld", action.marking == Marking.OFFICIAL_SENSITIVE):
        return WITHHELD_TEXT
    return action.text
