"""Bad files and bad rows: each gets a clear message and nothing is saved."""

import datetime
import io
import time

import pytest

from actions.models import Action, ActionUpdate
from plans.transfer import columns as c
from plans.transfer.importer import apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from plans.transfer.rows import FileRefused
from tests.plans.transfer_files import action_row, xlsx


def _messages(content, name="plan.xlsx", plan=None):
    parsed = parse_upload(content, name)
    if plan is None:
        return [str(p) for p in parsed.errors]
    return [str(p) for p in plan_import(parsed, plan=plan).errors]


def _refusal(content, name="plan.xlsx"):
    with pytest.raises(FileRefused) as refused:
        parse_upload(content, name)
    return str(refused.value)


def test_empty_file_is_refused(db):
    assert _refusal(b"") == "The file is empty."


def test_xlsx_that_is_really_text_is_refused(db):
    assert "is not an Excel workbook or Word document inside" in _refusal(b"Reference,Action\n", "plan.xlsx")


def test_old_binary_excel_is_refused_with_what_to_do(db):
    assert "save it as an Excel workbook (.xlsx)" in _refusal(b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "plan.xls")


def test_zip_that_is_not_a_workbook_is_refused(db):
    import zipfile

    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr("hello.txt", "hi")
    assert "zip archive, not an Excel workbook" in _refusal(stream.getvalue())


def test_file_over_the_limit_is_refused_by_size(db, settings):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    assert "the largest file we accept is 10 MB" in _refusal(b"a" * (20 * 1024 * 1024), "plan.csv")


def test_missing_column_is_named(db):
    content = xlsx([[1, "P", "I", "A"]], action_columns=[c.PRIORITY_NUMBER, c.PRIORITY, c.ISSUE, c.ACTION])
    assert _messages(content) == ["Actions, row 1: the column 'Owners' is missing."]


def test_renamed_column_is_suggested(db):
    columns = [c.PRIORITY_NUMBER, c.PRIORITY, c.ISSUE, "Actoin", c.OWNERS]
    content = xlsx([[1, "P", "I", "A", "T"]], action_columns=columns)
    assert _messages(content) == [
        "Actions, row 1: the column 'Action' is missing; is 'Actoin' it? Rename that column to 'Action'."
    ]


def test_uk_day_first_dates_are_read(db):
    parsed = parse_upload(xlsx([action_row(**{"Target date": "09/12/2019"})]), "p.xlsx")
    assert parsed.actions[0].target_date == datetime.date(2019, 12, 9)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12/31/2019", "looks like a month-first (US) date"),
        ("09/12/19", "two-digit year, so the century is ambiguous"),
        ("31/02/2020", "is not a real date"),
        ("next Tuesday", "is not a date we can read"),
    ],
)
def test_unreadable_or_ambiguous_dates_are_refused_clearly(db, text, message):
    errors = _messages(xlsx([action_row(**{"Target date": text})]))
    assert len(errors) == 1 and errors[0].startswith("Actions, row 2, Target date:") and message in errors[0]


def test_unknown_rag_word_is_refused(db):
    assert _messages(xlsx([action_row(RAG="Purple")])) == [
        "Actions, row 2, RAG: 'Purple' is not a RAG rating; use 'Red', 'Amber', 'Green', 'Blue', 'Not rated'."
    ]


def test_formula_cell_is_refused_and_never_run(db):
    errors = _messages(xlsx([action_row(Action="=1+1")]))
    assert errors == [
        "Actions, row 2, Action: the cell holds a formula (=1+1); formulas are never run. Type the value itself."
    ]


def test_owner_near_miss_suggests_the_real_name(plan, team, other_team):
    errors = _messages(xlsx([action_row(), action_row(Action="B", Owners="Testshire SNTT")]), plan=plan)
    assert errors == [
        "Actions, row 3, Owners: no team or organisation called 'Testshire SNTT'; did you mean 'Testshire SNT'?"
    ]


def test_owner_matching_ignores_case_and_spaces(plan, team, other_team):
    parsed = parse_upload(xlsx([action_row(Owners="  testshire   SNT ")]), "p.xlsx")
    result = plan_import(parsed, plan=plan)
    assert result.new_actions[0].owners.team_ids == [other_team.id]


def test_update_for_an_unknown_reference_is_refused(plan, team):
    content = xlsx([action_row(Reference="X-1")], [{c.ACTION_REFERENCE: "X-2", c.DATE: "2020-01-01", c.TEXT: "t"}])
    assert _messages(content, plan=plan) == [
        "Updates, row 2, Action reference: no action with the reference X-2 in this file or in the plan."
    ]


def test_update_dated_in_the_future_is_refused(plan, team):
    future = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    content = xlsx([action_row(Reference="X-1")], [{c.ACTION_REFERENCE: "X-1", c.DATE: future, c.TEXT: "t"}])
    assert "is in the future" in _messages(content, plan=plan)[0]


def test_duplicate_reference_is_refused(plan, team):
    content = xlsx([action_row(Reference="X-1"), action_row(Reference="x-1", Action="Other")])
    assert _messages(content, plan=plan) == ["Actions, row 3, Reference: the reference x-1 is also used on row 2."]


def test_csv_with_semicolons_and_windows_encoding_is_read(db):
    text = "Priority number;Priority;Issue;Action;Owners\r\n1;Crime;Issue;Caf\xe9 event;Team\r\n"
    parsed = parse_upload(text.encode("cp1252"), "plan.csv")
    assert (parsed.errors, parsed.actions[0].text) == ([], "Café event")


def test_nothing_is_saved_when_a_later_write_fails(plan, team, monkeypatch):
    content = xlsx(
        [action_row(Reference="X-1"), action_row(Reference="X-2", Action="B")],
        [{c.ACTION_REFERENCE: "X-2", c.DATE: "2020-01-01", c.TEXT: "t"}],
    )
    result = plan_import(parse_upload(content, "p.xlsx"), plan=plan)

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("plans.transfer.importer.bulk_update_with_history", fail)
    with pytest.raises(RuntimeError):
        apply_import(result, user=None)
    assert not Action.objects.exists() and not plan.priorities.exists()


def test_thousands_of_rows_import_with_progress(plan, team, capsys):
    rows = [action_row(Reference=f"R-{n}", Action=f"Action {n}", Issue=f"Issue {n // 10}") for n in range(3000)]
    updates = [
        {c.ACTION_REFERENCE: f"R-{n}", c.DATE: "2020-01-01", c.RAG: "Green", c.TEXT: "Done"} for n in range(3000)
    ]
    content = xlsx(rows, updates)
    started = time.perf_counter()
    result = plan_import(parse_upload(content, "big.xlsx"), plan=plan)
    seen = []
    apply_import(result, user=None, progress=lambda done, total: seen.append((done, total)))
    print(f"\n3000-row import: {time.perf_counter() - started:.1f}s")
    assert Action.objects.in_plan(plan).count() == 3000
    assert seen[0] == (100, 6000) and seen[-1] == (6000, 6000)
    assert (
        ActionUpdate.objects.filter(action__issue__priority__plan=plan, rag="green", previous_rag="not_rated").count()
        == 3000
    )


def test_unknown_owner_is_kept_as_a_named_role_with_a_warning(plan, team):
    result = plan_import(parse_upload(xlsx([action_row(Owners="Youth Panel")]), "p.xlsx"), plan=plan)
    assert (result.errors, result.new_actions[0].owners.role) == ([], "Youth Panel")
    assert "it will be kept as a named owner" in str(result.warnings[0])


def test_named_role_needs_no_warning(plan, team):
    result = plan_import(parse_upload(xlsx([action_row(Owners="DI Macbeth")]), "p.xlsx"), plan=plan)
    assert (result.warnings, result.new_actions[0].owners.role) == ([], "DI Macbeth")


def _planning_queries(plan, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    parsed = parse_upload(xlsx(rows), "p.xlsx")
    with CaptureQueriesContext(connection) as queries:
        plan_import(parsed, plan=plan)
    return len(queries)


def test_planning_an_import_takes_the_same_queries_for_few_or_many_rows(plan, team, other_team):
    few = [action_row(Reference=f"Q-{n}", Action=f"A {n}") for n in range(2)]
    many = [action_row(Reference=f"Q-{n}", Action=f"A {n}", Owners="Testshire SNT / DI Macbeth") for n in range(60)]
    assert _planning_queries(plan, few) == _planning_queries(plan, many)


def test_file_from_another_plan_gets_a_warning(plan, team):
    result = plan_import(parse_upload(xlsx([action_row(Plan="otherton-2019-2020")]), "p.xlsx"), plan=plan)
    assert "exported from the plan otherton-2019-2020" in str(result.warnings[0])


def test_an_existing_issue_without_actions_is_reused(plan, priority, issue, team):
    content = xlsx([action_row(Priority=priority.title, Issue=issue.title)])
    apply_import(plan_import(parse_upload(content, "p.xlsx"), plan=plan), user=None)
    assert list(Action.objects.in_plan(plan).values_list("issue", flat=True)) == [issue.pk]
