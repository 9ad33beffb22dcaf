"""Milestones in the import and export workbook: the Milestones sheet, its checks, and what a
re-import changes (the round trip itself is in test_transfer_round_trip)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from actions.models import Marking
from partners.models import User
from plans.transfer import columns as c
from plans.transfer.export import export_rows, milestone_rows, xlsx_bytes
from plans.transfer.importer import apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from tests import factories as f

from .transfer_files import xlsx


def _row(**values):
    row = {c.ACTION_REFERENCE: "ACT-1", c.MILESTONE: "Venue booked", c.DUE_DATE: "2025-09-01"}
    return row | values


@pytest.fixture
def referenced(action):
    action.reference = "ACT-1"
    action.save()
    return action


def _import(plan, milestones):
    """The plan's own export with these rows on its Milestones sheet, imported into it."""
    action_rows, _ = export_rows(plan, User(is_superuser=True, username="exporter"))
    return plan_import(parse_upload(xlsx(action_rows, milestones=milestones), "plan.xlsx"), plan=plan)


def _problems(result):
    return [(p.sheet, p.row, p.column, p.message) for p in result.errors]


def test_the_milestones_of_an_existing_action_are_added(plan, referenced, team, admin):
    rows = [_row(), _row(**{c.MILESTONE: "Event held", c.OWNING_TEAM: team.name, c.DONE_ON: "2025-09-02"})]
    result = _import(plan, rows)
    assert (result.errors, len(result.new_milestones)) == ([], 2)
    apply_import(result, user=admin)
    saved = list(referenced.milestones.order_by("order").values_list("text", "order", "owner_team", "done_on"))
    assert saved == [("Venue booked", 1, None, None), ("Event held", 2, team.pk, datetime.date(2025, 9, 2))]
    assert referenced.milestones.first().history.first().history_user == admin


def test_a_changed_due_date_is_shown_and_applied(plan, referenced, admin):
    milestone = f.MilestoneFactory(action=referenced, text="Venue booked", due_date=datetime.date(2025, 8, 1))
    result = _import(plan, [_row()])
    assert [list(ch.fields) for ch in result.milestone_changes] == [[c.DUE_DATE]]
    assert any("milestone 'Venue booked': Due date" in line for line in result.summary_lines())
    apply_import(result, user=admin)
    milestone.refresh_from_db()
    assert milestone.due_date == datetime.date(2025, 9, 1)


def test_a_blank_done_date_does_not_undo_a_milestone(plan, referenced):
    f.MilestoneFactory(action=referenced, text="Venue booked", due_date=datetime.date(2025, 9, 1),
                       done_on=datetime.date(2025, 8, 30))  # fmt: skip
    assert _import(plan, [_row()]).has_changes is False


@pytest.mark.parametrize(
    ("values", "column", "words"),
    [
        ({c.ACTION_REFERENCE: ""}, c.ACTION_REFERENCE, "the action reference is missing"),
        ({c.ACTION_REFERENCE: "NOPE-9"}, c.ACTION_REFERENCE, "no action with the reference NOPE-9"),
        ({c.MILESTONE: ""}, c.MILESTONE, "the milestone is empty"),
        ({c.DUE_DATE: ""}, c.DUE_DATE, "the due date is missing"),
        ({c.DUE_DATE: "12/31/2025"}, c.DUE_DATE, "looks like a month-first (US) date"),
        ({c.DONE_ON: "31/2/2025"}, c.DONE_ON, "is not a real date"),
        ({c.DONE_ON: "2099-01-01"}, c.DONE_ON, "is in the future"),
        ({c.OWNING_TEAM: "Atlantis SNT"}, c.OWNING_TEAM, "no current team of this partnership called 'Atlantis SNT'"),
        ({c.MILESTONE: "=1+1"}, c.MILESTONE, None),
    ],
)
def test_a_bad_milestone_row_is_reported_with_its_sheet_row_and_column(plan, referenced, values, column, words):
    result = _import(plan, [_row(**values)])
    [(sheet, row, where, message)] = _problems(result)
    assert (sheet, row, where) == (c.MILESTONES_SHEET, 2, column)
    assert words is None or words in message


def test_a_team_of_another_partnership_is_not_an_owner(plan, referenced, other_partnership):
    elsewhere = f.TeamFactory(name="Otherton SNT", partnership=other_partnership)
    assert _problems(_import(plan, [_row(**{c.OWNING_TEAM: elsewhere.name})]))


def test_a_sensitive_actions_milestones_are_withheld_from_those_who_may_not_read_it(
    plan, referenced, other_officer, officer
):
    referenced.marking = Marking.OFFICIAL_SENSITIVE
    referenced.save()
    f.MilestoneFactory(action=referenced, text="Covert visit")
    assert [r[c.MILESTONE] for r in milestone_rows(plan, other_officer)] == ["OFFICIAL-SENSITIVE: text withheld"]
    assert [r[c.MILESTONE] for r in milestone_rows(plan, officer)] == ["Covert visit"]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(plan, other_officer)))[c.MILESTONES_SHEET]
    assert "Covert visit" not in str([cell.value for row in sheet.iter_rows() for cell in row])


def test_milestone_rows_take_two_queries_however_many(plan, issue, team, django_assert_max_num_queries, officer):
    for _ in range(3):
        f.MilestoneFactory(action=f.ActionFactory(issue=issue, owner_teams=[team]), owner_team=team)
    with django_assert_max_num_queries(1):
        assert len(milestone_rows(plan, officer)) == 3
    for _ in range(10):
        f.MilestoneFactory(action=f.ActionFactory(issue=issue, owner_teams=[team]), owner_team=team)
    with django_assert_max_num_queries(1):
        assert len(milestone_rows(plan, officer)) == 13
