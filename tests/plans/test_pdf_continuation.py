"""PDF pages read on their own: a row is never split across pages; an action too long for
one page goes on in rows that repeat the issue, "continued: <first words>" of the action,
its owner and its RAG word. The RAG summary wraps priority names; a plan without any rating
says so in one line, keeps its table of counts and has no empty chart."""

import datetime
import io
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from actions.models import Rag
from plans.pdf.data import PART_LINES, UpdateRow, _parts, _wrapped
from plans.pdf.options import PdfOptions
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import note, pdf_pages, squash

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
LONG_ACTION = "Deliver weekly knife crime awareness sessions in every secondary school"


def _update(text, day=1):
    return UpdateRow(date=datetime.date(2025, 5, day), text=text, author="", rag="", previous_rag="")


def test_a_short_action_is_one_part():
    updates = [_update("Venue booked"), _update("Event held", 2)]
    assert _parts(updates) == [updates]


def test_many_notes_are_cut_into_parts_of_at_most_a_part_of_lines_in_order():
    updates = [_update(f"Note {n} " + "with several words " * 10, n % 28 + 1) for n in range(30)]
    parts = _parts(updates)
    assert len(parts) > 1
    assert [u.text for part in parts for u in part] == [u.text for u in updates]
    for part in parts:
        assert sum(len(_wrapped(f"{u.date:%d/%m/%Y} – {u.text}")) for u in part) <= PART_LINES


def test_a_note_longer_than_a_part_is_cut_between_words_and_marked_continued():
    text = "START " + "word " * 2000 + "END"
    parts = _parts([_update(text)])
    notes = [u for part in parts for u in part]
    assert len(notes) > 1
    assert [u.continued for u in notes] == [False] + [True] * (len(notes) - 1)
    assert " ".join(u.text for u in notes).split() == text.split()


@pytest.fixture
def long_action_plan(plan, priority, issue, team):
    """Short actions around one whose notes fill several pages, one note longer than a page."""
    for n in range(3):
        short = f.ActionFactory(issue=issue, text=f"Short action {n}", owner_teams=[team])
        note(short, "Done", datetime.date(2025, 5, 1), rag=Rag.GREEN)
    action = f.ActionFactory(issue=issue, text=LONG_ACTION, owner_teams=[team])
    for day in range(1, 29):
        note(action, f"Session {day} held " + "with pupils and teachers taking part " * 6, datetime.date(2025, 6, day))
    note(action, "BEGIN " + "report " * 1500 + "FINISH", datetime.date(2025, 7, 1), rag=Rag.AMBER)
    return plan


@pytest.fixture
def long_pdf(long_action_plan):
    return render_plan(long_action_plan, PdfOptions()).pdf


@pytest.fixture
def long_pages(long_pdf):
    return pdf_pages(long_pdf)


COLUMNS = ["Issue", "Action", "Owner", "Update", "RAG"]


def _table_columns(pdf_bytes):
    """For each page with the plan table: {column heading: the words in that column}, read
    by position (a page's text runs the columns' lines together)."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for page in pdf.pages:
            words = page.extract_words()
            issue = next((word for word in words if word["text"] == "Issue"), None)
            if issue is None:
                continue
            headings = {w["text"]: w for w in words if abs(w["top"] - issue["top"]) < 2 and w["text"] in COLUMNS}
            if len(headings) < len(COLUMNS):
                continue
            top = headings["Issue"]["bottom"]
            starts = [headings[name]["x0"] - 6 for name in COLUMNS] + [page.width]
            columns = {name: [] for name in COLUMNS}
            for word in words:
                if top < word["top"] < page.height - 50:
                    for index, name in enumerate(COLUMNS):
                        if starts[index] <= word["x0"] < starts[index + 1]:
                            columns[name].append(word["text"])
            pages.append({name: " ".join(texts) for name, texts in columns.items()})
    return pages


def test_every_page_of_a_long_action_names_it_with_its_issue_owner_and_rag_word(long_pdf, team):
    pages = [
        columns
        for columns in _table_columns(long_pdf)
        if "Session" in columns["Update"] or "report report" in columns["Update"]
    ]
    assert len(pages) >= 3
    for columns in pages:
        assert "Deliver weekly knife crime" in columns["Action"]
        assert "Improve feelings of safety" in columns["Issue"]
        assert team.name in columns["Owner"]
        assert "Amber" in columns["RAG"]


def test_later_pages_say_the_action_is_continued(long_pages):
    later = [text for text in long_pages if "Session" in text or "report report" in text][1:]
    for text in later:
        assert "continued:" in text


def test_a_note_longer_than_a_page_repeats_its_date_where_it_goes_on(long_pages):
    finish = next(text for text in long_pages if "FINISH" in text)
    assert "BEGIN" not in finish
    assert squash("01/07/2025 (continued)") in squash(finish)
    words = squash("\n".join(long_pages)).count("report")
    assert words >= 1500


def test_no_page_starts_its_table_with_an_empty_action_cell(long_pages):
    for text in long_pages:
        lines = text.splitlines()
        if "Issue Action Owner Update RAG Rating" not in lines:
            continue
        first_row = lines[lines.index("Issue Action Owner Update RAG Rating") + 1]
        # A page's text reads a row left to right: empty Issue and Action cells would start
        # the line with the update's bullet.
        assert not first_row.startswith("•"), first_row


def test_the_rag_summary_wraps_long_priority_names(plan, priority, action):
    priority.title = (
        "Tackle Domestic Abuse / Increase the reporting of domestic abuse incidents and raise "
        "awareness of domestic abuse and the services available"
    )
    priority.save()
    summary = next(t for t in pdf_pages(render_plan(plan, PdfOptions()).pdf) if "RAG summary" in t)
    assert "…" not in summary
    assert squash(priority.title) in squash(summary)


def test_a_plan_with_ratings_has_a_chart_and_no_missing_ratings_line(plan, action):
    note(action, "Started", datetime.date(2025, 5, 1), rag=Rag.GREEN)
    summary = next(t for t in pdf_pages(render_plan(plan, PdfOptions()).pdf) if "RAG summary" in t)
    assert "No RAG ratings were recorded" not in summary
    assert "R = Red (off track)" in summary


def test_a_plan_without_ratings_says_so_and_keeps_the_counts_without_a_chart(plan, issue, action, team):
    f.ActionFactory(issue=issue, text="Second unrated action", owner_teams=[team])
    summary = next(t for t in pdf_pages(render_plan(plan, PdfOptions()).pdf) if "RAG summary" in t)
    assert "No RAG ratings were recorded: all 2 actions in this PDF are not yet rated." in summary
    assert "Red Amber Green Blue Not yet rated Total" in summary
    assert "All priorities 0 0 0 0 2 2" in summary
    assert "R = Red (off track)" not in summary


def test_the_seeds_hertsmere_plan_says_no_ratings_were_recorded(hertsmere_plan):
    summary = next(t for t in pdf_pages(render_plan(hertsmere_plan, PdfOptions()).pdf) if "RAG summary" in t)
    assert "No RAG ratings were recorded: all 50 actions in this PDF are not yet rated." in summary
    assert "All priorities 0 0 0 0 50 50" in summary
    assert "Priority 1 N" not in summary  # the all-zero chart's bars


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img")
def test_take_the_continuation_page_image(long_pdf, long_pages, tmp_path):
    """docs/img/pdf-continued.png: the first page where the long action goes on."""
    number = next(n for n, text in enumerate(long_pages, start=1) if "continued:" in text)
    (tmp_path / "plan.pdf").write_bytes(long_pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "70", "-singlefile", "-f", str(number), "-l", str(number), "plan.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )
    shutil.copy(tmp_path / "page.png", IMG / "pdf-continued.png")
