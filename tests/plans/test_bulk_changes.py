"""Bulk changes on the plan page: select, choose, confirm, apply; who may, bad input, tampering."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Status
from plans.models import ActionPlan
from tests import factories as f


@pytest.fixture
def people(officer, other_officer, chair, admin, outsider):
    return {"officer": officer, "other_officer": other_officer, "chair": chair, "admin": admin, "outsider": outsider}


@pytest.fixture
def twenty(issue, team):
    return [f.ActionFactory(issue=issue, text=f"Bulk action {n}", owner_teams=[team]) for n in range(20)]


def _choose_url(plan, actions=(), query=""):
    ids = "&".join(f"action={a.pk}" for a in actions)
    return reverse("plans:bulk", args=[plan.slug]) + "?" + (query or ids)


def _apply_url(plan):
    return reverse("plans:bulk_apply", args=[plan.slug])


def _close_choice(reason="Delivered in full"):
    return {"change": "close", "status": Status.COMPLETED, "status_reason": reason}


def _confirmed(actions, **choice):
    return {**choice, "selected": ",".join(f"{a.pk}:{a.version}" for a in actions)}


def _statuses(plan):
    return set(Action.objects.in_plan(plan).values_list("status", flat=True))


# The plan page


def test_an_admin_sees_a_labelled_checkbox_per_action_and_the_select_all_button(client_for, admin, plan, twenty):
    page = client_for(admin).get(reverse("plans:detail", args=[plan.slug]))

    assert page.status_code == 200
    text = page.text
    assert f'id="select-{twenty[0].pk}" name="action" type="checkbox" value="{twenty[0].pk}" form="bulk-form"' in text
    assert 'Select<span class="govuk-visually-hidden"> action: Bulk action 0</span>' in text
    assert "Change all 20 actions" in text


def test_select_all_carries_the_plan_pages_filter(client_for, admin, plan, twenty):
    page = client_for(admin).get(reverse("plans:detail", args=[plan.slug]) + "?q=action+1")

    assert '<input type="hidden" name="q" value="action 1">' in page.text
    assert "Change all 11 matching actions" in page.text


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_read_only_roles_see_no_bulk_form(client_for, people, plan, twenty, who):
    page = client_for(people[who]).get(reverse("plans:detail", args=[plan.slug]))

    assert page.status_code == 200
    assert "Bulk action 0" in page.text
    assert "bulk-form" not in page.text


def test_an_archived_plan_offers_no_bulk_change(client_for, admin, plan, twenty):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()

    page = client_for(admin).get(reverse("plans:detail", args=[plan.slug]))

    assert page.status_code == 200
    assert "Bulk action 0" in page.text
    assert "bulk-form" not in page.text


# Who may


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 403), ("other_officer", 403), ("chair", 403), ("outsider", 404), ("admin", 200)],
)
def test_who_may_choose_a_bulk_change(client_for, people, plan, twenty, who, status):
    assert client_for(people[who]).get(_choose_url(plan, twenty)).status_code == status


@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("chair", 403), ("outsider", 404)])
def test_who_may_not_apply_a_bulk_change(client_for, people, plan, twenty, who, status):
    response = client_for(people[who]).post(_apply_url(plan), _confirmed(twenty, **_close_choice()))

    assert response.status_code == status
    assert _statuses(plan) == {Status.OPEN}


def test_a_superuser_may_apply(client_for, superuser, plan, twenty):
    response = client_for(superuser).post(_apply_url(plan), _confirmed(twenty, **_close_choice()))

    assert response.status_code == 302
    assert _statuses(plan) == {Status.COMPLETED}


def test_applying_takes_only_post(client_for, admin, plan, twenty):
    assert client_for(admin).get(_apply_url(plan)).status_code == 405


def test_an_unknown_plan_is_not_found(client_for, admin, twenty):
    assert client_for(admin).get("/plans/no-such-plan/bulk/?action=1").status_code == 404


# Choosing and confirming


def test_the_selection_page_names_the_selected_actions_and_changes_nothing(client_for, admin, plan, twenty):
    page = client_for(admin).get(_choose_url(plan, twenty[:3]))

    assert page.status_code == 200
    assert "Change 3 actions" in page.text
    assert "Bulk action 2" in page.text
    assert "Bulk action 3" not in page.text


def test_all_matching_takes_the_filter_not_ids(client_for, admin, plan, twenty, other_team, issue):
    f.ActionFactory(issue=issue, text="Someone else's", owner_teams=[other_team])

    page = client_for(admin).get(_choose_url(plan, query=f"all=1&owner=team-{other_team.pk}"))

    assert page.status_code == 200
    assert "Change 1 action" in page.text
    assert "Someone else&#x27;s" in page.text


def test_a_valid_choice_shows_each_action_before_and_after_and_changes_nothing(client_for, admin, plan, twenty, team):
    page = client_for(admin).post(_choose_url(plan, twenty[:2]), _close_choice())

    assert page.status_code == 200
    assert "Check the changes to 2 actions" in page.text
    assert '<td class="govuk-table__cell">Open</td>' in page.text
    assert "Completed: Delivered in full" in page.text
    assert f'name="selected" value="{twenty[0].pk}:1,{twenty[1].pk}:1"' in page.text
    assert "Confirm and change 2 actions" in page.text
    assert _statuses(plan) == {Status.OPEN}


def test_user_text_is_escaped_on_the_confirmation_page(client_for, admin, plan, issue, team):
    action = f.ActionFactory(issue=issue, text="<script>alert(1)</script>", owner_teams=[team])

    page = client_for(admin).post(_choose_url(plan, [action]), _close_choice("<b>done</b>"))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "Completed: &lt;b&gt;done&lt;/b&gt;" in page.text
    assert "<script>alert(1)" not in page.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select what to change"),
        ({"change": "explode"}, "Select what to change"),
        ({"change": "close", "status": Status.COMPLETED}, "Enter why the actions are closed"),
        ({"change": "close", "status": "carried_forward", "status_reason": "x"}, "Select how the actions are closed"),
        ({"change": "owners", "owner_mode": "replace"}, "Select at least one team, organisation or governance group"),
        ({"change": "owners", "owner_teams": ["999999"]}, "from the list"),
        ({"change": "issue"}, "Select the issue to move the actions to"),
        ({"change": "issue", "issue": "999999"}, "Select an issue of this plan"),
        ({"change": "target_date", "target_date": "31/2/2027"}, "Target date must be a real date"),
        ({"change": "target_date"}, "Enter the new target date"),
        ({"change": "target_date", "target_date": "31/3/9999"}, "Target date must be between 1/1/1990 and"),
    ],
)
def test_bad_choices_are_named_in_the_error_summary(client_for, admin, plan, twenty, data, message):
    page = client_for(admin).post(_choose_url(plan, twenty[:2]), data)

    assert page.status_code == 400
    assert "There is a problem" in page.text
    assert message in page.text
    assert _statuses(plan) == {Status.OPEN}


def test_an_issue_of_another_plan_cannot_be_chosen(client_for, admin, plan, twenty, partnership):
    elsewhere = f.IssueFactory(priority__plan=f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027))

    page = client_for(admin).post(_choose_url(plan, twenty[:2]), {"change": "issue", "issue": elsewhere.pk})

    assert page.status_code == 400
    assert "Select an issue of this plan" in page.text


def test_another_partnerships_team_is_not_an_owner_choice(client_for, admin, plan, twenty, other_partnership):
    theirs = f.TeamFactory(partnership=other_partnership, name="Otherton SNT")

    page = client_for(admin).post(
        _choose_url(plan, twenty[:2]), {"change": "owners", "owner_mode": "add", "owner_teams": [theirs.pk]}
    )

    assert page.status_code == 400
    assert "from the list" in page.text
    assert "Otherton SNT" not in page.text


@pytest.mark.parametrize("query", ["", "action=abc", "action=999999"])
def test_an_empty_or_tampered_selection_goes_back_to_the_plan_with_a_message(client_for, admin, plan, twenty, query):
    client = client_for(admin)
    response = client.get(reverse("plans:bulk", args=[plan.slug]) + "?" + query)

    assert response.status_code == 302
    page = client.get(response.url)
    assert "Select the actions to change" in page.text or "not in this plan" in page.text


def test_an_action_of_another_partnership_in_the_selection_is_refused(
    client_for, admin, plan, twenty, other_partnership
):
    stranger = f.ActionFactory(issue__priority__plan__partnership=other_partnership)
    client = client_for(admin)

    response = client.get(_choose_url(plan, [twenty[0], stranger]))

    assert response.status_code == 302
    assert "not in this plan. Nothing was changed." in client.get(response.url).text


# Applying


def test_bulk_close_of_twenty_actions_reports_what_it_did(client_for, admin, plan, twenty):
    client = client_for(admin)
    response = client.post(_apply_url(plan), _confirmed(twenty, **_close_choice()))

    assert response.status_code == 302
    assert _statuses(plan) == {Status.COMPLETED}
    page = client.get(response.url)
    assert "govuk-notification-banner--success" in page.text
    assert "20 actions closed" in page.text


def test_bulk_reassign_of_twenty_actions_reports_what_it_did(client_for, admin, plan, twenty, other_team):
    client = client_for(admin)
    data = {"change": "owners", "owner_mode": "replace", "owner_teams": [other_team.pk]}

    response = client.post(_apply_url(plan), _confirmed(twenty, **data))

    assert "20 actions reassigned" in client.get(response.url).text
    owners = set(Action.owner_teams.through.objects.filter(action__in=twenty).values_list("team_id", flat=True))
    assert owners == {other_team.pk}
    assert all(a.history.first().history_user == admin for a in twenty)


def test_an_action_changed_since_the_confirmation_is_shown_again_and_nothing_changes(client_for, admin, plan, twenty):
    data = _confirmed(twenty, **_close_choice())
    Action.objects.filter(pk=twenty[3].pk).update(version=5, text="Bulk action 3, reworded")

    page = client_for(admin).post(_apply_url(plan), data)

    assert page.status_code == 409
    assert "changed since you checked them" in page.text
    assert "Bulk action 3, reworded" in page.text
    assert f"{twenty[3].pk}:5," in page.text
    assert _statuses(plan) == {Status.OPEN}


def test_a_tampered_confirmation_changes_nothing(client_for, admin, plan, twenty, other_partnership):
    stranger = f.ActionFactory(issue__priority__plan__partnership=other_partnership)

    page = client_for(admin).post(_apply_url(plan), _confirmed([*twenty, stranger], **_close_choice()))

    assert page.status_code == 409
    assert "1 of the selected actions is not in this plan" in page.text
    assert _statuses(plan) == {Status.OPEN}
    stranger.refresh_from_db()
    assert stranger.status == Status.OPEN


@pytest.mark.parametrize("selected", ["", ",", "abc", "1:x", "1:2,x"])
def test_a_broken_confirmation_changes_nothing(client_for, admin, plan, twenty, selected):
    client = client_for(admin)

    response = client.post(_apply_url(plan), {**_close_choice(), "selected": selected})

    assert response.status_code == 302
    assert "Nothing was changed" in client.get(response.url).text
    assert _statuses(plan) == {Status.OPEN}


def test_a_confirmation_without_its_choice_changes_nothing(client_for, admin, plan, twenty):
    client = client_for(admin)

    response = client.post(_apply_url(plan), _confirmed(twenty, change="close"))

    assert response.status_code == 302
    assert "The confirmation was not complete" in client.get(response.url).text
    assert _statuses(plan) == {Status.OPEN}


def test_an_archived_plan_refuses_a_bulk_change(client_for, admin, plan, twenty):
    data = _confirmed(twenty, **_close_choice())
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    client = client_for(admin)

    assert client.get(_choose_url(plan, twenty)).status_code == 302
    response = client.post(_apply_url(plan), data)

    assert response.status_code == 302
    assert "archived: its actions can no longer be changed" in client.get(response.url).text
    assert _statuses(plan) == {Status.OPEN}


# Query counts


@pytest.mark.parametrize("step", ["choose", "confirm", "apply"])
def test_queries_do_not_grow_with_the_number_of_actions(client_for, admin, plan, issue, team, other_team, step):
    client = client_for(admin)
    data = {"change": "owners", "owner_mode": "add", "owner_teams": [other_team.pk]}

    def queries(count):
        actions = [f.ActionFactory(issue=issue, owner_teams=[team]) for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            if step == "choose":
                response = client.get(_choose_url(plan, actions))
            elif step == "confirm":
                response = client.post(_choose_url(plan, actions), data)
            else:
                response = client.post(_apply_url(plan), _confirmed(actions, **data))
        assert response.status_code in (200, 302)
        return len(captured)

    assert queries(5) == queries(40)


def test_the_plan_page_with_its_checkboxes_keeps_a_flat_query_count(client_for, admin, plan, issue, team):
    client = client_for(admin)

    def queries(count):
        for _ in range(count):
            f.ActionFactory(issue=issue, owner_teams=[team])
        with CaptureQueriesContext(connection) as captured:
            page = client.get(reverse("plans:detail", args=[plan.slug]))
        assert 'form="bulk-form"' in page.text
        return len(captured)

    assert queries(5) == queries(35)


def test_the_actions_history_page_shows_the_bulk_reassignment(client_for, admin, plan, twenty, team, other_team):
    client = client_for(admin)
    data = {"change": "owners", "owner_mode": "replace", "owner_teams": [other_team.pk]}
    client.post(_apply_url(plan), _confirmed(twenty, **data))

    page = client.get(reverse("actions:history", args=[twenty[0].pk]))

    assert page.status_code == 200
    (event,) = [event for event in page.context["events"] if event["who"] == admin]
    assert event["changes"] == [{"field": "Owning teams", "before": team.name, "after": other_team.name}]


def test_a_confirmation_larger_than_djangos_field_limit_goes_through(client_for, admin, plan, twenty, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10  # stands for the 1,000 of a very large plan

    response = client_for(admin).post(_apply_url(plan), _confirmed(twenty, **_close_choice()))

    assert response.status_code == 302
    assert _statuses(plan) == {Status.COMPLETED}
