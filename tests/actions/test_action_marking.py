"""The protective marking of an action's text: an OFFICIAL-SENSITIVE action's text is read
only by the owning teams, the partnership's chairs and admins (the rule of sensitive
updates); everyone else who sees the action sees "OFFICIAL-SENSITIVE: text withheld".
Each surface that prints an action's text, and each way to find it, is checked here.
Search runs on SQLite and, with DATABASE_URL, on PostgreSQL (its stored search vector)."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from actions.models import WITHHELD_TEXT, Action, Marking, Rag
from actions.services import action_add_update, action_edit
from plans.transfer import columns as c
from plans.transfer.export import xlsx_bytes
from plans.transfer.importer import plan_import
from plans.transfer.parse_table import parse_upload
from tests import factories as f

SECRET = "Covert patrols around the Meadowbank flats"
WORD = "Meadowbank"


@pytest.fixture
def secret(issue, team):
    """OFFICIAL-SENSITIVE, owned by ``team`` (``officer``'s); ``other_officer`` is not in it."""
    return f.ActionFactory(
        issue=issue,
        text=SECRET,
        marking=Marking.OFFICIAL_SENSITIVE,
        owner_teams=[team],
        created_at=timezone.now() - datetime.timedelta(days=400),  # stale: on the dashboard's list
    )


@pytest.fixture
def org_secret(issue, police):
    """OFFICIAL-SENSITIVE, owned by ``other_officer``'s organisation only: they see and edit
    it (it is theirs), but may not read its text."""
    return f.ActionFactory(
        issue=issue,
        text="Meadowbank organisation-level secret",
        marking=Marking.OFFICIAL_SENSITIVE,
        owner_organisations=[police],
    )


def _h1(response):
    html = response.content.decode()
    start = html.index("<h1")
    return html[html.index(">", start) + 1 : html.index("</h1>", start)].strip()


# The action page -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "chair", "admin"])
def test_owning_team_chair_and_admin_read_the_sensitive_text(request, client_for, secret, who):
    response = client_for(request.getfixturevalue(who)).get(secret.get_absolute_url())
    assert response.status_code == 200
    assert _h1(response) == SECRET
    assert "OFFICIAL-SENSITIVE" in response.content.decode()


def test_officer_of_another_team_sees_the_placeholder_and_the_marking_not_the_text(client_for, other_officer, secret):
    response = client_for(other_officer).get(secret.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert _h1(response) == WITHHELD_TEXT
    assert 'app-marking-tag">OFFICIAL-SENSITIVE' in html
    assert WORD not in html


def test_outsider_still_gets_no_page(client_for, outsider, secret):
    assert client_for(outsider).get(secret.get_absolute_url()).status_code == 404


def test_an_official_action_shows_its_text_and_marking_to_everyone_in_the_partnership(
    client_for, other_officer, action
):
    response = client_for(other_officer).get(action.get_absolute_url())
    assert _h1(response) == action.text
    assert 'app-marking-tag">OFFICIAL<' in response.content.decode()


# History: the records hold old text ------------------------------------------------------------


@pytest.fixture
def rewritten(secret, admin):
    """The sensitive text was rewritten once: the history holds both texts."""
    action_edit(
        action=secret,
        editor=admin,
        version=secret.version,
        text="Meadowbank operation moved to the Sunnyside estate",
        target_date=None,
        owner_teams=list(secret.owner_teams.all()),
        owner_organisations=[],
        owner_groups=[],
    )
    return secret


def test_history_hides_every_text_of_a_sensitive_action_from_an_officer_of_another_team(
    client_for, other_officer, rewritten
):
    response = client_for(other_officer).get(reverse("actions:history", args=[rewritten.pk]))
    html = response.content.decode()
    assert (response.status_code, _h1(response)) == (200, "History of changes")
    assert WORD not in html and "Sunnyside" not in html
    assert "(restricted: OFFICIAL-SENSITIVE)" in html


def test_history_shows_the_texts_to_the_chair(client_for, chair, rewritten):
    html = client_for(chair).get(reverse("actions:history", args=[rewritten.pk])).content.decode()
    assert SECRET in html and "Sunnyside" in html


def test_history_hides_text_written_before_the_action_was_marked_sensitive(client_for, officer, other_officer, action):
    client_for(officer).post(
        reverse("actions:edit", args=[action.pk]),
        _edit_data(action, text="Meadowbank draft wording"),
    )
    action.refresh_from_db()
    client_for(officer).post(
        reverse("actions:edit", args=[action.pk]), _edit_data(action, marking=Marking.OFFICIAL_SENSITIVE)
    )
    html = client_for(other_officer).get(reverse("actions:history", args=[action.pk])).content.decode()
    assert "Meadowbank" not in html and "Deliver Safer Street events" not in html
    assert "OFFICIAL-SENSITIVE" in html  # the change of marking itself is shown


# Lists: plan page, My actions, dashboard, measure page, proposals, bulk, directory ----------------


def test_plan_page_row_shows_the_placeholder_and_the_tag_to_an_officer_of_another_team(
    client_for, other_officer, plan, secret
):
    response = client_for(other_officer).get(plan.get_absolute_url())
    html = response.content.decode()
    assert (response.status_code, _h1(response)) == (200, plan.full_title)
    assert WITHHELD_TEXT in html and WORD not in html
    assert 'app-marking-tag">OFFICIAL-SENSITIVE' in html


def test_plan_page_shows_the_text_to_the_chair(client_for, chair, plan, secret):
    assert SECRET in client_for(chair).get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("who", "found"), [("other_officer", 0), ("chair", 1), ("officer", 1)])
def test_plan_filter_matches_a_sensitive_text_only_for_those_who_may_read_it(
    request, client_for, plan, secret, who, found
):
    response = client_for(request.getfixturevalue(who)).get(plan.get_absolute_url(), {"q": WORD})
    assert response.context["action_count"] == found


def test_my_actions_withholds_the_text_from_an_owner_through_the_organisation(
    client_for, other_officer, officer, secret, org_secret
):
    response = client_for(other_officer).get(reverse("actions:mine"))
    html = response.content.decode()
    assert (response.status_code, _h1(response)) == (200, "My actions")
    assert WITHHELD_TEXT in html and WORD not in html
    assert SECRET in client_for(officer).get(reverse("actions:mine")).content.decode()


def test_dashboard_withholds_the_text_in_its_lists(client_for, other_officer, chair, plan, secret):
    secret.target_date = datetime.date(2020, 1, 1)  # overdue as well as stale
    secret.save()
    action_add_update(action=secret, text="Patrol rota agreed", rag=Rag.RED)  # recent change and update
    url = reverse("plans:dashboard", args=[plan.slug])
    response = client_for(other_officer).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(WITHHELD_TEXT) >= 2 and WORD not in html
    assert SECRET in client_for(chair).get(url).content.decode()


def test_measure_page_lists_the_action_with_the_placeholder(client_for, other_officer, chair, priority, secret):
    measure = f.MeasureFactory(priority=priority, name="ASB incidents")
    secret.measures.add(measure)
    url = reverse("actions:measure_detail", args=[measure.pk])
    response = client_for(other_officer).get(url)
    assert (response.status_code, _h1(response)) == (200, "ASB incidents")
    assert WITHHELD_TEXT in response.content.decode() and WORD not in response.content.decode()
    assert SECRET in client_for(chair).get(url).content.decode()


def test_proposals_and_bulk_pages_show_the_text_to_the_admin(client_for, admin, plan, secret):
    client = client_for(admin)
    proposal = f.ActionFactory(
        issue=secret.issue, text="Meadowbank proposal", marking=Marking.OFFICIAL_SENSITIVE, status="proposed"
    )
    proposals = client.get(reverse("actions:proposals", args=[plan.slug])).content.decode()
    bulk = client.get(reverse("plans:bulk", args=[plan.slug]), {"action": [secret.pk]}).content.decode()
    assert proposal.text in proposals and WITHHELD_TEXT not in proposals
    assert SECRET in bulk and WITHHELD_TEXT not in bulk


def test_directory_team_page_shows_the_owned_sensitive_action_to_the_admin(
    client_for, admin, partnership, team, secret
):
    response = client_for(admin).get(reverse("partners:team_delete", args=[partnership.slug, team.pk]))
    assert response.status_code == 200
    assert SECRET in response.content.decode()


# Search: matching and showing ------------------------------------------------------------------


def _search(client, q):
    return client.get(reverse("actions:search"), {"q": q})


def test_search_by_a_word_of_the_sensitive_text_finds_nothing_for_an_officer_of_another_team(
    client_for, other_officer, secret
):
    response = _search(client_for(other_officer), WORD)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert "Covert patrols" not in response.content.decode()  # the words searched for are echoed in the form


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_search_finds_the_sensitive_action_for_those_who_may_read_it(request, client_for, secret, who):
    response = _search(client_for(request.getfixturevalue(who)), WORD)
    assert [r["action_text"] for r in response.context["results"]] == [SECRET]


def test_an_official_update_found_on_a_sensitive_action_is_shown_under_the_placeholder(
    client_for, other_officer, secret
):
    action_add_update(action=secret, text="Leaflets printed for the residents", rag=Rag.AMBER)
    response = _search(client_for(other_officer), "leaflets")
    [result] = response.context["results"]
    assert (result["kind"], result["action_text"]) == ("update", WITHHELD_TEXT)
    assert "Covert patrols" not in response.content.decode()  # the words searched for are echoed in the form


# Exports -----------------------------------------------------------------------------------------


def _actions_csv(client, plan):
    response = client.get(reverse("plans:export", args=[plan.slug, "actions.csv"]))
    assert response.status_code == 200
    return {row[c.REFERENCE]: row for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))}


def test_csv_export_withholds_the_text_from_an_officer_of_another_team(client_for, other_officer, plan, secret):
    row = _actions_csv(client_for(other_officer), plan)[secret.reference]
    assert (row[c.ACTION], row[c.MARKING]) == (WITHHELD_TEXT, "OFFICIAL-SENSITIVE")


def test_csv_export_carries_the_text_and_marking_for_the_chair(client_for, chair, plan, secret, action):
    rows = _actions_csv(client_for(chair), plan)
    assert (rows[secret.reference][c.ACTION], rows[secret.reference][c.MARKING]) == (SECRET, "OFFICIAL-SENSITIVE")
    assert rows[action.reference][c.MARKING] == "OFFICIAL"


def test_xlsx_export_withholds_the_text(client_for, other_officer, plan, secret):
    response = client_for(other_officer).get(reverse("plans:export", args=[plan.slug, "xlsx"]))
    values = [cell for row in load_workbook(io.BytesIO(response.content)).active.values for cell in row]
    assert WITHHELD_TEXT in values
    assert not any(WORD in str(value) for value in values)


def test_reimporting_a_withheld_export_leaves_the_text_alone(other_officer, plan, secret):
    content = xlsx_bytes(plan, other_officer)
    result = plan_import(parse_upload(content, "plan.xlsx"), plan=plan)
    assert (result.errors, result.has_changes) == ([], False)


def test_import_reads_the_marking_of_new_actions(plan, team, issue):
    from plans.transfer.importer import apply_import
    from tests.plans.transfer_files import action_row, xlsx

    rows = [
        action_row(**{c.ACTION: "Sensitive one", c.MARKING: "OFFICIAL-SENSITIVE"}),
        action_row(**{c.ACTION: "Plain one"}),
    ]
    result = plan_import(parse_upload(xlsx(rows), "plan.xlsx"), plan=plan)
    assert result.errors == []
    apply_import(result, user=None)
    markings = dict(Action.objects.filter(issue__priority__plan=plan).values_list("text", "marking"))
    assert markings == {"Sensitive one": Marking.OFFICIAL_SENSITIVE, "Plain one": Marking.OFFICIAL}


# The forms: new action, proposal, edit -----------------------------------------------------------


def _new_data(issue, team, **overrides):
    data = {"issue": issue.pk, "text": "Meadowbank new action", "owner_teams": [team.pk]}
    return data | overrides


def test_admin_adds_a_sensitive_action(client_for, admin, plan, issue, team):
    response = client_for(admin).post(
        reverse("actions:action_new", args=[plan.slug]), _new_data(issue, team, marking=Marking.OFFICIAL_SENSITIVE)
    )
    action = Action.objects.get(text="Meadowbank new action")
    assert response.status_code == 302
    assert action.marking == Marking.OFFICIAL_SENSITIVE
    assert action.history.first().marking == Marking.OFFICIAL_SENSITIVE


def test_a_new_action_without_a_marking_is_official(client_for, admin, plan, issue, team):
    client_for(admin).post(reverse("actions:action_new", args=[plan.slug]), _new_data(issue, team))
    assert Action.objects.get(text="Meadowbank new action").marking == Marking.OFFICIAL


def test_an_unknown_marking_is_refused_on_the_new_action_form(client_for, admin, plan, issue, team):
    response = client_for(admin).post(
        reverse("actions:action_new", args=[plan.slug]), _new_data(issue, team, marking="secret")
    )
    assert response.status_code == 400
    assert "Select a protective marking" in response.content.decode()
    assert not Action.objects.filter(text="Meadowbank new action").exists()


def test_officer_may_not_use_the_new_action_form(client_for, officer, plan, issue, team):
    response = client_for(officer).post(
        reverse("actions:action_new", args=[plan.slug]), _new_data(issue, team, marking=Marking.OFFICIAL_SENSITIVE)
    )
    assert response.status_code == 403


def test_officer_proposes_a_sensitive_action(client_for, officer, plan, issue, team, action):
    response = client_for(officer).post(
        reverse("actions:action_propose", args=[plan.slug]),
        _new_data(issue, team, marking=Marking.OFFICIAL_SENSITIVE),
    )
    assert response.status_code == 302
    proposal = Action.objects.get(text="Meadowbank new action")
    assert (proposal.status, proposal.marking) == ("proposed", Marking.OFFICIAL_SENSITIVE)


def _edit_data(action, **overrides):
    data = {
        "text": action.text,
        "marking": action.marking,
        "owner_teams": [t.pk for t in action.owner_teams.all()],
        "owner_organisations": [o.pk for o in action.owner_organisations.all()],
        "version": action.version,
    }
    return data | overrides


def test_owning_officer_marks_the_action_sensitive_on_the_edit_form(client_for, officer, action):
    url = reverse("actions:edit", args=[action.pk])
    assert 'name="marking"' in client_for(officer).get(url).content.decode()
    response = client_for(officer).post(url, _edit_data(action, marking=Marking.OFFICIAL_SENSITIVE))
    action.refresh_from_db()
    assert response.status_code == 302
    assert (action.marking, action.version) == (Marking.OFFICIAL_SENSITIVE, 2)


def test_an_unknown_marking_is_refused_on_the_edit_form(client_for, officer, action):
    response = client_for(officer).post(reverse("actions:edit", args=[action.pk]), _edit_data(action, marking="top"))
    action.refresh_from_db()
    assert response.status_code == 400
    assert "Select a protective marking" in response.content.decode()
    assert action.marking == Marking.OFFICIAL


def test_officer_of_another_team_may_not_change_the_marking(client_for, other_officer, action):
    response = client_for(other_officer).post(
        reverse("actions:edit", args=[action.pk]), _edit_data(action, marking=Marking.OFFICIAL_SENSITIVE)
    )
    action.refresh_from_db()
    assert response.status_code == 403
    assert action.marking == Marking.OFFICIAL


def test_an_owner_who_may_not_read_the_text_edits_without_seeing_or_changing_it(client_for, other_officer, org_secret):
    url = reverse("actions:edit", args=[org_secret.pk])
    page = client_for(other_officer).get(url)
    assert (page.status_code, _h1(page)) == (200, "Change the action")
    assert "organisation-level secret" not in page.content.decode()
    assert 'name="text"' not in page.content.decode()
    response = client_for(other_officer).post(
        url, _edit_data(org_secret, text="Overwritten", marking=Marking.OFFICIAL, owner_role="Sgt Vaughan")
    )
    org_secret.refresh_from_db()
    assert response.status_code == 302
    assert (org_secret.text, org_secret.marking, org_secret.owner_role) == (
        "Meadowbank organisation-level secret",
        Marking.OFFICIAL_SENSITIVE,
        "Sgt Vaughan",
    )


def test_the_admin_site_sets_the_marking(client_for, superuser, action, team):
    from tests.test_admin import _action_form, _url

    response = client_for(superuser).post(
        _url(Action, "change", action.pk), _action_form(action, team, marking=Marking.OFFICIAL_SENSITIVE)
    )
    action.refresh_from_db()
    assert response.status_code == 302
    assert action.marking == Marking.OFFICIAL_SENSITIVE


# No query per sensitive action -------------------------------------------------------------------


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["plan", "mine", "dashboard", "search"])
def test_withholding_costs_the_same_queries_for_two_and_for_eight_sensitive_actions(
    client_for, other_officer, plan, issue, police, url_name
):
    url = {
        "plan": plan.get_absolute_url(),
        "mine": reverse("actions:mine"),
        "dashboard": reverse("plans:dashboard", args=[plan.slug]),
        "search": reverse("actions:search") + "?q=Meadowbank",
    }[url_name]
    client = client_for(other_officer)

    def add(n):
        for _ in range(n):
            f.ActionFactory(
                issue=issue,
                text="Meadowbank " + SECRET,
                marking=Marking.OFFICIAL_SENSITIVE,
                owner_organisations=[police],
                created_at=timezone.now() - datetime.timedelta(days=400),
            )

    add(2)
    client.get(url)  # warm the caches (sessions, site settings)
    few = _queries(client, url)
    add(6)
    assert _queries(client, url) == few
