"""The plan PDF's "Show milestones" option: off by default; on, each action's milestones print
under its text, escaped, in the tagged PDF, with no extra query per action."""

import datetime
import io
import subprocess

import pytest
import time_machine
from pypdf import PdfReader

from actions.models import Marking
from partners.pdf import StaticOnlyFetcher
from plans.pdf import render as render_module
from plans.pdf.data import load_plan_data, plan_queryset
from plans.pdf.html import build_html
from plans.pdf.options import PdfOptions, PdfOptionsForm
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import column_texts, squash
from .test_pdf_safety import connected, listener  # noqa: F401 - the fixture

TODAY = datetime.date(2025, 10, 1)
SHOWN = PdfOptions(show_milestones=True)


@pytest.fixture
def milestones(action):
    f.MilestoneFactory(
        action=action,
        text="Venue booked",
        order=1,
        due_date=datetime.date(2025, 8, 1),
        done_on=datetime.date(2025, 7, 30),
    )
    f.MilestoneFactory(action=action, text="Speakers confirmed", order=2, due_date=datetime.date(2025, 9, 28))
    f.MilestoneFactory(action=action, text="Event held", order=3, due_date=datetime.date(2025, 11, 1))
    return action  # fmt: skip


def _pdftotext(pdf, tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_milestones_are_left_out_by_default(plan, milestones, tmp_path):
    assert PdfOptions().show_milestones is False
    assert "Venue booked" not in _pdftotext(render_plan(plan, PdfOptions()).pdf, tmp_path)


@time_machine.travel(datetime.datetime(2025, 10, 1, 12, tzinfo=datetime.UTC), tick=False)
def test_with_the_option_milestones_print_under_the_action_done_or_overdue(plan, milestones, tmp_path):
    pdf = render_plan(plan, SHOWN).pdf
    text = squash(_pdftotext(pdf, tmp_path))
    assert squash("01/08/2025 – Venue booked (done 30/07/2025)") in text
    assert squash("28/09/2025 – Speakers confirmed (overdue by 3 days)") in text
    assert squash("01/11/2025 – Event held") in text
    assert "Venueboo" in column_texts(pdf)["Action"]
    root = PdfReader(io.BytesIO(pdf)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]


def test_the_form_offers_the_option_off_by_default(plan, chair):
    form = PdfOptionsForm(plan, chair, {"show_milestones": "on"})
    assert form.is_valid()
    assert form.to_options().show_milestones is True
    assert (
        PdfOptionsForm(plan, chair, {}).is_valid()
        and not PdfOptionsForm(plan, chair, {}).fields["show_milestones"].initial
    )


def test_a_sensitive_actions_milestones_are_withheld_with_its_text(plan, action):
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    f.MilestoneFactory(action=action, text="Covert visit booked")
    html = build_html(load_plan_data(plan, SHOWN))
    assert "Covert visit booked" not in html
    assert "OFFICIAL-SENSITIVE: text withheld" in html


def test_hostile_milestone_text_is_escaped_and_fetches_nothing(plan, action, listener, monkeypatch):  # noqa: F811
    port = listener.getsockname()[1]
    f.MilestoneFactory(action=action, text=f'<img src="http://127.0.0.1:{port}/m"> <b>bold</b>')
    html = build_html(load_plan_data(plan, SHOWN))
    assert "&lt;img src=" in html and "<b>bold</b>" not in html
    fetchers = []

    def recording():
        fetchers.append(StaticOnlyFetcher())
        return fetchers[-1]

    monkeypatch.setattr(render_module, "StaticOnlyFetcher", recording)
    render_plan(plan, SHOWN)
    assert fetchers[0].refused == []
    assert not connected(listener)


def _count(plan, options, django_assert_max_num_queries, limit=50):
    with django_assert_max_num_queries(limit) as queries:
        load_plan_data(plan_queryset().get(pk=plan.pk), options)
    return len(queries)


def test_milestones_cost_no_query_without_the_option_and_one_with_it(
    plan, action, issue, team, django_assert_max_num_queries
):
    without = _count(plan, PdfOptions(), django_assert_max_num_queries)
    f.MilestoneFactory(action=action)
    assert _count(plan, PdfOptions(), django_assert_max_num_queries) == without
    shown = _count(plan, SHOWN, django_assert_max_num_queries)
    assert shown == without + 1
    for _ in range(10):
        f.MilestoneFactory(action=f.ActionFactory(issue=issue, owner_teams=[team]))
    assert _count(plan, SHOWN, django_assert_max_num_queries) == shown
