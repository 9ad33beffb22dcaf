"""Milestones inside an action: the services (orders without gaps, history, archived plans)
and the pages on the action (who may change them, bad input, the target date warning)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions import milestone_services as services
from actions.models import Marking, Milestone
from plans.models import ActionPlan
from tests import factories as f

TODAY = timezone.localdate()


def _typed(day):
    return f"{day.day}/{day.month}/{day.year}"


@pytest.fixture
def three(action):
    """Three milestones of ``action``, numbered 1, 2, 3."""
    return [
        f.MilestoneFactory(action=action, text=text, order=n, due_date=TODAY + datetime.timedelta(days=10 * n))
        for n, text in enumerate(["Venue booked", "Speakers confirmed", "Event held"], start=1)
    ]


def _texts(action):
    return list(Milestone.objects.filter(action=action).order_by("order").values_list("text", "order"))


# Services --------------------------------------------------------------------------------------


def test_a_new_milestone_goes_at_the_end(action, officer, three):
    milestone = services.milestone_add(action=action, editor=officer, text="Report written", due_date=TODAY)
    assert milestone.order == 4
    assert milestone.history.first().history_user == officer


def test_deleting_a_milestone_numbers_the_rest_without_a_gap(action, officer, three):
    services.milestone_delete(milestone=three[0], editor=officer)
    assert _texts(action) == [("Speakers confirmed", 1), ("Event held", 2)]
    assert Milestone.history.filter(id=three[0].pk, history_type="-").get().history_user == officer


def test_moving_up_and_down_swaps_neighbours(action, officer, three):
    services.milestone_move(milestone=three[2], editor=officer, direction="up")
    assert _texts(action) == [("Venue booked", 1), ("Event held", 2), ("Speakers confirmed", 3)]
    services.milestone_move(milestone=three[0], editor=officer, direction="down")
    assert _texts(action) == [("Event held", 1), ("Venue booked", 2), ("Speakers confirmed", 3)]


def test_moving_mends_gaps_and_ties_of_imported_orders(action, officer):
    first = f.MilestoneFactory(action=action, text="A", order=5)
    f.MilestoneFactory(action=action, text="B", order=5)
    f.MilestoneFactory(action=action, text="C", order=9)
    services.milestone_move(milestone=first, editor=officer, direction="down")
    assert _texts(action) == [("B", 1), ("A", 2), ("C", 3)]


@pytest.mark.parametrize(("index", "direction"), [(0, "up"), (2, "down")])
def test_the_first_does_not_move_up_nor_the_last_down(three, officer, index, direction):
    with pytest.raises(services.ValidationError):
        services.milestone_move(milestone=three[index], editor=officer, direction=direction)


def test_ticking_off_and_undoing_is_recorded(three, officer):
    services.milestone_done(milestone=three[0], editor=officer, done_on=TODAY)
    three[0].refresh_from_db()
    assert three[0].done_on == TODAY
    services.milestone_undo(milestone=three[0], editor=officer)
    three[0].refresh_from_db()
    assert three[0].done_on is None
    assert [h.done_on for h in three[0].history.order_by("history_date")][-2:] == [TODAY, None]


def test_nothing_changes_in_an_archived_plan(action, officer, three):
    ActionPlan.objects.filter(pk=action.plan.pk).update(status=ActionPlan.Status.ARCHIVED)
    with pytest.raises(services.ValidationError):
        services.milestone_add(action=action, editor=officer, text="Late", due_date=TODAY)
    with pytest.raises(services.ValidationError):
        services.milestone_done(milestone=three[0], editor=officer, done_on=TODAY)


# The action page -------------------------------------------------------------------------------


def _page(client, action):
    return client.get(reverse("actions:detail", args=[action.pk]))


def test_the_action_page_lists_milestones_with_overdue_in_words(client_for, chair, action):
    f.MilestoneFactory(action=action, text="Venue booked", due_date=TODAY - datetime.timedelta(days=3))
    f.MilestoneFactory(action=action, text="Flyers printed", due_date=TODAY, done_on=TODAY)
    page = _page(client_for(chair), action).content.decode()
    assert "Venue booked" in page
    assert "Overdue by 3 days" in page
    assert "Done</strong> " + f"{TODAY.day} {TODAY:%B %Y}" in page
    assert "Add a milestone" not in page  # the chair reads them


def test_the_owning_officer_is_offered_the_milestone_buttons(client_for, officer, action, three):
    page = _page(client_for(officer), action).content.decode()
    for label in ("Add a milestone", "as done", "Move up", "Move down", "Delete"):
        assert label in page


def test_a_sensitive_actions_milestones_are_withheld_with_its_text(client_for, other_officer, action):
    action.marking = Marking.OFFICIAL_SENSITIVE
    action.save()
    f.MilestoneFactory(action=action, text="Covert visit booked")
    page = _page(client_for(other_officer), action).content.decode()
    assert 'id="milestones"' in page
    assert "Covert visit booked" not in page


def _count_page_queries(client, action):
    with CaptureQueriesContext(connection) as queries:
        assert _page(client, action).status_code == 200
    return len(queries)


def test_the_action_page_asks_one_query_for_milestones_however_many(client_for, officer, action, team):
    client = client_for(officer)
    _page(client, action)  # warm the session and caches
    none = _count_page_queries(client, action)
    f.MilestoneFactory(action=action, owner_team=team)
    one = _count_page_queries(client, action)
    for _ in range(5):
        f.MilestoneFactory(action=action, owner_team=team)
    six = _count_page_queries(client, action)
    assert none == one == six


# Adding, changing, ticking off, deleting -------------------------------------------------------


def _add_url(action):
    return reverse("actions:milestone_add", args=[action.pk])


def _add(client, action, **overrides):
    data = {"text": "Venue booked", "due_date": _typed(TODAY), "owner_team": "", "owner_role": ""}
    return client.post(_add_url(action), data | overrides)


def test_the_owning_officer_adds_a_milestone(client_for, officer, action, team):
    response = _add(client_for(officer), action, owner_team=team.pk, owner_role="Sgt Vaughan")
    assert response.status_code == 302
    milestone = action.milestones.get()
    assert (milestone.text, milestone.due_date, milestone.owner_team, milestone.owner_role) == (
        "Venue booked",
        TODAY,
        team,
        "Sgt Vaughan",
    )


@pytest.mark.parametrize(("who", "status"), [("other_officer", 403), ("chair", 403), ("outsider", 404)])
def test_others_may_not_add_milestones(client_for, people, action, who, status):
    assert _add(client_for(people[who]), action).status_code == status
    assert not action.milestones.exists()


def test_no_milestone_is_added_in_an_archived_plan(client_for, officer, action):
    ActionPlan.objects.filter(pk=action.plan.pk).update(status=ActionPlan.Status.ARCHIVED)
    assert _add(client_for(officer), action).status_code == 403


def test_an_empty_milestone_says_what_to_enter(client_for, officer, action):
    response = _add(client_for(officer), action, text="", due_date="31/2/2026")
    assert response.status_code == 400
    assert "Enter the milestone" in response.content.decode()
    assert "Due date must be a real date" in response.content.decode()


def test_a_team_of_another_partnership_is_not_offered(client_for, officer, action, other_partnership):
    elsewhere = f.TeamFactory(partnership=other_partnership)
    response = _add(client_for(officer), action, owner_team=elsewhere.pk)
    assert response.status_code == 400
    assert "Choose a team of this partnership from the list" in response.content.decode()


def test_a_due_date_after_the_target_date_asks_to_keep_it(client_for, officer, action):
    action.target_date = TODAY
    action.save()
    client = client_for(officer)
    late = _typed(TODAY + datetime.timedelta(days=7))
    response = _add(client, action, due_date=late)
    assert response.status_code == 400
    assert "Due date is after the action&#x27;s target date" in response.content.decode()
    assert "Keep this date" in response.content.decode()
    assert not action.milestones.exists()
    assert _add(client, action, due_date=late, keep_date="on").status_code == 302
    assert action.milestones.get().due_date == TODAY + datetime.timedelta(days=7)


def test_the_officer_changes_a_milestone(client_for, officer, action, three):
    url = reverse("actions:milestone_edit", args=[action.pk, three[1].pk])
    client = client_for(officer)
    assert "Speakers confirmed" in client.get(url).content.decode()
    response = client.post(url, {"text": "Speakers booked", "due_date": _typed(TODAY), "owner_team": ""})
    assert response.status_code == 302
    three[1].refresh_from_db()
    assert (three[1].text, three[1].due_date) == ("Speakers booked", TODAY)


def test_a_milestone_of_another_action_is_not_found(client_for, officer, action, issue, team):
    elsewhere = f.MilestoneFactory(action=f.ActionFactory(issue=issue, owner_teams=[team]))
    client = client_for(officer)
    for name in ("milestone_edit", "milestone_done", "milestone_delete"):
        assert client.get(reverse(f"actions:{name}", args=[action.pk, elsewhere.pk])).status_code == 404
    for name in ("milestone_undo", "milestone_move"):
        assert client.post(reverse(f"actions:{name}", args=[action.pk, elsewhere.pk])).status_code == 404


def test_marking_done_takes_a_date_not_in_the_future(client_for, officer, action, three):
    url = reverse("actions:milestone_done", args=[action.pk, three[0].pk])
    client = client_for(officer)
    tomorrow = client.post(url, {"done_on": _typed(TODAY + datetime.timedelta(days=1))})
    assert tomorrow.status_code == 400
    assert "Date done must be today or earlier" in tomorrow.content.decode()
    assert client.post(url, {"done_on": _typed(TODAY)}).status_code == 302
    three[0].refresh_from_db()
    assert three[0].done_on == TODAY


def test_undo_and_move_buttons(client_for, officer, action, three):
    client = client_for(officer)
    three[0].done_on = TODAY
    three[0].save()
    client.post(reverse("actions:milestone_undo", args=[action.pk, three[0].pk]))
    three[0].refresh_from_db()
    assert three[0].done_on is None
    client.post(reverse("actions:milestone_move", args=[action.pk, three[0].pk]), {"direction": "down"})
    assert _texts(action)[:2] == [("Speakers confirmed", 1), ("Venue booked", 2)]


def test_a_bad_direction_moves_nothing(client_for, officer, action, three):
    client = client_for(officer)
    response = client.post(reverse("actions:milestone_move", args=[action.pk, three[0].pk]), {"direction": "sideways"})
    assert response.status_code == 302
    assert _texts(action)[0] == ("Venue booked", 1)


def test_the_officer_deletes_a_milestone_after_confirming(client_for, officer, action, three):
    url = reverse("actions:milestone_delete", args=[action.pk, three[0].pk])
    client = client_for(officer)
    assert "Delete the milestone" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert _texts(action) == [("Speakers confirmed", 1), ("Event held", 2)]


@pytest.mark.parametrize("name", ["milestone_undo", "milestone_move", "milestone_delete"])
def test_the_chair_may_not_change_milestones(client_for, chair, action, three, name):
    response = client_for(chair).post(reverse(f"actions:{name}", args=[action.pk, three[0].pk]), {"direction": "up"})
    assert response.status_code == 403


# The action's target date ----------------------------------------------------------------------


def _edit(action, team, **overrides):
    data = {
        "text": action.text,
        "owner_teams": [team.pk],
        "owner_role": "",
        "target_date": _typed(TODAY),
        "version": action.version,
    }
    return data | overrides


def test_a_target_date_before_the_last_milestone_asks_to_keep_it(client_for, officer, action, team, three):
    url = reverse("actions:edit", args=[action.pk])
    client = client_for(officer)
    response = client.post(url, _edit(action, team))
    assert response.status_code == 400
    assert "Target date is earlier than the last milestone" in response.content.decode()
    assert "Keep this date" in response.content.decode()
    assert client.post(url, _edit(action, team, keep_date="on")).status_code == 302
    action.refresh_from_db()
    assert action.target_date == TODAY


def test_a_target_date_after_the_milestones_is_saved_at_once(client_for, officer, action, team, three):
    later = _typed(TODAY + datetime.timedelta(days=60))
    response = client_for(officer).post(
        reverse("actions:edit", args=[action.pk]), _edit(action, team, target_date=later)
    )
    assert response.status_code == 302
