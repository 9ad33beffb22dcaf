"""The year-end roll-over in two steps: choose (actions, where each issue's actions go),
then confirm; archiving is a separate choice; carrying twice carries nothing twice; the
carried action shows its predecessor's rating, last update and history."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, ActionUpdate, Marking, Rag, Status
from plans import cycle
from plans.models import ActionPlan, Issue, Priority
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(plan, team, other_team):
    """The 2025-2026 plan with two open actions, one completed and one discharged."""
    priority = f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")
    issue = f.IssueFactory(priority=priority, title="Improve feelings of safety")
    open_red = f.ActionFactory(issue=issue, text="Safer Streets patrols", rag=Rag.RED, owner_teams=[team, other_team])
    open_green = f.ActionFactory(issue=issue, text="Youth diversion", rag=Rag.GREEN, owner_teams=[team])
    f.ActionFactory(issue=issue, text="Done already", status=Status.COMPLETED, rag=Rag.BLUE)
    f.ActionFactory(issue=issue, text="Stop and search", status=Status.DISCHARGED)
    return plan, [open_red, open_green]


@pytest.fixture
def next_plan(partnership):
    """2026-2027, as made from the assessment: priority 1 has the same title (spacing
    aside) and the same issue; priority 2 is new."""
    plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    same = f.PriorityFactory(plan=plan, number=1, title="Reduce  anti-social behaviour")
    f.IssueFactory(priority=same, title="Improve feelings of safety ", order=0)
    f.PriorityFactory(plan=plan, number=2, title="Serious youth violence")
    return plan


def _data(target, actions, archive=False, **mapping):
    data = {"target": target.pk, "actions": [a.pk for a in actions], **mapping}
    if archive:
        data["archive"] = "on"
    return data


def choose(client, plan, target, actions, **mapping):
    return client.post(reverse("plans:roll_over", args=[plan.slug]), _data(target, actions, **mapping))


def confirm(client, plan, target, actions, archive=False, **mapping):
    return client.post(reverse("plans:roll_over_confirm", args=[plan.slug]), _data(target, actions, archive, **mapping))


def snapshot(plan):
    """Everything a roll-over could change."""
    plan.refresh_from_db()
    return (
        plan.status,
        plan.rolled_over_to_id,
        sorted(Action.objects.values_list("pk", "status", "issue_id")),
        Priority.objects.count(),
        Issue.objects.count(),
        Action.history.count(),
    )


# Step one: nothing changes ------------------------------------------------------------------


def test_choose_page_preselects_every_open_action(client_for, admin, finished, next_plan):
    plan, open_actions = finished
    response = client_for(admin).get(reverse("plans:roll_over", args=[plan.slug]))
    assert response.status_code == 200
    [group] = response.context["form"].groups()
    assert group["actions"] == [(action, True) for action in open_actions]
    assert "Done already" not in response.content.decode()


def test_choose_page_posts_the_target_plan_in_a_hidden_field(client_for, admin, finished, next_plan):
    plan, _ = finished
    body = client_for(admin).get(reverse("plans:roll_over", args=[plan.slug])).content.decode()
    assert f'name="target" value="{next_plan.pk}"' in body


def test_nothing_changes_on_step_one_or_its_confirmation_page(client_for, admin, finished, next_plan):
    plan, actions = finished
    client = client_for(admin)
    before = snapshot(plan)
    assert client.get(reverse("plans:roll_over", args=[plan.slug])).status_code == 200
    response = choose(client, plan, next_plan, actions)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Check the roll-over" in body and "2 actions will be carried forward" in body
    assert snapshot(plan) == before


def test_confirmation_page_says_what_goes_where_and_carries_the_choices_in_hidden_fields(
    client_for, admin, finished, next_plan
):
    plan, (red, green) = finished
    violence = next_plan.priorities.get(number=2)
    response = choose(client_for(admin), plan, next_plan, [red], **{f"issue_{red.issue_id}": f"p{violence.pk}"})
    [(action, place)] = response.context["preview"].placements
    assert (action, place.priority, place.issue, place.issue_title) == (red, violence, None, red.issue.title)
    body = response.content.decode()
    assert f'name="issue_{red.issue_id}" value="p{violence.pk}"' in body
    assert f'name="actions" value="{red.pk}"' in body
    assert "New issue" in body and "1 open action not chosen will stay open" in body


def test_change_the_choices_returns_to_step_one_with_them(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    data = _data(next_plan, [red], change="1")
    response = client_for(admin).post(reverse("plans:roll_over", args=[plan.slug]), data)
    assert response.status_code == 200
    [group] = response.context["form"].groups()
    assert group["actions"] == [(red, True), (green, False)]


# Confirmation: where the actions go ----------------------------------------------------------


def test_by_default_actions_go_to_the_priority_and_issue_of_the_same_title(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    response = confirm(client_for(admin), plan, next_plan, [red, green])
    assert response.status_code == 302
    same = next_plan.priorities.get(number=1).issues.get()
    carried = Action.objects.in_plan(next_plan).order_by("pk")
    assert [(a.text, a.rag, a.carried_from, a.issue) for a in carried] == [
        ("Safer Streets patrols", Rag.RED, red, same),
        ("Youth diversion", Rag.GREEN, green, same),
    ]
    assert set(carried[0].owner_teams.all()) == set(red.owner_teams.all())
    red.refresh_from_db()
    assert (red.status, red.carried_to) == (Status.CARRIED_FORWARD, carried[0])


def test_step_one_offers_the_same_title_issue_by_default(client_for, admin, finished, next_plan):
    plan, (red, _) = finished
    response = client_for(admin).get(reverse("plans:roll_over", args=[plan.slug]))
    same = next_plan.priorities.get(number=1).issues.get()
    assert response.context["form"][f"issue_{red.issue_id}"].value() == f"i{same.pk}"


def test_admin_maps_an_issue_to_another_issue(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    elsewhere = f.IssueFactory(priority=next_plan.priorities.get(number=2), title="Knife crime in schools")
    confirm(client_for(admin), plan, next_plan, [red, green], **{f"issue_{red.issue_id}": f"i{elsewhere.pk}"})
    assert set(Action.objects.in_plan(next_plan).values_list("issue", flat=True)) == {elsewhere.pk}


def test_admin_maps_an_issue_to_a_new_issue_under_a_priority(client_for, admin, finished, next_plan):
    plan, (red, _) = finished
    violence = next_plan.priorities.get(number=2)
    confirm(client_for(admin), plan, next_plan, [red], **{f"issue_{red.issue_id}": f"p{violence.pk}"})
    issue = Action.objects.in_plan(next_plan).get().issue
    assert (issue.priority, issue.title) == (violence, "Improve feelings of safety")


def test_without_a_same_title_priority_the_same_priority_and_issue_are_made(partnership, finished):
    plan, actions = finished
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    f.PriorityFactory(plan=target, number=1, title="Something new")
    cycle.plan_roll_over(plan=plan, target=target, actions=actions, mapping={})
    assert [(p.number, p.title) for p in target.priorities.all()] == [
        (1, "Something new"),
        (2, "Reduce anti-social behaviour"),
    ]
    assert [i.title for i in Issue.objects.filter(priority__plan=target)] == ["Improve feelings of safety"]


def test_rolling_over_leaves_completed_discharged_and_unchosen_actions_behind(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    confirm(client_for(admin), plan, next_plan, [red])
    assert [a.text for a in Action.objects.in_plan(next_plan)] == ["Safer Streets patrols"]
    green.refresh_from_db()
    assert green.status == Status.OPEN


# Archive: a separate choice ---------------------------------------------------------------------


def test_the_plan_is_not_archived_unless_asked(client_for, admin, finished, next_plan):
    plan, actions = finished
    confirm(client_for(admin), plan, next_plan, actions)
    plan.refresh_from_db()
    assert not plan.is_archived and plan.rolled_over_to == next_plan


def test_the_plan_is_archived_when_ticked(client_for, admin, finished, next_plan):
    plan, actions = finished
    response = confirm(client_for(admin), plan, next_plan, actions, archive=True)
    plan.refresh_from_db()
    assert plan.is_archived and plan.archived_at is not None
    assert "is now archived" in client_for(admin).get(response.url).content.decode()


def test_confirmation_warns_when_the_plan_year_has_not_ended(client_for, admin, finished, next_plan):
    plan, actions = finished  # 2025-2026 runs to 31 March 2026
    with time_machine.travel(datetime.date(2025, 12, 1)):
        early = choose(client_for(admin), plan, next_plan, actions).content.decode()
    with time_machine.travel(datetime.date(2026, 4, 2)):
        late = choose(client_for(admin), plan, next_plan, actions).content.decode()
    assert "runs until 31 March 2026" in early
    assert "Also archive" in late and "runs until" not in late


def test_archive_page_warns_when_the_plan_year_has_not_ended(client_for, admin, plan):
    with time_machine.travel(datetime.date(2025, 12, 1)):
        body = client_for(admin).get(reverse("plans:archive", args=[plan.slug])).content.decode()
    assert "Archive the plan" in body and "runs until 31 March 2026" in body


# Idempotent ----------------------------------------------------------------------------------


def test_confirming_twice_carries_nothing_twice(client_for, admin, finished, next_plan):
    plan, actions = finished
    client = client_for(admin)
    confirm(client, plan, next_plan, actions)
    response = confirm(client, plan, next_plan, actions)
    assert response.status_code == 302
    assert Action.objects.in_plan(next_plan).count() == 2
    assert "2 actions were already carried, so not carried again" in client.get(response.url).content.decode()


def test_the_confirmation_page_lists_actions_carried_before(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={})
    response = choose(client_for(admin), plan, next_plan, [red, green])
    body = response.content.decode()
    assert response.status_code == 200 and "1 action will be carried forward" in body
    assert "Already carried forward" in body and "stay open" not in body


def test_the_service_skips_and_reports_actions_carried_before(partnership, finished, next_plan):
    plan, actions = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=actions[:1], mapping={})
    result = cycle.plan_roll_over(plan=plan, target=next_plan, actions=actions, mapping={})
    assert ([a.text for a in result.carried], result.already_carried) == (["Youth diversion"], actions[:1])
    assert Action.objects.in_plan(next_plan).count() == 2


def test_actions_left_behind_may_follow_later_but_only_into_the_same_plan(partnership, finished, next_plan):
    plan, (red, green) = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={})
    later = f.PlanFactory(partnership=partnership, start_year=2027, end_year=2028)
    with pytest.raises(ValidationError, match="already been rolled over"):
        cycle.plan_roll_over(plan=plan, target=later, actions=[green], mapping={})
    plan.refresh_from_db()
    assert list(cycle.roll_over_targets(plan)) == [next_plan]


def test_a_plan_cannot_receive_roll_overs_from_two_plans(partnership, finished, next_plan):
    plan, actions = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=actions, mapping={})
    earlier = f.PlanFactory(partnership=partnership, start_year=2024, end_year=2025)
    with pytest.raises(ValidationError, match="Choose a later plan"):
        cycle.plan_roll_over(plan=earlier, target=next_plan, actions=[], mapping={})


def test_a_failure_part_way_leaves_nothing_changed(partnership, finished, next_plan, monkeypatch):
    plan, actions = finished
    before = snapshot(plan)

    def refuse(*, plan):
        raise ValidationError("Archive failed.")

    monkeypatch.setattr(cycle, "plan_archive", refuse)
    with pytest.raises(ValidationError):
        cycle.plan_roll_over(plan=plan, target=next_plan, actions=actions, mapping={}, archive=True)
    assert snapshot(plan) == before


# The carried action's history ----------------------------------------------------------------------


def test_carried_action_shows_its_predecessors_rating_last_update_and_history(
    client_for, admin, officer, finished, next_plan
):
    plan, (red, _) = finished
    f.UpdateFactory(action=red, text="First patrols", rag=Rag.AMBER, date=datetime.date(2025, 6, 1))
    f.UpdateFactory(action=red, text="Patrols <b>paused</b>", rag=Rag.RED, date=datetime.date(2026, 1, 5))
    f.UpdateFactory(action=red, text="Deleted note", date=datetime.date(2026, 2, 1), is_deleted=True)
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={})
    response = client_for(officer).get(red.carried_to.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{red.get_absolute_url()}#updates">{plan.full_title}: 2 updates</a>' in body
    assert "Patrols &lt;b&gt;paused&lt;/b&gt;" in body and "5 January 2026" in body
    assert response.context["predecessor"].action.rag == Rag.RED
    history = client_for(officer).get(red.get_absolute_url()).content.decode()
    assert "First patrols" in history and next_plan.full_title in history


def test_a_restricted_last_update_stays_restricted_on_the_carried_action(
    client_for, other_officer, finished, next_plan
):
    plan, (_, green) = finished  # owned by the officer's team, not other_officer's
    f.UpdateFactory(action=green, text="Named suspect", marking=Marking.OFFICIAL_SENSITIVE)
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=[green], mapping={})
    response = client_for(other_officer).get(green.carried_to.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "1 update" in body
    assert "A restricted (OFFICIAL-SENSITIVE) update exists" in body and "Named suspect" not in body


def test_the_predecessors_restricted_notes_follow_its_own_owners_not_the_copys(
    client_for, other_officer, other_team, finished, next_plan
):
    plan, (_, green) = finished  # owned by the officer's team only
    f.UpdateFactory(action=green, text="Named suspect", marking=Marking.OFFICIAL_SENSITIVE)
    [copy] = cycle.plan_roll_over(plan=plan, target=next_plan, actions=[green], mapping={}).carried
    copy.owner_teams.set([other_team])
    body = client_for(other_officer).get(copy.get_absolute_url()).content.decode()
    assert "Last update before carry-over" in body and "Named suspect" not in body


def test_a_predecessor_hidden_from_the_reader_is_not_shown(outsider, finished, next_plan):
    from actions.carried import predecessor_of

    plan, (red, _) = finished
    [copy] = cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={}).carried
    assert predecessor_of(copy, outsider) is None
    assert predecessor_of(red, outsider) is None


def test_an_action_not_carried_shows_no_predecessor(client_for, officer, action):
    response = client_for(officer).get(action.get_absolute_url())
    assert response.status_code == 200 and response.context["predecessor"] is None
    assert "Carried forward from" not in response.content.decode()


# Who may, bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_officer_and_chair_may_not_roll_over(request, client_for, who, finished, next_plan):
    plan, actions = finished
    client = client_for(request.getfixturevalue(who))
    before = snapshot(plan)
    assert client.get(reverse("plans:roll_over", args=[plan.slug])).status_code == 403
    assert choose(client, plan, next_plan, actions).status_code == 403
    assert confirm(client, plan, next_plan, actions, archive=True).status_code == 403
    assert snapshot(plan) == before


def test_outsider_gets_not_found(client_for, outsider, finished, next_plan):
    plan, actions = finished
    client = client_for(outsider)
    assert client.get(reverse("plans:roll_over", args=[plan.slug])).status_code == 404
    assert confirm(client, plan, next_plan, actions).status_code == 404
    assert Action.objects.in_plan(next_plan).count() == 0


def test_confirm_takes_only_post(client_for, admin, finished):
    plan, _ = finished
    assert client_for(admin).get(reverse("plans:roll_over_confirm", args=[plan.slug])).status_code == 405


def test_choosing_no_action_is_refused_with_an_error_summary(client_for, admin, finished, next_plan):
    plan, _ = finished
    response = choose(client_for(admin), plan, next_plan, [])
    assert response.status_code == 400
    body = response.content.decode()
    assert "There is a problem" in body and "Choose at least one action to carry forward." in body


def test_a_tampered_action_is_refused_and_changes_nothing(client_for, admin, finished, next_plan, other_partnership):
    plan, (red, _) = finished
    stranger = f.ActionFactory(
        issue=f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership)))
    )
    before = snapshot(plan)
    response = confirm(client_for(admin), plan, next_plan, [red, stranger])
    assert response.status_code == 400
    assert "Only open actions of this plan can be carried forward." in response.content.decode()
    assert snapshot(plan) == before


def test_a_completed_action_is_refused(client_for, admin, finished, next_plan):
    plan, _ = finished
    done = Action.objects.in_plan(plan).get(text="Done already")
    assert confirm(client_for(admin), plan, next_plan, [done]).status_code == 400
    with pytest.raises(ValidationError, match="Only open actions"):
        cycle.plan_roll_over(plan=plan, target=next_plan, actions=[done], mapping={})


def test_an_issue_of_another_plan_is_refused_and_changes_nothing(
    client_for, admin, finished, next_plan, other_partnership
):
    plan, (red, _) = finished
    theirs = f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership)))
    before = snapshot(plan)
    response = confirm(client_for(admin), plan, next_plan, [red], **{f"issue_{red.issue_id}": f"i{theirs.pk}"})
    assert response.status_code == 400
    assert "Choose a priority or an issue of the plan the actions go into." in response.content.decode()
    assert snapshot(plan) == before


def test_the_service_refuses_a_priority_of_another_plan(partnership, finished, next_plan):
    plan, (red, _) = finished
    other = f.PriorityFactory(plan=f.PlanFactory(partnership=partnership, start_year=2030, end_year=2031), number=1)
    with pytest.raises(ValidationError, match="Choose a priority or an issue"):
        cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={red.issue_id: other})


@pytest.mark.parametrize("target", ["", "abc", "999999"])
def test_a_missing_or_tampered_target_is_refused(client_for, admin, finished, next_plan, target):
    plan, actions = finished
    data = {"target": target, "actions": [a.pk for a in actions]}
    response = client_for(admin).post(reverse("plans:roll_over_confirm", args=[plan.slug]), data)
    assert response.status_code == 400
    assert "Choose the plan to carry the actions into." in response.content.decode()
    assert Action.objects.in_plan(next_plan).count() == 0


def test_an_earlier_plan_is_not_a_target(client_for, admin, partnership, finished):
    plan, actions = finished
    earlier = f.PlanFactory(partnership=partnership, start_year=2024, end_year=2025)
    assert confirm(client_for(admin), plan, earlier, actions).status_code == 400
    assert Action.objects.in_plan(earlier).count() == 0


def test_an_archived_plan_refuses_both_steps(client_for, admin, finished, next_plan):
    plan, actions = finished
    cycle.plan_archive(plan=plan)
    client = client_for(admin)
    before = snapshot(plan)
    response = client.get(reverse("plans:roll_over", args=[plan.slug]))
    assert response.status_code == 302
    assert "can no longer be rolled over" in client.get(response.url).content.decode()
    assert confirm(client, plan, next_plan, actions).status_code == 302
    assert snapshot(plan) == before


def test_no_later_plan_says_to_create_one(client_for, admin, finished):
    plan, _ = finished
    body = client_for(admin).get(reverse("plans:roll_over", args=[plan.slug])).content.decode()
    assert "There is no later plan to carry actions into" in body


def test_with_two_later_plans_the_admin_picks_one_and_sees_its_priorities(client_for, admin, partnership, finished):
    plan, (red, _) = finished
    f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    later = f.PlanFactory(partnership=partnership, start_year=2027, end_year=2028)
    wanted = f.PriorityFactory(plan=later, number=1, title="Only in the later plan")
    url = reverse("plans:roll_over", args=[plan.slug])
    response = client_for(admin).get(url, {"target": later.pk})
    assert response.context["form"].target_plan == later
    assert "Only in the later plan" in response.content.decode()
    assert f"p{wanted.pk}" in response.context["form"].choices


def _choose_page_queries(client, plan, issues):
    for n in range(issues):
        issue = f.IssueFactory(priority=plan.priorities.get(), title=f"Issue {n}")
        f.ActionFactory(issue=issue, owner_teams=[f.TeamFactory(partnership=plan.partnership)])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:roll_over", args=[plan.slug])).status_code == 200
    return len(queries)


def test_choose_page_query_count_does_not_grow_with_actions(client_for, admin, finished, next_plan):
    plan, _ = finished
    client = client_for(admin)
    assert _choose_page_queries(client, plan, 2) == _choose_page_queries(client, plan, 8)


def _confirmation_page_queries(client, plan, target, issues):
    for n in range(issues):
        issue = f.IssueFactory(priority=plan.priorities.get(), title=f"Issue {n}")
        f.ActionFactory(issue=issue, owner_teams=[f.TeamFactory(partnership=plan.partnership)])
    actions = list(Action.objects.in_plan(plan).open())
    with CaptureQueriesContext(connection) as queries:
        assert choose(client, plan, target, actions).status_code == 200
    return len(queries)


def test_confirmation_page_query_count_does_not_grow_with_actions(client_for, admin, finished, next_plan):
    plan, _ = finished
    client = client_for(admin)
    assert _confirmation_page_queries(client, plan, next_plan, 2) == _confirmation_page_queries(
        client, plan, next_plan, 8
    )


def test_the_updates_stay_with_the_original(partnership, finished, next_plan):
    plan, (red, _) = finished
    f.UpdateFactory(action=red)
    [copy] = cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={}).carried
    assert (ActionUpdate.objects.filter(action=red).count(), copy.updates.count()) == (1, 0)
    assert ActionPlan.objects.get(pk=plan.pk).rolled_over_to == next_plan


# Into a new plan --------------------------------------------------------------------------------


def test_without_a_later_plan_the_admin_makes_an_empty_one_and_rolls_into_it(client_for, admin, finished):
    plan, actions = finished
    client = client_for(admin)
    assert (
        "Create an empty plan for 2026 - 2027"
        in client.get(reverse("plans:roll_over", args=[plan.slug])).content.decode()
    )
    response = client.post(reverse("plans:roll_over_new_plan", args=[plan.slug]))
    new = ActionPlan.objects.get(slug="testshire-2026-2027")
    assert response.url == reverse("plans:roll_over", args=[plan.slug]) + f"?target={new.pk}"
    assert (new.title, new.priorities.count()) == (plan.title, 0)
    confirm(client, plan, new, actions)
    assert [(p.number, p.title) for p in new.priorities.all()] == [(1, "Reduce anti-social behaviour")]
    assert Action.objects.in_plan(new).count() == 2


def test_no_empty_plan_is_offered_or_made_when_the_next_years_are_taken(client_for, admin, finished, next_plan):
    plan, _ = finished
    client = client_for(admin)
    page = client.get(reverse("plans:roll_over", args=[plan.slug]))
    assert page.status_code == 200 and "Create an empty plan" not in page.content.decode()
    response = client.post(reverse("plans:roll_over_new_plan", args=[plan.slug]))
    assert response.status_code == 302
    assert "The years overlap" in client.get(response.url).content.decode()
    assert ActionPlan.objects.count() == 2


def test_an_archived_plan_makes_no_next_plan(client_for, admin, finished):
    plan, _ = finished
    cycle.plan_archive(plan=plan)
    assert client_for(admin).post(reverse("plans:roll_over_new_plan", args=[plan.slug])).status_code == 302
    assert ActionPlan.objects.count() == 1


@pytest.mark.parametrize("who, status", [("officer", 403), ("chair", 403), ("outsider", 404)])
def test_only_the_admin_makes_the_next_plan(request, client_for, finished, who, status):
    plan, _ = finished
    response = client_for(request.getfixturevalue(who)).post(reverse("plans:roll_over_new_plan", args=[plan.slug]))
    assert response.status_code == status
    assert ActionPlan.objects.count() == 1


def test_a_one_year_plan_is_followed_by_the_next_year(partnership):
    one = f.PlanFactory(partnership=partnership, start_year=2020, end_year=2020)
    assert cycle.next_years(one) == (2021, 2021)


def test_a_rolled_over_plan_not_yet_archived_says_where_actions_went_and_offers_more(
    client_for, admin, finished, next_plan
):
    plan, (red, _) = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=[red], mapping={})
    response = client_for(admin).get(plan.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200 and "Carry more actions" in body and next_plan.full_title in body
