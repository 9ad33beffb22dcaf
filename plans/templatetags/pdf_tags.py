"""Template tags of the plan PDF and its options form."""

from django import template
from django.utils.safestring import mark_safe

from ..pdf.options import PdfOptionsForm

register = template.Library()

# Fills chosen so each prints as a distinct grey, with ink that stays readable on it.
RAG_FILLS = {
    "red": ("#b0281a", "#ffffff"),
    "amber": ("#f9b233", "#0b0c0c"),
    "green": ("#00703c", "#ffffff"),
    "blue": ("#1d70b8", "#ffffff"),
    "not_rated": ("#f3f2f1", "#0b0c0c"),
}


@register.filter
def css_string(value):
    """A quoted CSS string for a <style> element: every character but letters, digits and
    spaces is written as a CSS hex escape, so no text can close the string or the element."""
    escaped = "".join(ch if (ch.isascii() and ch.isalnum()) or ch == " " else f"\\{ord(ch):x} " for ch in str(value))
    # Safe: the result holds only [A-Za-z0-9 \\] and hex digits between its quotes.
    return mark_safe(f'"{escaped}"')  # noqa: S308


@register.filter
def get_item(mapping, key):
    return mapping.get(key, 0)


@register.filter
def rag_fill(rag):
    return RAG_FILLS.get(rag, RAG_FILLS["not_rated"])[0]


@register.filter
def rag_ink(rag):
    return RAG_FILLS.get(rag, RAG_FILLS["not_rated"])[1]


@register.inclusion_tag("plans/includes/pdf_options_form.html", takes_context=True)
def pdf_options_form(context, plan, form=None):
    """``{% pdf_options_form plan %}``: the compact PDF options form for the plan page (the
    view's ``pdf_options`` form when it gave one)."""
    compact = form is None
    if form is None:
        form = context.get("pdf_options")
    if form is None:
        request = context.get("request")
        form = PdfOptionsForm(plan, getattr(request, "user", None) or context.get("user"))
    return {"plan": plan, "form": form, "compact": compact}
