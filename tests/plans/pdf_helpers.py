"""Helpers of the PDF tests: build a small plan with dated notes, read a PDF's text."""

import datetime
import io

import pdfplumber

from actions.models import Marking, Rag, Status
from actions.services import action_add_update
from tests import factories as f

LAST_MEETING = datetime.date(2025, 9, 1)


def note(action, text, day, *, rag=None, marking=Marking.OFFICIAL, status=None):
    """A note dated and written on ``day`` (so "new since" follows the date)."""
    return action_add_update(action=action, text=text, rag=rag, date=day, written_on=day, marking=marking, status=status)


def build_plan(plan, priority, issue, action, team):
    """Two priorities; notes before and after LAST_MEETING; one sensitive note; one action closed
    since; one action new since."""
    note(action, "Event at Meryfield primary school with 140 people", datetime.date(2025, 6, 1), rag=Rag.AMBER)
    note(action, "Event at Cowley Hill school with 70 parents", datetime.date(2025, 9, 10), rag=Rag.GREEN)
    note(action, "Named suspect discussed at MARRG", datetime.date(2025, 9, 12), marking=Marking.OFFICIAL_SENSITIVE)
    closed = f.ActionFactory(issue=issue, text="Run stop and search scrutiny panel", owner_teams=[team])
    note(closed, "Panel met in June", datetime.date(2025, 6, 20), rag=Rag.AMBER)
    note(closed, "Discharged from the plan by the RAG", datetime.date(2025, 9, 15), rag=Rag.BLUE, status=Status.DISCHARGED)
    second = f.PriorityFactory(plan=plan, number=2, title="Tackle domestic abuse")
    da_issue = f.IssueFactory(priority=second, title="Increase reporting of domestic abuse")
    fresh = f.ActionFactory(
        issue=da_issue,
        text="Hold a White Ribbon awareness day",
        owner_teams=[team],
        created_at=datetime.datetime(2025, 9, 20, 10, tzinfo=datetime.UTC),
    )
    note(fresh, "Venue booked", datetime.date(2025, 9, 21), rag=Rag.GREEN)
    return {"closed": closed, "fresh": fresh, "second": second}


def pdf_pages(pdf_bytes):
    """The text of each page."""
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def pdf_text(pdf_bytes):
    return "\n".join(pdf_pages(pdf_bytes))


def squash(text):
    """Text with all whitespace removed, to find sentences wrapped across lines."""
    return "".join(text.split())
