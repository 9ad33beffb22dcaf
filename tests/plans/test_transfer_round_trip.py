"""Export → import into an empty plan → export gives the same file, apart from generated references."""

import datetime
import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from actions.models import Action, Marking, Rag, Status
from actions.services import action_add_update
from partners.models import User
from plans.models import ActionPlan
from plans.transfer import columns as c
from plans.transfer.export import export_rows, milestone_rows, xlsx_bytes
from plans.transfer.importer import apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from tests import factories as f

EVERYONE = User(is_superuser=True, username="exporter")


def _comparable(action_rows, update_rows):
    """The rows with each plan's references replaced by their position (references are generated)."""
    numbering = {row[c.REFERENCE]: n for n, row in enumerate(action_rows)}
    actions = [{**row, c.REFERENCE: numbering[row[c.REFERENCE]], c.PLAN: ""} for row in action_rows]
    updates = [{**row, c.ACTION_REFERENCE: numbering[row[c.ACTION_REFERENCE]]} for row in update_rows]
    return actions, updates


def _import_into_empty_plan(content, name, partnership, **files):
    parsed = parse_upload(content, name, **files)
    new_plan = {"title": "Round trip", "start_year": 2030, "end_year": 2031, "slug": f"{partnership.slug}-round-trip"}
    result = plan_import(parsed, partnership=partnership, new_plan=new_plan)
    assert result.errors == []
    return apply_import(result, user=None)


def _sheet_values(content):
    workbook = load_workbook(io.BytesIO(content))
    return {ws.title: [[cell.value for cell in row] for row in ws.iter_rows()] for ws in workbook.worksheets}


@pytest.fixture
def rich_plan(plan, issue, team, other_team, council, partnership):
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire JAG")
    first = f.ActionFactory(issue=issue, text="=cmd|' /C calc'!A0", owner_teams=[team, other_team])
    first.owner_groups.add(group)
    first.owner_role = "DI Macbeth"
    first.target_date = datetime.date(2026, 3, 31)
    first.save()
    action_add_update(action=first, text="- Café event, 140 attended", rag=Rag.AMBER, date=datetime.date(2025, 5, 1))
    action_add_update(action=first, text="Second note\non two lines", rag=Rag.GREEN, date=datetime.date(2025, 5, 1))
    action_add_update(
        action=first, text="@named person", date=datetime.date(2025, 6, 2), marking=Marking.OFFICIAL_SENSITIVE
    )
    second = f.ActionFactory(issue=issue, text="Run a knife amnesty", owner_organisations=[council], rag=Rag.RED)
    second.status = Status.DISCHARGED
    second.save()
    other_priority = f.PriorityFactory(plan=plan, number=2, title="Tackle the illicit drug economy")
    third = f.ActionFactory(issue=f.IssueFactory(priority=other_priority, title=""), text="+ raise awareness")
    action_add_update(action=third, text="Done", rag=Rag.BLUE, date=datetime.date(2025, 7, 1), author_name="Jo Bloggs")
    return plan


def test_xlsx_round_trip_gives_the_same_file(rich_plan, partnership):
    before = export_rows(rich_plan, EVERYONE)
    imported = _import_into_empty_plan(xlsx_bytes(rich_plan, EVERYONE), "plan.xlsx", partnership)
    assert _comparable(*export_rows(imported, EVERYONE)) == _comparable(*before)


def test_xlsx_round_trip_file_is_cell_for_cell_identical_apart_from_references(rich_plan, partnership):
    first = _sheet_values(xlsx_bytes(rich_plan, EVERYONE))
    imported = _import_into_empty_plan(xlsx_bytes(rich_plan, EVERYONE), "plan.xlsx", partnership)
    second = _sheet_values(xlsx_bytes(imported, EVERYONE))
    references = {
        old[0]: new[0] for old, new in zip(first["Actions"][1:], second["Actions"][1:], strict=True)
    }  # position-wise
    expected_actions = [
        [references.get(row[0], row[0]), imported.slug if n else row[1], *row[2:]]
        for n, row in enumerate(first["Actions"])
    ]
    expected_actions[0][1] = c.PLAN
    expected_updates = [[references.get(row[0], row[0]), *row[1:]] for row in first["Updates"]]
    assert (second["Actions"], second["Updates"]) == (expected_actions, expected_updates)


def test_csv_round_trip_gives_the_same_files(rich_plan, partnership, tmp_path):
    call_command("export_plan", rich_plan.slug, format="csv", output=str(tmp_path / "plan.csv"), verbosity=0)
    imported = _import_into_empty_plan(
        (tmp_path / "plan.csv").read_bytes(),
        "plan.csv",
        partnership,
        updates_content=(tmp_path / "plan-updates.csv").read_bytes(),
        updates_filename="plan-updates.csv",
    )
    assert _comparable(*export_rows(imported, EVERYONE)) == _comparable(*export_rows(rich_plan, EVERYONE))


def test_reimporting_an_export_into_its_own_plan_changes_nothing(rich_plan):
    result = plan_import(parse_upload(xlsx_bytes(rich_plan, EVERYONE), "plan.xlsx"), plan=rich_plan)
    assert (result.errors, result.has_changes) == ([], False)


def test_round_trip_of_the_hertsmere_2019_2020_plan(hertsmere_plan):
    before = export_rows(hertsmere_plan, EVERYONE)
    assert len(before[0]) > 20 and len(before[1]) > 20
    imported = _import_into_empty_plan(xlsx_bytes(hertsmere_plan, EVERYONE), "plan.xlsx", hertsmere_plan.partnership)
    assert _comparable(*export_rows(imported, EVERYONE)) == _comparable(*before)
    assert ActionPlan.objects.filter(partnership=hertsmere_plan.partnership).count() >= 2


def test_reimporting_the_hertsmere_export_into_itself_changes_nothing(hertsmere_plan):
    result = plan_import(parse_upload(xlsx_bytes(hertsmere_plan, EVERYONE), "plan.xlsx"), plan=hertsmere_plan)
    assert (result.errors, result.has_changes) == ([], False)


def test_hertsmere_csv_round_trip_through_the_commands(hertsmere_plan, tmp_path):
    call_command("export_plan", hertsmere_plan.slug, format="csv", output=str(tmp_path / "h.csv"), verbosity=0)
    call_command(
        "import_plan",
        str(tmp_path / "h.csv"),
        plan="hertsmere-2030-2031",
        create=True,
        partnership="hertsmere",
        verbosity=0,
    )
    imported = ActionPlan.objects.get(slug="hertsmere-2030-2031")
    assert _comparable(*export_rows(imported, EVERYONE)) == _comparable(*export_rows(hertsmere_plan, EVERYONE))


@pytest.fixture
def plan_with_milestones(rich_plan, team):
    first, second = Action.objects.in_plan(rich_plan).order_by("issue__priority__number", "order", "id")[:2]
    f.MilestoneFactory(
        action=first,
        text="Venue booked",
        order=1,
        due_date=datetime.date(2025, 9, 1),
        done_on=datetime.date(2025, 8, 28),
        owner_team=team,
    )
    f.MilestoneFactory(
        action=first, text="=Flyers printed", order=2, due_date=datetime.date(2025, 10, 1), owner_role="DI Macbeth"
    )
    f.MilestoneFactory(action=second, text="Bins installed", order=1, due_date=datetime.date(2026, 1, 31))
    return rich_plan  # fmt: skip


def _comparable_milestones(plan):
    numbering = {row[c.REFERENCE]: n for n, row in enumerate(export_rows(plan, EVERYONE)[0])}
    return [{**row, c.ACTION_REFERENCE: numbering[row[c.ACTION_REFERENCE]]} for row in milestone_rows(plan, EVERYONE)]


def test_milestones_travel_in_their_own_sheet_and_round_trip(plan_with_milestones, partnership):
    content = xlsx_bytes(plan_with_milestones, EVERYONE)
    assert [row[1] for row in _sheet_values(content)["Milestones"]] == [
        c.MILESTONE, "Venue booked", "=Flyers printed", "Bins installed"
    ]  # fmt: skip
    imported = _import_into_empty_plan(content, "plan.xlsx", partnership)
    assert _comparable_milestones(imported) == _comparable_milestones(plan_with_milestones)
    assert _comparable(*export_rows(imported, EVERYONE)) == _comparable(*export_rows(plan_with_milestones, EVERYONE))


def test_reimporting_an_export_with_milestones_into_its_own_plan_changes_nothing(plan_with_milestones):
    result = plan_import(
        parse_upload(xlsx_bytes(plan_with_milestones, EVERYONE), "plan.xlsx"), plan=plan_with_milestones
    )
    assert (result.errors, result.has_changes, result.unchanged_milestones) == ([], False, 3)
