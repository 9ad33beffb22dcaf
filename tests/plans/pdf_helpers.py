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
    return action_add_update(
        action=action, text=text, rag=rag, date=day, written_on=day, marking=marking, status=status
    )


def build_plan(plan, priority, issue, action, team):
    """Two priorities; notes before and after LAST_MEETING; one sensitive note; one action closed
    since; one action new since."""
    note(action, "Event at Meryfield primary school with 140 people", datetime.date(2025, 6, 1), rag=Rag.AMBER)
    note(action, "Event at Cowley Hill school with 70 parents", datetime.date(2025, 9, 10), rag=Rag.GREEN)
    note(action, "Named suspect discussed at MARRG", datetime.date(2025, 9, 12), marking=Marking.OFFICIAL_SENSITIVE)
    closed = f.ActionFactory(issue=issue, text="Run stop and search scrutiny panel", owner_teams=[team])
    note(closed, "Panel met in June", datetime.date(2025, 6, 20), rag=Rag.AMBER)
    note(
        closed,
        "Discharged from the plan by the RAG",
        datetime.date(2025, 9, 15),
        rag=Rag.BLUE,
        status=Status.DISCHARGED,
    )
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


HEADINGS = ("Issue", "Action", "Owner", "Update", "RAG")


def column_texts(pdf_bytes):
    """The squashed text of each table column (Issue, Action, Owner, Update, RAG) over all
    pages, read cell by cell so wrapped cells are not interleaved with their neighbours."""
    columns = dict.fromkeys(HEADINGS, "")
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            heading = _headings_row(words)
            if heading is None:
                continue
            starts, bottom = heading
            edges = [starts[name] for name in HEADINGS] + [page.width]
            for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
                if word["top"] <= bottom or word["bottom"] > page.height - 40:
                    continue
                for index, name in enumerate(HEADINGS):
                    if edges[index] - 4 <= word["x0"] < edges[index + 1] - 4:
                        columns[name] += word["text"]
                        break
    return columns


def _headings_row(words):
    for word in words:
        if word["text"] == "Issue":
            row = [w for w in words if abs(w["top"] - word["top"]) < 2]
            names = {w["text"]: w["x0"] for w in row}
            if all(name in names for name in HEADINGS):
                return {name: names[name] for name in HEADINGS}, max(w["bottom"] for w in row)
    return None
