"""The plan PDF: layout, headings on every page, page numbers, options."""

import datetime
import io

import pytest
from pypdf import PdfReader

from actions.models import Rag
from plans.pdf.options import PdfOptions
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import LAST_MEETING, build_plan, note, pdf_pages, pdf_text, squash

A4_LANDSCAPE = (841.89, 595.28)


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


@pytest.fixture
def long_plan(plan, priority, issue, team):
    """One priority whose table runs over several pages, with one very long note."""
    for n in range(12):
        a = f.ActionFactory(issue=issue, text=f"Long action {n}", owner_teams=[team])
        for day in range(1, 5):
            note(
                a, f"Note {n}-{day} " + "with a good many words in it " * 8, datetime.date(2025, 5, day), rag=Rag.GREEN
            )
    huge = f.ActionFactory(issue=issue, text="Action with a huge update", owner_teams=[team])
    note(huge, "START " + "word " * 2500 + "END", datetime.date(2025, 5, 9), rag=Rag.AMBER)
    return plan


def test_pages_are_a4_landscape(plan, built):
    pdf = render_plan(plan, PdfOptions()).pdf
    for page in PdfReader(io.BytesIO(pdf)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (round(A4_LANDSCAPE[0]), round(A4_LANDSCAPE[1]))


def test_title_page_names_the_plan_and_its_priorities(plan, built):
    first = pdf_pages(render_plan(plan, PdfOptions()).pdf)[0]
    assert "Testshire Community Safety Action Plan 2025 - 2026" in first
    assert "Reduce anti-social behaviour" in first
    assert "Tackle domestic abuse" in first


def test_pdf_is_tagged_with_title_and_language(plan, built):
    reader = PdfReader(io.BytesIO(render_plan(plan, PdfOptions()).pdf))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == "Testshire Community Safety Action Plan 2025 - 2026"
    assert str(root["/Lang"]).lower().startswith("en")
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_every_page_says_page_n_of_m_and_the_marking(plan, built):
    pages = pdf_pages(render_plan(plan, PdfOptions()).pdf)
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "OFFICIAL" in text
        assert "Testshire Community Safety Partnership" in text
        assert "Produced " in text


def test_column_headings_and_band_repeat_on_every_page_with_rows(long_plan):
    pages = pdf_pages(render_plan(long_plan, PdfOptions()).pdf)
    table_pages = [text for text in pages if "Long action" in text or "word word" in text]
    assert len(table_pages) >= 3
    for text in table_pages:
        assert "Issue Action Owner Update RAG Rating" in text
        assert "1. Reduce anti-social behaviour" in text


def test_a_long_update_runs_over_pages_and_stays_whole(long_plan):
    text = pdf_text(render_plan(long_plan, PdfOptions()).pdf)
    squashed = squash(text)
    assert "START" in text and "END" in text
    assert squashed.count("word") >= 2500


def test_a_note_keeps_its_date_on_its_first_line(long_plan):
    for text in pdf_pages(render_plan(long_plan, PdfOptions()).pdf):
        for line in text.splitlines():
            # A date is never left alone at the bottom of a page without its note.
            assert not line.strip().endswith(("/2025", "/2025 –"))


def test_rag_summary_counts_each_rating_per_priority(plan, built):
    summary = next(text for text in pdf_pages(render_plan(plan, PdfOptions()).pdf) if "RAG summary" in text)
    # Priority 1: action (green), closed (blue); priority 2: fresh (green).
    assert "1. Reduce anti-social behaviour 0 0 1 1 0 2" in summary
    assert "2. Tackle domestic abuse 0 0 1 0 0 1" in summary


def test_updates_are_listed_oldest_first_with_their_dates(plan, built):
    text = squash(pdf_text(render_plan(plan, PdfOptions()).pdf))
    first = text.index("01/06/2025–EventatMeryfield")
    second = text.index("10/09/2025–EventatCowleyHill")
    assert first < second


def test_since_date_leaves_out_older_updates(plan, built):
    text = pdf_text(render_plan(plan, PdfOptions(since=LAST_MEETING)).pdf)
    assert "Cowley Hill" in text
    assert "Meryfield" not in text


def test_sensitive_updates_are_left_out_and_counted_by_default(plan, built):
    text = pdf_text(render_plan(plan, PdfOptions()).pdf)
    assert "Named suspect" not in text
    assert "1 restricted update not shown" in text
    assert "OFFICIAL-SENSITIVE" not in text.replace("(OFFICIAL-SENSITIVE)", "")


def test_sensitive_updates_included_mark_the_whole_pdf(plan, built, chair):
    result = render_plan(plan, PdfOptions(include_sensitive=True), user=chair)
    pages = pdf_pages(result.pdf)
    assert "Named suspect" in "".join(pages)
    assert result.marking == "OFFICIAL-SENSITIVE"
    assert all("OFFICIAL-SENSITIVE" in text for text in pages)


def test_officer_of_another_team_gets_no_sensitive_notes_even_when_asking(plan, built, other_officer):
    result = render_plan(plan, PdfOptions(include_sensitive=True), user=other_officer)
    assert "Named suspect" not in pdf_text(result.pdf)
    assert result.restricted_count == 1


def test_one_priority_only(plan, built):
    text = pdf_text(render_plan(plan, PdfOptions(priority=2)).pdf)
    assert "White Ribbon" in text
    assert "Cowley Hill" not in text


def test_one_owner_only(plan, built, other_team, issue):
    f.ActionFactory(issue=issue, text="Police patrols in the town centre", owner_teams=[other_team])
    text = pdf_text(render_plan(plan, PdfOptions(owner=f"team-{other_team.pk}")).pdf)
    assert "Police patrols" in text
    assert "White Ribbon" not in text


def test_closed_actions_can_be_left_out(plan, built):
    assert "stop and search" in pdf_text(render_plan(plan, PdfOptions()).pdf)
    assert "stop and search" not in pdf_text(render_plan(plan, PdfOptions(include_closed=False)).pdf)


def test_meeting_mode_lists_changes_first_and_marks_new_updates(plan, built):
    pages = pdf_pages(render_plan(plan, PdfOptions(since=LAST_MEETING, meeting_mode=True)).pdf)
    changes = next(text for text in pages if "Changes since 1 September 2025" in text)
    assert "White Ribbon" in changes  # new action
    assert "Discharged from the plan" in changes  # closed action
    assert "Amber → Green" in changes  # RAG change
    tables = "\n".join(pages[pages.index(changes) + 1 :])
    assert "Meryfield" in tables  # older notes still shown in meeting mode
    assert "10/09/2025 NEW" in tables
    assert "01/06/2025 NEW" not in tables


def test_render_makes_a_fixed_number_of_queries(plan, built, django_assert_max_num_queries, issue, team):
    from plans.pdf.data import load_plan_data, plan_queryset

    small = plan_queryset().get(pk=plan.pk)
    with django_assert_max_num_queries(12) as small_queries:
        load_plan_data(small, PdfOptions())
    for n in range(20):
        a = f.ActionFactory(issue=issue, text=f"More {n}", owner_teams=[team])
        note(a, "A note", datetime.date(2025, 5, 1))
    big = plan_queryset().get(pk=plan.pk)
    with django_assert_max_num_queries(len(small_queries)):
        load_plan_data(big, PdfOptions())


def test_big_plans_render_in_parts_on_every_core_and_are_numbered_after(plan, built, settings):
    settings.PDF_PARALLEL_MIN_ACTIONS = 1
    result = render_plan(plan, PdfOptions())
    pages = pdf_pages(result.pdf)
    assert result.pages == len(pages) >= 3
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert "Testshire Community Safety Partnership" in text
    assert "White Ribbon" in "".join(pages)
    reader = PdfReader(io.BytesIO(result.pdf))
    assert reader.metadata.title == "Testshire Community Safety Action Plan 2025 - 2026"
    assert reader.trailer["/Root"]["/Lang"] == "en-GB"


def test_a_note_that_begins_with_its_own_date_does_not_repeat_it(plan, action):
    note(action, "09/12/2019 - Since April 2019 23 young people have been referred", datetime.date(2019, 12, 9))
    text = squash(pdf_text(render_plan(plan, PdfOptions()).pdf))
    assert "09/12/2019–SinceApril2019" in text
    assert "09/12/2019–09/12/2019" not in text


def test_a_note_that_is_only_its_date_shows_the_date_once(plan, action):
    note(action, "10/01/2019", datetime.date(2019, 1, 10))
    text = pdf_text(render_plan(plan, PdfOptions()).pdf)
    assert text.count("10/01/2019") == 1
