"""Destructive acts ask first: a GOV.UK confirmation page that says what will happen
(GET), and the act itself (POST). Where undoing is cheap, the act leaves an undo in the
session and the success banner offers an "Undo" button that posts to the undo view."""

from django.contrib import messages
from django.shortcuts import render
from django.utils import timezone

UNDO_MINUTES = 30  # an undo is for "I clicked the wrong person", not for next week


def confirm_page(request, *, partnership, title, consequences, button, cancel_url, undo=True, refusal=None):
    """The confirmation page: ``consequences`` are sentences; ``undo`` says whether the banner
    afterwards offers to undo it (else the page warns that it cannot be undone); a
    ``refusal`` replaces the button when the act is not allowed."""
    context = {
        "partnership": partnership,
        "page_title": title,
        "consequences": consequences,
        "button": button,
        "cancel_url": cancel_url,
        "undo": undo,
        "refusal": refusal,
    }
    return render(request, "partners/confirm.html", context)


def done_with_undo(request, message, *, kind, url, **data):
    """Say ``message`` in the success banner with an "Undo" button posting to ``url``; the
    undo view reads ``data`` back with ``take_undo``."""
    request.session["undo"] = {"kind": kind, "url": url, "at": timezone.now().timestamp(), **data}
    messages.success(request, message, extra_tags="undo")


def take_undo(request, kind, **match):
    """The undo left by ``done_with_undo`` when it is of ``kind``, matches ``match`` and is
    recent (and then it is used up), else None."""
    undo = request.session.get("undo") or {}
    fresh = undo.get("at", 0) > timezone.now().timestamp() - UNDO_MINUTES * 60
    if undo.get("kind") != kind or not fresh or any(undo.get(key) != value for key, value in match.items()):
        return None
    del request.session["undo"]
    return undo
