"""Writing the plan's actions: new action, move, reorder, close, reopen, delete."""

import pytest
from django.urls import reverse

from actions import authoring
from actions.models import Action, Rag, Status
from plans.models import ActionPlan
from tests import factories as f


def new_url(plan, issue=None):
    url = reverse("actions:action_new", args=[plan.slug])
    return f"{url}?issue={issue.pk}" if issue else url


@pytest.fixture
def other_issue(plan):
    return f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=2, title="Reduce reoffending"), title="Youth")


def new_action(issue, team, **extra):
    return {
        "issue": issue.pk if issue else "",
        "text": "Hold a knife crime week of action",
        "owner_teams": [team.pk],
        "owner_role": "DI Macbeth",
        "target_date": "31/3/2027",
        **extra,
    }


def archive(plan):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()


# New action


def test_admin_sees_the_form_with_the_issue_chosen(client_for, admin, plan, issue, team):
    response = client_for(admin).get(new_url(plan, issue))
    assert response.status_code == 200
    assert f'<option value="{issue.pk}" selected>' in response.text
    assert team.name in response.text


def test_admin_adds_an_action_with_two_owners_and_a_first_update(client_for, admin, plan, issue, team, police):
    data = new_action(issue, team, owner_organisations=[police.pk], first_update="Venues booked", rag=Rag.GREEN)
    response = client_for(admin).post(new_url(plan), data)
    action = Action.objects.get(text="Hold a knife crime week of action")
    assert response.status_code == 302 and response.url == action.get_absolute_url()
    assert (action.status, action.rag, str(action.target_date), action.owner_role) == (
        Status.OPEN,
        Rag.GREEN,
        "2027-03-31",
        "DI Macbeth",
    )
    assert action.owner_names() == [team.name, police.name, "DI Macbeth"]
    assert action.updates.get().text == "Venues booked"
    assert action.history.first().history_user == admin


def test_a_new_action_goes_last_in_its_issue(admin, issue, action, team):
    added = authoring.action_create(issue=issue, author=admin, text="Later", owner_teams=[team])
    assert added.order > action.order


def test_a_new_action_without_an_update_has_none(client_for, admin, plan, issue, team):
    assert client_for(admin).post(new_url(plan), new_action(issue, team)).status_code == 302
    action = Action.objects.get(text="Hold a knife crime week of action")
    assert not action.updates.exists() and action.rag == Rag.NOT_RATED


def test_chair_adds_actions_only_when_the_partnership_allows(client_for, chair, partnership, plan, issue, team):
    client = client_for(chair)
    assert client.post(new_url(plan), new_action(issue, team)).status_code == 403
    partnership.chairs_may_author = True
    partnership.save()
    assert client.post(new_url(plan), new_action(issue, team)).status_code == 302
    assert Action.objects.filter(text="Hold a knife crime week of action").count() == 1


def test_officer_may_not_add_an_action(client_for, officer, plan, issue, team):
    assert client_for(officer).post(new_url(plan), new_action(issue, team)).status_code == 403
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


def test_outsider_gets_404(client_for, outsider, plan, issue, team):
    assert client_for(outsider).get(new_url(plan, issue)).status_code == 404


def test_nothing_is_added_to_an_archived_plan(client_for, admin, plan, issue, team):
    archive(plan)
    assert client_for(admin).post(new_url(plan), new_action(issue, team)).status_code == 403
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": ""}, "Enter the action"),
        ({"issue": ""}, "Choose an issue"),
        ({"owner_teams": [], "owner_role": ""}, "Select at least one owning team, organisation or group"),
        ({"target_date": "31/2/2027"}, "Target date must be a real date"),
        ({"rag": Rag.RED}, "Enter the first update, or leave the RAG rating unselected"),
    ],
)
def test_bad_input_shows_the_error_summary(client_for, admin, plan, issue, team, change, message):
    data = new_action(issue, team) | change
    response = client_for(admin).post(new_url(plan), data)
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


def test_another_plans_issue_is_refused(client_for, admin, plan, issue, team, partnership):
    elsewhere = f.IssueFactory(
        priority=f.PriorityFactory(plan=f.PlanFactory(partnership=partnership, start_year=2030, end_year=2031))
    )
    response = client_for(admin).post(new_url(plan), new_action(elsewhere, team))
    assert response.status_code == 400 and "Choose an issue from the list" in response.text
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


def test_a_tampered_issue_in_the_address_is_ignored(client_for, admin, plan, issue):
    response = client_for(admin).get(new_url(plan) + "?issue=nonsense")
    assert response.status_code == 200 and "Add an action" in response.text


def test_another_partnerships_team_and_an_ended_partner_are_refused(
    client_for, admin, plan, issue, team, other_partnership, police
):
    foreign = f.TeamFactory(partnership=other_partnership, name="Otherton team")
    response = client_for(admin).post(new_url(plan), new_action(issue, team, owner_teams=[foreign.pk]))
    assert response.status_code == 400 and "There is a problem" in response.text
    police.memberships.update(ended_on="2021-06-26")
    response = client_for(admin).post(new_url(plan), new_action(issue, team, owner_organisations=[police.pk]))
    assert response.status_code == 400 and "There is a problem" in response.text
    assert police.name not in client_for(admin).get(new_url(plan)).text
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


def test_a_failing_first_update_leaves_nothing_saved(client_for, admin, plan, issue, team, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(authoring, "action_add_update", fail)
    client = client_for(admin)
    client.raise_request_exception = False
    response = client.post(new_url(plan), new_action(issue, team, first_update="Booked", rag=Rag.GREEN))
    assert response.status_code == 500
    assert not Action.objects.filter(text="Hold a knife crime week of action").exists()


def test_the_plan_page_links_the_form_for_the_admin_only(client_for, admin, officer, plan, issue, action):
    page = client_for(admin).get(plan.get_absolute_url())
    assert new_url(plan, issue) in page.text
    page = client_for(officer).get(plan.get_absolute_url())
    assert page.status_code == 200 and action.text in page.text
    assert reverse("actions:action_new", args=[plan.slug]) not in page.text


# Move, reorder


def move_url(action):
    return reverse("actions:move", args=[action.pk])


def test_admin_moves_an_action_to_another_priority(client_for, admin, action, other_issue):
    response = client_for(admin).post(move_url(action), {"issue": other_issue.pk})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.issue == other_issue
    assert action.history.first().history_user == admin


def test_an_action_moves_only_within_its_plan(client_for, admin, action, partnership):
    elsewhere = f.IssueFactory(
        priority=f.PriorityFactory(plan=f.PlanFactory(partnership=partnership, start_year=2030, end_year=2031))
    )
    response = client_for(admin).post(move_url(action), {"issue": elsewhere.pk})
    assert response.status_code == 400 and "Choose an issue from the list" in response.text
    action.refresh_from_db()
    assert action.issue_id != elsewhere.pk


def test_officer_may_not_move_and_outsider_gets_404(client_for, officer, outsider, action, other_issue):
    assert client_for(officer).post(move_url(action), {"issue": other_issue.pk}).status_code == 403
    assert client_for(outsider).post(move_url(action), {"issue": other_issue.pk}).status_code == 404
    assert client_for(outsider).get(reverse("actions:move", args=[987654])).status_code == 404
    action.refresh_from_db()
    assert action.issue_id != other_issue.pk


def test_nothing_moves_in_an_archived_plan(client_for, admin, plan, action, other_issue):
    archive(plan)
    assert client_for(admin).post(move_url(action), {"issue": other_issue.pk}).status_code == 403


def test_reorder_swaps_with_the_neighbour_and_numbers_the_issue_again(client_for, admin, issue, action, team):
    second = f.ActionFactory(issue=issue, owner_teams=[team], order=action.order)  # a tie, as imports leave
    client = client_for(admin)
    response = client.post(reverse("actions:reorder", args=[second.pk]), {"direction": "up"})
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert list(issue.actions.order_by("order").values_list("pk", "order")) == [(second.pk, 1), (action.pk, 2)]
    client.post(reverse("actions:reorder", args=[second.pk]), {"direction": "up"})
    assert list(issue.actions.order_by("order").values_list("pk", flat=True)) == [second.pk, action.pk]


def test_reorder_refuses_bad_directions_and_get(client_for, admin, officer, action):
    client = client_for(admin)
    url = reverse("actions:reorder", args=[action.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"direction": "sideways"}, follow=True)
    assert "Choose to move the action up or down" in response.text
    response = client.post(url, {"direction": "up"}, follow=True)
    assert "already the first of its issue" in response.text
    assert client_for(officer).post(url, {"direction": "down"}).status_code == 403


# Close, reopen


def test_admin_closes_with_a_reason_and_reopens(client_for, admin, action):
    client = client_for(admin)
    response = client.post(reverse("actions:close", args=[action.pk]), {"status": "cancelled", "reason": "Funding cut"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_reason) == (Status.CANCELLED, "Funding cut")
    response = client.post(reverse("actions:reopen", args=[action.pk]), {"reason": "Funding found"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.status_reason) == (Status.OPEN, "Funding found")
    assert [h.status for h in action.history.order_by("history_id")][-2:] == [Status.CANCELLED, Status.OPEN]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "completed", "reason": ""}, "Enter why the action is closed"),
        ({"status": "carried_forward", "reason": "x"}, "Select from the list"),
        ({"reason": "x"}, "Select how the action is closed"),
    ],
)
def test_closing_needs_a_way_and_a_reason(client_for, admin, action, data, message):
    response = client_for(admin).post(reverse("actions:close", args=[action.pk]), data)
    assert response.status_code == 400 and message in response.text
    action.refresh_from_db()
    assert action.status == Status.OPEN


def test_a_closed_action_is_not_closed_again_nor_an_open_one_reopened(client_for, admin, action):
    client = client_for(admin)
    response = client.post(reverse("actions:reopen", args=[action.pk]), {"reason": "x"})
    assert response.status_code == 400 and "Only a closed action can be reopened" in response.text
    Action.objects.filter(pk=action.pk).update(status=Status.COMPLETED)
    response = client.post(reverse("actions:close", args=[action.pk]), {"status": "cancelled", "reason": "x"})
    assert response.status_code == 400 and "already completed" in response.text


def test_officer_who_owns_it_may_not_close_it_here(client_for, officer, action):
    url = reverse("actions:close", args=[action.pk])
    assert client_for(officer).post(url, {"status": "cancelled", "reason": "x"}).status_code == 403


# Delete


def test_admin_deletes_an_action_without_updates(client_for, admin, action, issue):
    client = client_for(admin)
    url = reverse("actions:delete", args=[action.pk])
    assert "Are you sure you want to delete this action?" in client.get(url).text
    response = client.post(url)
    assert response.status_code == 302 and response.url == issue.get_absolute_url()
    assert not Action.objects.filter(pk=action.pk).exists()
    assert Action.history.filter(id=action.pk, history_type="-").exists()


def test_an_action_with_updates_is_not_deleted_and_the_page_says_close_it(client_for, admin, action):
    f.UpdateFactory(action=action)
    client = client_for(admin)
    url = reverse("actions:delete", args=[action.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Close it instead" in page.text
    assert client.post(url).status_code == 400
    assert Action.objects.filter(pk=action.pk).exists()


def test_a_deleted_update_still_keeps_the_action(admin, action):
    f.UpdateFactory(action=action, is_deleted=True)
    with pytest.raises(authoring.ValidationError):
        authoring.action_delete(action=action, editor=admin)


def test_only_the_admin_deletes(client_for, chair, partnership, action):
    partnership.chairs_may_author = True
    partnership.save()
    assert client_for(chair).post(reverse("actions:delete", args=[action.pk])).status_code == 403
    assert Action.objects.filter(pk=action.pk).exists()


def test_the_action_page_offers_the_authors_links(client_for, admin, officer, action):
    page = client_for(admin).get(action.get_absolute_url())
    assert reverse("actions:move", args=[action.pk]) in page.text
    assert reverse("actions:delete", args=[action.pk]) in page.text
    page = client_for(officer).get(action.get_absolute_url())
    assert page.status_code == 200 and action.text in page.text
    assert reverse("actions:move", args=[action.pk]) not in page.text


def test_the_edit_form_does_not_turn_an_action_into_a_proposal(client_for, admin, action):
    response = client_for(admin).post(
        reverse("actions:edit", args=[action.pk]),
        {
            "text": action.text,
            "owner_teams": [t.pk for t in action.owner_teams.all()],
            "status": "proposed",
            "version": 1,
        },
    )
    assert response.status_code == 400 and "Select a status from the list" in response.text
    action.refresh_from_db()
    assert action.status == Status.OPEN
