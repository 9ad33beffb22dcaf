"""The plan PDF may show, and the export shows, each carried action's last update before carry-over."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Marking
from plans import cycle
from plans.pdf.data import load_plan_data
from plans.pdf.options import PdfOptions, PdfOptionsForm
from plans.pdf.render import build_html
from tests import factories as f

from .pdf_helpers import note, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def carried(partnership, plan, action):
    """``action`` (2025-2026) with two notes, carried into 2026-2027."""
    note(action, "First <b>event</b> held", datetime.date(2025, 6, 1))
    note(action, "Second event held in <i>March</i>", datetime.date(2026, 3, 1))
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    [copy] = cycle.plan_roll_over(plan=plan, target=target, actions=[action], mapping={}).carried
    return target, copy


def _rows(data):
    return [row for block in data.priorities for _, row, _ in block.rows()]


def test_the_option_is_off_by_default(officer, plan, carried):
    target, _ = carried
    assert not PdfOptionsForm(target, officer).fields["before_carry"].initial
    [row] = _rows(load_plan_data(target, PdfOptions(), user=officer))
    assert row.before_carry is None
    assert "Last update before carry-over" not in build_html(load_plan_data(target, PdfOptions(), user=officer))


def test_with_the_option_the_predecessors_last_update_is_shown_escaped(officer, carried):
    target, _ = carried
    data = load_plan_data(target, PdfOptions(before_carry=True), user=officer)
    [row] = _rows(data)
    assert (row.before_carry.date, row.before_carry.text) == (
        datetime.date(2026, 3, 1),
        "Second event held in <i>March</i>",
    )
    html = build_html(data)
    assert "Last update before carry-over" in html and "Second event held in &lt;i&gt;March&lt;/i&gt;" in html


def test_a_restricted_last_update_needs_the_sensitive_option_and_the_right(
    officer, other_officer, chair, plan, action, carried
):
    target, _ = carried
    f.UpdateFactory(
        action=action, text="Named suspect", date=datetime.date(2026, 3, 2), marking=Marking.OFFICIAL_SENSITIVE
    )
    options = PdfOptions(before_carry=True, include_sensitive=True)
    [row] = _rows(load_plan_data(target, options, user=chair))
    assert row.before_carry.text == "Named suspect"
    data = load_plan_data(target, options, user=other_officer)
    assert _rows(data)[0].before_carry is None and data.restricted_count == 1
    assert _rows(load_plan_data(target, PdfOptions(before_carry=True), user=chair))[0].before_carry is None


def test_the_download_carries_the_last_update_before_carry_over(client_for, officer, carried, settings):
    settings.PDF_RENDER_IN_PROCESS = True
    target, _ = carried
    url = reverse("plans:pdf", args=[target.slug]) + "?download=1&include_closed=on&before_carry=on"
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert "Second event held in <i>March</i>" in pdf_text(response.content).replace("\n", " ")


def test_the_export_has_a_column_with_the_last_update_before_carry_over(officer, carried):
    from plans.transfer import columns as c
    from plans.transfer.export import export_rows

    target, _ = carried
    [row], _ = export_rows(target, officer)
    assert row[c.BEFORE_CARRY] == "2026-03-01: Second event held in <i>March</i>"
    assert c.ACTION_COLUMNS[-1] == c.BEFORE_CARRY


def test_the_export_leaves_out_a_restricted_last_update_for_those_who_may_not_read_it(
    client_for, other_officer, chair, action, carried
):
    from plans.transfer import columns as c
    from plans.transfer.export import export_rows

    target, _ = carried
    f.UpdateFactory(
        action=action, text="Named suspect", date=datetime.date(2026, 3, 2), marking=Marking.OFFICIAL_SENSITIVE
    )
    assert export_rows(target, chair)[0][0][c.BEFORE_CARRY] == "2026-03-02: Named suspect"
    assert export_rows(target, other_officer)[0][0][c.BEFORE_CARRY] == ""
    response = client_for(other_officer).get(reverse("plans:export", args=[target.slug, "actions.csv"]))
    assert response.status_code == 200 and "Named suspect" not in response.content.decode()
