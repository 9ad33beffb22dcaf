import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from actions.models import Marking
from actions.services import action_add_update
from plans.transfer import columns as c
from tests import factories as f


@pytest.fixture
def noted_action(action):
    action_add_update(action=action, text="Event held", rag="amber", date=datetime.date(2025, 5, 1), author_name="Jo")
    action_add_update(
        action=action,
        text="Named suspect",
        rag="green",
        date=datetime.date(2025, 6, 1),
        marking=Marking.OFFICIAL_SENSITIVE,
    )
    return action


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def _url(plan, fmt):
    return f"/plans/{plan.slug}/export/{fmt}"


def test_xlsx_export_has_an_actions_sheet_and_an_updates_sheet_with_stable_columns(
    client_for, chair, plan, noted_action
):
    workbook = _workbook(client_for(chair).get(_url(plan, "xlsx")))
    actions, updates = workbook["Actions"], workbook["Updates"]
    assert [cell.value for cell in actions[1]] == c.ACTION_COLUMNS
    assert [cell.value for cell in updates[1]] == c.UPDATE_COLUMNS
    row = dict(zip(c.ACTION_COLUMNS, [cell.value for cell in actions[2]], strict=True))
    assert (row["Reference"], row["Owners"], row["RAG"], row["Last update"]) == (
        noted_action.reference,
        "Testshire Community Safety Team",
        "Green",
        "2025-06-01",
    )


def test_chair_sees_sensitive_updates_in_the_export(client_for, chair, plan, noted_action):
    updates = _workbook(client_for(chair).get(_url(plan, "xlsx")))["Updates"]
    assert [row[5].value for row in updates.iter_rows(min_row=2)] == ["Event held", "Named suspect"]


def test_officer_of_another_team_gets_no_sensitive_text(client_for, other_officer, plan, noted_action):
    updates = _workbook(client_for(other_officer).get(_url(plan, "xlsx")))["Updates"]
    assert [row[5].value for row in updates.iter_rows(min_row=2)] == ["Event held"]
    text = client_for(other_officer).get(_url(plan, "updates.csv")).content.decode("utf-8-sig")
    assert "Named suspect" not in text


def test_formula_like_text_is_stored_as_text_in_xlsx(client_for, admin, plan, issue):
    f.ActionFactory(issue=issue, text='=HYPERLINK("http://evil","click")')
    sheet = _workbook(client_for(admin).get(_url(plan, "xlsx")))["Actions"]
    cell = sheet.cell(row=2, column=c.ACTION_COLUMNS.index("Action") + 1)
    assert (cell.data_type, cell.value) == ("s", '=HYPERLINK("http://evil","click")')


def test_formula_like_text_gets_an_apostrophe_in_csv(client_for, admin, plan, issue):
    f.ActionFactory(issue=issue, text="+44 helpline")
    text = client_for(admin).get(_url(plan, "actions.csv")).content.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["Action"] == "'+44 helpline"


def test_csv_is_utf8_with_iso_dates(client_for, admin, plan, issue):
    f.ActionFactory(issue=issue, text="Café – «safe» spaces", target_date=datetime.date(2026, 3, 31))
    response = client_for(admin).get(_url(plan, "actions.csv"))
    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["Action"], row["Target date"], response["Content-Type"]) == (
        "Café – «safe» spaces",
        "2026-03-31",
        "text/csv; charset=utf-8",
    )


def test_outsider_cannot_export(client_for, outsider, plan):
    assert client_for(outsider).get(_url(plan, "xlsx")).status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, plan):
    assert client.get(_url(plan, "xlsx")).status_code == 302


def test_unknown_format_is_not_found(client_for, admin, plan):
    assert client_for(admin).get(_url(plan, "pdfx")).status_code == 404


def _queries(client, plan):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(plan, "xlsx")).status_code == 200
    return len(queries)


def test_export_query_count_does_not_grow_with_the_plan(client_for, admin, plan, issue, team):
    client = client_for(admin)
    f.ActionFactory(issue=issue, owner_teams=[team])
    small = _queries(client, plan)
    for _ in range(15):
        a = f.ActionFactory(issue=f.IssueFactory(priority=issue.priority), owner_teams=[team])
        f.UpdateFactory(action=a)
    assert _queries(client, plan) == small
