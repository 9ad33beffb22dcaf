import datetime

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, Marking
from actions.services import action_add_update
from plans.models import ActionPlan
from tests.plans.transfer_files import action_row, xlsx


@pytest.fixture
def noted(action):
    action_add_update(action=action, text="Event held", rag="amber", date=datetime.date(2025, 5, 1))
    action_add_update(
        action=action, text="Named suspect", date=datetime.date(2025, 5, 2), marking=Marking.OFFICIAL_SENSITIVE
    )
    return action


def test_export_plan_writes_xlsx(plan, noted, tmp_path, capsys):
    call_command("export_plan", plan.slug, "--format", "xlsx", "--output", str(tmp_path / "p.xlsx"))
    assert "Wrote 1 actions and 2 updates" in capsys.readouterr().out
    assert (tmp_path / "p.xlsx").read_bytes()[:2] == b"PK"


def test_export_plan_writes_two_csv_files(plan, noted, tmp_path):
    call_command("export_plan", plan.slug, "--format", "csv", "--output", str(tmp_path / "p.csv"))
    assert "Event held" in (tmp_path / "p-updates.csv").read_text(encoding="utf-8-sig")


def test_export_as_a_user_leaves_out_what_they_may_not_read(plan, noted, other_officer, tmp_path):
    call_command("export_plan", plan.slug, format="csv", output=str(tmp_path / "p.csv"), as_user="other_officer")
    updates = (tmp_path / "p-updates.csv").read_text(encoding="utf-8-sig")
    assert "Event held" in updates
    assert "Named suspect" not in updates


def test_export_of_an_unknown_plan_fails(db, tmp_path):
    with pytest.raises(CommandError, match="No plan called nope"):
        call_command("export_plan", "nope", output=str(tmp_path / "x.xlsx"))


def test_import_dry_run_prints_the_preview_and_saves_nothing(plan, team, tmp_path, capsys):
    (tmp_path / "p.xlsx").write_bytes(xlsx([action_row(Reference="D-1")]))
    call_command("import_plan", str(tmp_path / "p.xlsx"), "--plan", plan.slug, "--dry-run")
    out = capsys.readouterr().out
    assert "Actions, row 2: create action D-1: Deliver Safer Street events" in out
    assert "Dry run: nothing was saved." in out
    assert not Action.objects.exists()


def test_import_saves_and_a_second_run_changes_nothing(plan, team, tmp_path, capsys):
    (tmp_path / "p.xlsx").write_bytes(xlsx([action_row(Reference="D-1")]))
    call_command("import_plan", str(tmp_path / "p.xlsx"), "--plan", plan.slug)
    call_command("import_plan", str(tmp_path / "p.xlsx"), "--plan", plan.slug)
    assert "Unchanged: 1 actions, 0 updates" in capsys.readouterr().out
    assert Action.objects.get().reference == "D-1"


def test_import_with_errors_prints_them_and_fails(plan, team, other_team, tmp_path, capsys):
    (tmp_path / "p.xlsx").write_bytes(xlsx([action_row(Owners="Testshire SNTT")]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_plan", str(tmp_path / "p.xlsx"), "--plan", plan.slug)
    assert "did you mean 'Testshire SNT'?" in capsys.readouterr().err
    assert not Action.objects.exists()


def test_import_exits_non_zero_from_the_shell(plan, tmp_path):
    import subprocess
    import sys

    (tmp_path / "p.csv").write_text("nothing useful\n")
    finished = subprocess.run(
        [sys.executable, "manage.py", "import_plan", str(tmp_path / "p.csv"), "--plan", "no-such-plan"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert finished.returncode != 0


def test_import_can_create_the_plan(partnership, team, tmp_path):
    (tmp_path / "p.xlsx").write_bytes(xlsx([action_row()]))
    call_command(
        "import_plan",
        str(tmp_path / "p.xlsx"),
        "--plan",
        "testshire-2027-2028",
        "--create",
        "--partnership",
        "testshire",
    )
    plan = ActionPlan.objects.get(slug="testshire-2027-2028")
    assert (plan.start_year, plan.end_year, Action.objects.in_plan(plan).count()) == (2027, 2028, 1)


def test_import_into_a_missing_plan_says_how_to_create_it(db, tmp_path):
    (tmp_path / "p.xlsx").write_bytes(xlsx([action_row()]))
    with pytest.raises(CommandError, match="Use --create --partnership"):
        call_command("import_plan", str(tmp_path / "p.xlsx"), "--plan", "nope")


def test_make_import_template_writes_the_files(db, tmp_path):
    call_command("make_import_template", folder=str(tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "action-plan-template-updates.csv",
        "action-plan-template.csv",
        "action-plan-template.xlsx",
    ]


def test_committed_template_matches_the_generator(db):
    import io
    from pathlib import Path

    from django.conf import settings
    from openpyxl import load_workbook

    from plans.transfer.template import template_xlsx

    def values(content):
        workbook = load_workbook(io.BytesIO(content))
        return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in workbook.worksheets}

    committed = Path(settings.BASE_DIR) / "docs" / "templates" / "action-plan-template.xlsx"
    assert values(committed.read_bytes()) == values(template_xlsx()), "run: manage.py make_import_template"


def test_blank_template_imports_as_a_clear_error_not_a_crash(plan):
    from plans.transfer.parse_table import parse_upload
    from plans.transfer.template import template_xlsx

    errors = [str(p) for p in parse_upload(template_xlsx(), "template.xlsx").errors]
    assert errors == ["Actions: there are no actions under the column names."]
