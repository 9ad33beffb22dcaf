"""The measures an action contributes to: offered from its own plan only, set on the new-action
and edit forms, shown both ways (action page, measure page) and kept in the history."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.forms import measure_choices
from actions.models import Action
from tests import factories as f


@pytest.fixture
def strategy(plan):
    plan.strategy = f.StrategyFactory(partnership=plan.partnership, start_year=2023, end_year=2027)
    plan.save()
    return plan.strategy


@pytest.fixture
def crime(priority):
    return f.MeasureFactory(priority=priority, name="Rate of all crime")


@pytest.fixture
def aim_measure(strategy):
    return f.MeasureFactory(aim=f.StrategicAimFactory(strategy=strategy), priority=None, name="Repeat victims")


@pytest.fixture
def foreign(other_partnership):
    other_plan = f.PlanFactory(partnership=other_partnership, start_year=2025, end_year=2026, slug="otherton-2025-2026")
    return f.MeasureFactory(priority=f.PriorityFactory(plan=other_plan, number=1), name="Otherton burglary")


def _edit_url(action):
    return reverse("actions:edit", args=[action.pk])


def _edit(action, team, **overrides):
    data = {
        "text": action.text,
        "owner_teams": [team.pk],
        "owner_role": "",
        "target_date": "",
        "status": action.status,
        "status_reason": "",
        "version": action.version,
    }
    return data | overrides


# The choices


def test_choices_are_the_plans_priorities_and_strategy_aims_measures_only(plan, crime, aim_measure, foreign):
    other_plans = f.MeasureFactory(
        priority=f.PriorityFactory(plan=f.PlanFactory(partnership=plan.partnership, start_year=2024, end_year=2025))
    )
    other_strategy = f.MeasureFactory(
        aim=f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=foreign.partnership)), priority=None
    )
    choices = list(measure_choices(plan))
    assert choices == [crime, aim_measure]  # the priorities' first
    assert other_plans not in choices and other_strategy not in choices


# Setting them


def test_the_owning_officer_sets_and_clears_measures_and_history_records_it(
    client_for, officer, action, team, crime, aim_measure
):
    client = client_for(officer)
    assert "Measures it contributes to" in client.get(_edit_url(action)).text
    response = client.post(_edit_url(action), _edit(action, team, measures=[crime.pk, aim_measure.pk]))
    assert response.status_code == 302
    assert set(action.measures.all()) == {crime, aim_measure}
    action.refresh_from_db()
    assert action.version == 2
    recorded = action.history.first().measures.values_list("performancemeasure_id", flat=True)
    assert set(recorded) == {crime.pk, aim_measure.pk}
    client.post(_edit_url(action), _edit(action, team, measures=[]))
    assert list(action.measures.all()) == []
    history = client.get(reverse("actions:history", args=[action.pk]))
    assert history.status_code == 200
    assert "Rate of all crime" in history.text


@pytest.mark.parametrize(("who", "status"), [("other_officer", 403), ("chair", 403), ("outsider", 404)])
def test_others_cannot_set_measures(client_for, people, action, team, crime, who, status):
    response = client_for(people[who]).post(_edit_url(action), _edit(action, team, measures=[crime.pk]))
    assert response.status_code == status
    assert not action.measures.exists()


def test_another_partnerships_measure_is_refused_on_the_edit_form(client_for, officer, action, team, crime, foreign):
    response = client_for(officer).post(_edit_url(action), _edit(action, team, measures=[crime.pk, foreign.pk]))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "Select measures of this plan from the list" in response.text
    assert not action.measures.exists()
    action.refresh_from_db()
    assert action.version == 1


def test_a_measure_change_alone_is_a_change(client_for, officer, action, team, crime):
    response = client_for(officer).post(_edit_url(action), _edit(action, team, measures=[crime.pk]), follow=True)
    assert "The action has been changed." in response.text


def test_a_plan_without_measures_does_not_ask_and_keeps_what_is_set(client_for, officer, action, team, foreign):
    action.measures.add(foreign)  # as the Django admin could
    response = client_for(officer).get(_edit_url(action))
    assert response.status_code == 200
    assert "Owning teams" in response.text
    assert "Measures it contributes to" not in response.text
    assert client_for(officer).post(_edit_url(action), _edit(action, team, text="Changed")).status_code == 302
    assert list(action.measures.all()) == [foreign]


def test_an_officer_names_measures_on_a_proposal(client_for, officer, plan, issue, team, action, crime):
    url = reverse("actions:action_propose", args=[plan.slug])
    data = {"issue": issue.pk, "text": "A proposed action", "owner_teams": [team.pk], "measures": [crime.pk]}
    assert client_for(officer).post(url, data).status_code == 302
    assert list(Action.objects.get(text="A proposed action").measures.all()) == [crime]


def _new(plan, issue, team, **extra):
    data = {"issue": issue.pk, "text": "Hold a week of action", "owner_teams": [team.pk], **extra}
    return reverse("actions:action_new", args=[plan.slug]), data


def test_the_admin_sets_measures_on_a_new_action(client_for, admin, plan, issue, team, crime, aim_measure):
    url, data = _new(plan, issue, team, measures=[aim_measure.pk])
    assert "Repeat victims (strategic aim)" in client_for(admin).get(url).text
    assert client_for(admin).post(url, data).status_code == 302
    action = Action.objects.get(text="Hold a week of action")
    assert list(action.measures.all()) == [aim_measure]
    assert list(action.history.first().measures.values_list("performancemeasure_id", flat=True)) == [aim_measure.pk]


def test_a_tampered_measure_on_a_new_action_is_refused(client_for, admin, plan, issue, team, crime, foreign):
    url, data = _new(plan, issue, team, measures=[foreign.pk])
    response = client_for(admin).post(url, data)
    assert response.status_code == 400
    assert "Select measures of this plan from the list" in response.text
    assert not Action.objects.filter(text="Hold a week of action").exists()


# Shown both ways


def test_the_action_page_links_its_measures(client_for, chair, action, crime, aim_measure):
    action.measures.set([crime])
    response = client_for(chair).get(action.get_absolute_url())
    assert response.status_code == 200
    assert f'href="{reverse("actions:measure_detail", args=[crime.pk])}">Rate of all crime</a>' in response.text
    assert "Repeat victims" not in response.text


def test_the_measure_page_lists_its_actions(client_for, chair, action, issue, crime):
    action.measures.set([crime])
    unlinked = f.ActionFactory(issue=issue, text="Not this one")
    response = client_for(chair).get(reverse("actions:measure_detail", args=[crime.pk]))
    assert response.status_code == 200
    assert f'href="{action.get_absolute_url()}">Deliver Safer Street events</a>' in response.text
    assert unlinked.text not in response.text


def test_the_measure_page_leaves_out_actions_of_a_draft_plan_for_an_officer(
    client_for, officer, chair, plan, team, strategy, aim_measure
):
    draft = f.PlanFactory(
        partnership=plan.partnership, strategy=strategy, start_year=2026, end_year=2027, status="draft"
    )
    hidden = f.ActionFactory(issue=f.IssueFactory(priority=f.PriorityFactory(plan=draft)), text="Draft plan's action")
    hidden.measures.add(aim_measure)
    url = reverse("actions:measure_detail", args=[aim_measure.pk])
    response = client_for(officer).get(url)
    assert response.status_code == 200
    assert "No action names this measure yet." in response.text
    assert "Draft plan&#x27;s action" in client_for(chair).get(url).text


def test_the_measure_page_says_when_no_action_names_it(client_for, chair, crime):
    response = client_for(chair).get(reverse("actions:measure_detail", args=[crime.pk]))
    assert response.status_code == 200
    assert "No action names this measure yet." in response.text


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_action_page_queries_as_much_for_six_measures_as_for_one(client_for, chair, action, priority):
    client = client_for(chair)
    measures = [f.MeasureFactory(priority=priority) for _ in range(6)]
    action.measures.set(measures[:1])
    one = _queries(client, action.get_absolute_url())
    action.measures.set(measures)
    assert _queries(client, action.get_absolute_url()) == one


def test_the_measure_page_queries_as_much_for_six_actions_as_for_one(client_for, chair, issue, team, crime):
    client = client_for(chair)
    url = reverse("actions:measure_detail", args=[crime.pk])
    f.ActionFactory(issue=issue, owner_teams=[team]).measures.add(crime)
    one = _queries(client, url)
    for _ in range(5):
        f.ActionFactory(issue=issue, owner_teams=[team]).measures.add(crime)
    assert _queries(client, url) == one
