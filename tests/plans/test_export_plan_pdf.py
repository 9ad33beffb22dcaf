"""manage.py export_plan_pdf, and the Hertsmere 2019-2020 plan (once the seed is loaded)."""

import io

import pytest
from django.core.management import CommandError, call_command

from .pdf_helpers import LAST_MEETING, build_plan, column_texts, pdf_pages, pdf_text, squash


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


def export(*args):
    out = io.StringIO()
    call_command("export_plan_pdf", *args, stdout=out)
    return out.getvalue()


def test_command_writes_the_pdf_and_prints_pages_seconds_and_size(plan, built, tmp_path):
    output = tmp_path / "plan.pdf"
    printed = export(plan.slug, "--output", str(output))
    pdf = output.read_bytes()
    assert pdf.startswith(b"%PDF")
    assert f"{len(pdf_pages(pdf))} pages" in printed
    assert " s, " in printed
    assert f"({len(pdf)} bytes)" in printed
    assert "1 restricted update not shown" in printed


def test_command_options_since_sensitive_and_priority(plan, built, tmp_path):
    output = tmp_path / "plan.pdf"
    export(
        plan.slug,
        "--output",
        str(output),
        "--since",
        LAST_MEETING.isoformat(),
        "--include-sensitive",
        "--priority",
        "1",
    )
    text = pdf_text(output.read_bytes())
    assert "Named suspect" in text
    assert "Meryfield" not in text
    assert "White Ribbon" not in text


def test_every_action_and_owner_is_in_its_column(plan, built, tmp_path):
    output = tmp_path / "plan.pdf"
    export(plan.slug, "--output", str(output))
    columns = column_texts(output.read_bytes())
    from actions.models import Action

    for action in Action.objects.in_plan(plan).prefetch_related("owner_teams"):
        assert squash(action.text) in columns["Action"]
        assert squash(action.owners_display()) in columns["Owner"]


def test_command_refuses_an_unknown_plan_or_priority(plan, built, tmp_path):
    with pytest.raises(CommandError, match="No plan"):
        export("nowhere-2019-2020", "--output", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no priority 9"):
        export(plan.slug, "--output", str(tmp_path / "x.pdf"), "--priority", "9")
    with pytest.raises(CommandError, match="needs --since"):
        export(plan.slug, "--output", str(tmp_path / "x.pdf"), "--meeting-mode")


def test_hertsmere_plan_has_every_action_and_owner(hertsmere_plan, tmp_path):
    from actions.models import Action

    output = tmp_path / "hertsmere.pdf"
    printed = export("hertsmere-2019-2020", "--output", str(output))
    pdf = output.read_bytes()
    columns = column_texts(pdf)
    actions = list(
        Action.objects.in_plan(hertsmere_plan).prefetch_related("owner_teams", "owner_organisations", "owner_groups")
    )
    assert actions
    for action in actions:
        assert squash(action.text) in columns["Action"], action.text
        assert squash(action.owners_display()) in columns["Owner"], action.owners_display()
    pages = pdf_pages(pdf)
    assert "Hertsmere Community Safety Action Plan 2019 - 2020" in pages[0]
    assert f"{len(pages)} pages" in printed
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text


def test_hertsmere_headings_repeat_on_every_page_with_rows(hertsmere_plan, tmp_path):
    output = tmp_path / "hertsmere.pdf"
    export("hertsmere-2019-2020", "--output", str(output))
    pages = pdf_pages(output.read_bytes())
    summary_index = next(i for i, text in enumerate(pages) if "RAG summary" in text)
    for text in pages[summary_index + 1 :]:
        assert "Issue Action Owner Update RAG Rating" in text
