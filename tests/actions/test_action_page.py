"""The action page: who sees it, who may add updates or review comments, and bad input."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionUpdate, Marking, Rag, Status
from actions.services import action_add_update
from plans.models import ActionPlan
from tests import factories as f


def _url(action):
    return reverse("actions:detail", args=[action.pk])


def _update(**overrides):
    data = {
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "text": "Three Safer Streets events held in the town centre.",
        "rag": "green",
        "status": "",
        "status_reason": "",
        "marking": "official",
    }
    return data | overrides


# Who sees the page ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("other_officer", 200), ("chair", 200), ("admin", 200), ("outsider", 404)],
)
def test_who_may_see_the_action_page(client_for, people, action, who, status):
    assert client_for(people[who]).get(_url(action)).status_code == status


def test_anonymous_visitors_are_asked_to_sign_in(client, action):
    response = client.get(_url(action))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_tampered_action_id_is_not_found(client_for, officer, action):
    assert client_for(officer).get("/actions/999999/").status_code == 404


def test_the_owning_officer_gets_the_add_update_form(client_for, officer, action):
    response = client_for(officer).get(_url(action))
    assert "Save update" in response.text
    for label in ("Date of update", "What has happened", "RAG rating", "Status", "Protective marking"):
        assert label in response.text


def test_the_current_rating_is_preselected(client_for, officer, action):
    action.rag = Rag.AMBER
    action.save()
    response = client_for(officer).get(_url(action))
    assert 'value="amber" checked' in response.text


def test_an_officer_of_another_team_gets_no_edit_form(client_for, other_officer, action):
    response = client_for(other_officer).get(_url(action))
    assert response.status_code == 200
    assert "Deliver Safer Street events" in response.text
    assert "Save update" not in response.text
    assert "Change the action" not in response.text


def test_the_chair_gets_a_review_form_not_an_update_form(client_for, chair, action):
    response = client_for(chair).get(_url(action))
    assert "Save review comment" in response.text
    assert "Save update" not in response.text


def test_breadcrumbs_lead_to_plan_priority_and_issue(client_for, officer, action):
    response = client_for(officer).get(_url(action))
    assert f'href="/plans/{action.plan.slug}/#priority-1"' in response.text
    assert f'href="/plans/{action.plan.slug}/#issue-{action.issue.pk}"' in response.text


# Adding updates ------------------------------------------------------------------------------


def test_the_owning_officer_adds_an_update_changing_amber_to_green(client_for, officer, action):
    action.rag = Rag.AMBER
    action.save()
    response = client_for(officer).post(_url(action), _update(), follow=True)
    action.refresh_from_db()
    assert action.rag == Rag.GREEN
    assert "Your update has been saved" in response.text
    assert "changed from Amber" in response.text


def test_an_update_is_saved_with_its_author_date_and_marking(client_for, officer, action):
    day = timezone.localdate() - datetime.timedelta(days=3)
    client_for(officer).post(_url(action), _update(date=day.strftime("%d/%m/%Y"), marking="official_sensitive"))
    update = action.updates.get()
    assert (update.author, update.date, update.marking) == (officer, day, Marking.OFFICIAL_SENSITIVE)


def test_an_update_can_complete_the_action(client_for, officer, action):
    client_for(officer).post(_url(action), _update(status="completed", rag="blue"))
    action.refresh_from_db()
    assert action.status == Status.COMPLETED


def test_discharging_an_action_needs_a_reason(client_for, officer, action):
    response = client_for(officer).post(_url(action), _update(status="discharged"))
    assert response.status_code == 400
    assert "Enter why the action is discharged from the plan" in response.text
    assert not action.updates.exists()


def test_discharging_with_a_reason_records_it(client_for, officer, action):
    client_for(officer).post(_url(action), _update(status="discharged", status_reason="Now business as usual"))
    action.refresh_from_db()
    assert (action.status, action.status_reason) == (Status.DISCHARGED, "Now business as usual")


def test_an_admin_adds_an_update_to_any_action(client_for, admin, action):
    assert client_for(admin).post(_url(action), _update()).status_code == 302
    assert action.updates.count() == 1


def test_an_officer_of_another_team_cannot_add_an_update(client_for, other_officer, action):
    assert client_for(other_officer).post(_url(action), _update()).status_code == 403
    assert not action.updates.exists()


def test_an_outsider_cannot_add_an_update(client_for, outsider, action):
    assert client_for(outsider).post(_url(action), _update()).status_code == 404


def test_the_chair_adds_a_review_comment_without_changing_the_rating(client_for, chair, action):
    client_for(chair).post(_url(action), _update(text="Please give figures next time.", rag="red"))
    update = action.updates.get()
    action.refresh_from_db()
    assert update.is_review
    assert action.rag == Rag.NOT_RATED


def test_an_officer_whose_organisation_owns_the_action_may_update_it(client_for, other_officer, issue, police):
    owned_by_org = f.ActionFactory(issue=issue, owner_organisations=[police])
    assert client_for(other_officer).post(_url(owned_by_org), _update()).status_code == 302


def test_two_updates_at_the_same_moment_both_succeed(client_for, officer, admin, action):
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(admin)
    first.post(_url(action), _update(text="First", rag="amber"))
    second.post(_url(action), _update(text="Second", rag="green"))
    assert action.updates.count() == 2
    assert action.updates.get(text="Second").previous_rag == Rag.AMBER


# Jointly owned actions -----------------------------------------------------------------------


def test_the_other_side_of_a_joint_action_sees_and_updates_it(client_for, other_side_officer, joint_action):
    client = client_for(other_side_officer)
    assert client.get(_url(joint_action)).status_code == 200
    assert client.post(_url(joint_action), _update()).status_code == 302


def test_the_other_side_sees_nothing_else_of_the_partnership(client_for, other_side_officer, joint_action, action):
    client = client_for(other_side_officer)
    assert client.get(_url(action)).status_code == 404
    assert client.get(reverse("plans:detail", args=[action.plan.slug])).status_code == 404


def test_the_other_side_gets_no_link_to_a_plan_it_cannot_see(client_for, other_side_officer, joint_action):
    response = client_for(other_side_officer).get(_url(joint_action))
    assert response.status_code == 200
    assert joint_action.text in response.text
    assert f'href="/plans/{joint_action.plan.slug}/"' not in response.text


# OFFICIAL-SENSITIVE --------------------------------------------------------------------------


@pytest.fixture
def sensitive(action, officer):
    return action_add_update(
        action=action, author=officer, text="Named suspect in operation", marking=Marking.OFFICIAL_SENSITIVE
    )


@pytest.mark.parametrize(
    ("who", "sees"), [("officer", True), ("chair", True), ("admin", True), ("other_officer", False)]
)
def test_sensitive_updates_are_shown_only_to_owners_chair_and_admins(client_for, people, sensitive, action, who, sees):
    response = client_for(people[who]).get(_url(action))
    assert response.status_code == 200
    assert "Deliver Safer Street events" in response.text
    assert ("Named suspect in operation" in response.text) is sees
    assert "OFFICIAL-SENSITIVE" in response.text


def test_an_officer_whose_organisation_owns_the_action_sees_that_a_restricted_update_exists(
    client_for, other_officer, issue, police, officer
):
    owned = f.ActionFactory(issue=issue, owner_organisations=[police])
    action_add_update(action=owned, author=officer, text="Secret detail", marking=Marking.OFFICIAL_SENSITIVE)
    response = client_for(other_officer).get(_url(owned))
    assert response.status_code == 200
    assert owned.text in response.text
    assert "Secret detail" not in response.text
    assert "restricted" in response.text


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Enter what has happened"),
        ({"text": "   "}, "Enter what has happened"),
        ({"text": "x" * 10_001}, "What has happened must be 10,000 characters or fewer"),
        ({"date": ""}, "Enter the date of the update"),
        ({"date": "31/02/2026"}, "Date of update must be a real date"),
        ({"rag": "purple"}, "Select a RAG rating from the list"),
        ({"status": "deleted"}, "Select a status from the list"),
        ({"marking": "secret"}, "Select a protective marking"),
    ],
)
def test_bad_input_is_explained_in_the_error_summary_and_nothing_is_saved(
    client_for, officer, action, overrides, message
):
    response = client_for(officer).post(_url(action), _update(**overrides))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert message in response.text
    assert not action.updates.exists()


def test_a_future_date_is_refused(client_for, officer, action):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(officer).post(_url(action), _update(date=tomorrow.strftime("%d/%m/%Y")))
    assert "Date of update must be today or in the past" in response.text
    assert not action.updates.exists()


def test_what_was_typed_is_kept_when_the_form_is_refused(client_for, officer, action):
    response = client_for(officer).post(_url(action), _update(rag="purple", text="Keep this text"))
    assert "Keep this text" in response.text


def test_script_in_the_text_is_shown_escaped(client_for, officer, action):
    client_for(officer).post(_url(action), _update(text='<script>alert("x")</script><b>bold</b>'))
    response = client_for(officer).get(_url(action))
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert" in response.text
    assert "&lt;b&gt;bold" in response.text


def test_a_form_posted_without_csrf_token_is_refused(officer, action):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(_url(action), _update())
    assert response.status_code == 403
    assert "nothing was saved" in response.text
    assert not action.updates.exists()


def test_an_update_to_an_archived_plan_is_refused_with_a_clear_error(client_for, officer, action, plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    response = client_for(officer).post(_url(action), _update())
    assert response.status_code == 400
    assert "is archived" in response.text
    assert "govuk-error-summary" in response.text
    assert not action.updates.exists()


def test_an_archived_plan_shows_no_update_form(client_for, officer, action, plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    response = client_for(officer).get(_url(action))
    assert response.status_code == 200
    assert "Deliver Safer Street events" in response.text
    assert "Save update" not in response.text


def test_an_update_to_a_completed_action_is_refused_with_a_clear_error(client_for, officer, action):
    action.status = Status.COMPLETED
    action.save()
    response = client_for(officer).post(_url(action), _update())
    assert response.status_code == 400
    assert "This action is completed" in response.text
    assert not action.updates.exists()


def test_a_read_only_user_posting_to_an_archived_plan_is_forbidden(client_for, other_officer, action, plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    assert client_for(other_officer).post(_url(action), _update()).status_code == 403


def test_the_timeline_is_newest_first_with_the_rating_at_the_time(client_for, officer, action):
    today = timezone.localdate()
    action_add_update(action=action, author=officer, text="Older note", rag=Rag.RED, date=today - datetime.timedelta(9))
    action_add_update(action=action, author=officer, text="Newer note", rag=Rag.AMBER, date=today)
    text = client_for(officer).get(_url(action)).text
    assert text.index("Newer note") < text.index("Older note")
    assert "changed from Red" in text


def test_deleted_updates_are_not_in_the_timeline(client_for, officer, action):
    ActionUpdate.objects.create(action=action, date=timezone.localdate(), text="Gone", is_deleted=True)
    response = client_for(officer).get(_url(action))
    assert response.status_code == 200
    assert "Deliver Safer Street events" in response.text
    assert "Gone" not in response.text
