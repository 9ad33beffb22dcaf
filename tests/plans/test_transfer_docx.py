import datetime

import pytest

from actions.models import Action, ActionUpdate, Rag, Status
from plans.transfer.importer import apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from tests.plans.transfer_files import hertsmere_docx


@pytest.fixture
def parsed(db):
    return parse_upload(hertsmere_docx(), "plan.docx")


def test_word_plan_reads_every_action_once_despite_repeated_headings(parsed):
    assert [a.text for a in parsed.actions] == [
        "Arrange events in the community",
        "Arrange workshops for students",
        "Facilitate the Borehamwood Action Group",
        "Deliver Mini Police Cadets in primary schools",
        "Stop and search in hot spots",
    ]


def test_merged_issue_cell_names_the_issue_of_every_row_it_spans(parsed):
    issues = {a.issue for a in parsed.actions[:3]}
    assert issues == {"Raise awareness of county lines, gangs and knife crime in schools"}


def test_priority_bands_give_number_and_title(parsed):
    assert [(a.priority_number, a.priority_title[:26]) for a in parsed.actions][::2] == [
        (1, "Identify and prevent serio"),
        (1, "Identify and prevent serio"),
        (2, "Tackle the illicit drug ec"),
    ]


def test_rag_comes_from_the_word_or_the_shading(parsed):
    assert [a.rag for a in parsed.actions] == [Rag.GREEN, Rag.AMBER, Rag.RED, Rag.BLUE, ""]
    assert parsed.actions[4].status == Status.DISCHARGED


def test_update_cell_is_split_into_dated_notes(parsed):
    notes = [(u.date, u.text) for u in parsed.updates if u.action_key == parsed.actions[0].key]
    assert notes == [
        (datetime.date(2018, 11, 26), "event at Meryfields primary school – 140 people attended"),
        (datetime.date(2019, 5, 9), "event at Francis Coombes School"),
    ]


def test_note_without_a_date_takes_the_next_notes_date_and_says_so(parsed):
    undated = next(u for u in parsed.updates if u.text == "Leaflets designed and printed")
    assert undated.date == datetime.date(2019, 2, 6)
    assert "No date in the document" in undated.source_note


def test_bulleted_dates_and_two_digit_years_are_read(parsed):
    dates = [u.date for u in parsed.updates if u.action_key == parsed.actions[2].key]
    assert dates == [datetime.date(2019, 1, 10), datetime.date(2019, 3, 18), datetime.date(2019, 6, 17)]


def test_word_plan_imports_with_its_dated_updates(parsed, partnership, team, other_team):
    result = plan_import(
        parsed,
        partnership=partnership,
        new_plan={"title": "Community Safety Action Plan", "start_year": 2019, "end_year": 2020, "slug": "w-2019"},
    )
    assert result.errors == []
    plan = apply_import(result, user=None)
    actions = Action.objects.in_plan(plan).order_by("issue__priority__number", "order")
    assert actions.count() == 5
    first = actions.first()
    assert list(first.updates.values_list("date", flat=True)) == [
        datetime.date(2018, 11, 26),
        datetime.date(2019, 5, 9),
    ]
    assert first.rag == Rag.GREEN
    workshops = actions.get(text="Arrange workshops for students")
    assert (list(workshops.owner_teams.all()), workshops.owner_role) == ([team], "DI Macbeth")
    assert actions.get(text="Stop and search in hot spots").status == Status.DISCHARGED


def test_last_note_carries_the_rating_and_earlier_notes_record_the_change(parsed, partnership, team, other_team):
    result = plan_import(
        parsed, partnership=partnership, new_plan={"title": "P", "start_year": 2019, "end_year": 2020, "slug": "w"}
    )
    apply_import(result, user=None)
    updates = ActionUpdate.objects.filter(action__text="Arrange events in the community").order_by("date")
    assert [(u.previous_rag, u.rag) for u in updates] == [(Rag.NOT_RATED, Rag.NOT_RATED), (Rag.NOT_RATED, Rag.GREEN)]


def test_importing_the_word_plan_twice_changes_nothing(parsed, partnership, team, other_team):
    result = plan_import(
        parsed, partnership=partnership, new_plan={"title": "P", "start_year": 2019, "end_year": 2020, "slug": "w"}
    )
    plan = apply_import(result, user=None)
    again = plan_import(parse_upload(hertsmere_docx(), "plan.docx"), plan=plan)
    assert (again.has_changes, again.unchanged_actions) == (False, 5)


def test_document_without_action_tables_is_refused_clearly(db):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("Minutes of the meeting")
    stream = io.BytesIO()
    document.save(stream)
    parsed = parse_upload(stream.getvalue(), "minutes.docx")
    assert "No action table was found" in str(parsed.errors[0])


def test_numbered_heading_before_a_table_names_its_priority(db):
    import io

    from docx import Document

    document = Document()
    document.add_paragraph("3. Increase feelings of safety")
    table = document.add_table(rows=2, cols=5)
    for cell, text in zip(table.rows[0].cells, ["Issue", "Action", "Owner", "Update", "RAG Rating"], strict=True):
        cell.text = text
    for cell, text in zip(
        table.rows[1].cells, ["ASB", "Run patrols", "Testshire SNT", "01/02/2020 done", "G"], strict=True
    ):
        cell.text = text
    stream = io.BytesIO()
    document.save(stream)
    parsed = parse_upload(stream.getvalue(), "plan.docx")
    assert [(a.priority_number, a.priority_title, a.rag) for a in parsed.actions] == [
        (3, "Increase feelings of safety", Rag.GREEN)
    ]


def _word_plan_from(plan):
    """Write a plan out as Hertsmere's Word layout: band, headings, merged issue cells, notes, shaded RAG."""
    import io

    from docx import Document

    from plans.transfer.export import plan_actions
    from tests.plans.transfer_files import _headings, shade

    fills = {Rag.RED: "FF0000", Rag.AMBER: "FFC000", Rag.GREEN: "00B050", Rag.BLUE: "0070C0"}
    document = Document()
    actions = plan_actions(plan)
    for priority in plan.priorities.all():
        table = document.add_table(rows=0, cols=5)
        band = table.add_row().cells
        band[0].merge(band[4]).text = f"{priority.number}. {priority.title}"
        _headings(table)
        for issue in priority.issues.all():
            rows = []
            for action in [a for a in actions if a.issue_id == issue.pk]:
                cells = table.add_row().cells
                rows.append(cells)
                cells[1].text = action.text
                cells[2].text = " / ".join(action.owner_names())
                notes = [f"{u.date:%d/%m/%Y} {u.text}" for u in action.updates.all() if not u.is_sensitive]
                cells[3].text = notes[0] if notes else ""
                for note in notes[1:]:
                    cells[3].add_paragraph(note)
                if action.rag in fills:
                    shade(cells[4], fills[action.rag])
            if rows:
                merged = rows[0][0].merge(rows[-1][0]) if len(rows) > 1 else rows[0][0]
                merged.text = issue.title
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def test_hertsmere_plan_comes_in_from_word_with_its_dated_updates(hertsmere_plan):
    parsed = parse_upload(_word_plan_from(hertsmere_plan), "hertsmere.docx")
    result = plan_import(
        parsed,
        partnership=hertsmere_plan.partnership,
        new_plan={"title": "From Word", "start_year": 2019, "end_year": 2020, "slug": "hertsmere-word"},
    )
    assert result.errors == []
    imported = apply_import(result, user=None)

    def shape(plan):
        return [
            (a.issue.priority.number, a.issue.title, a.text, a.rag if a.rag != Rag.NOT_RATED else "",
             [(u.date, u.text) for u in a.updates.all() if not u.is_sensitive])
            for a in __import__("plans.transfer.export", fromlist=["plan_actions"]).plan_actions(plan)
        ]  # fmt: skip

    for got, want in zip(shape(imported), shape(hertsmere_plan), strict=True):
        assert got == want
