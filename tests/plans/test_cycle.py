"""The yearly cycle: strategies, assessments, next year's plan from the emerging risks,
roll-over of open actions, archive."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions.models import Action, Rag, Status
from plans import cycle
from plans.models import ActionPlan, Priority, Risk, StrategicAssessment, Strategy
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment(partnership):
    assessment = f.AssessmentFactory(partnership=partnership, start_year=2025, end_year=2026)
    for n, text in enumerate(["Assaults without injury", "Residential burglary"]):
        f.RiskFactory(assessment=assessment, kind=Risk.Kind.TOP, text=text, order=n)
    for n, text in enumerate(["Serious youth violence", "Domestic abuse", "Drug-related harm"]):
        f.RiskFactory(assessment=assessment, kind=Risk.Kind.EMERGING, text=text, order=n)
    return assessment


def new_plan_data(assessment, **extra):
    data = {"title": "Community Safety Action Plan", "start_year": 2026, "end_year": 2027, "strategy": ""}
    for risk in assessment.emerging_risks():
        data[f"priority_{risk.pk}"] = risk.text
    data.update(extra)
    return data


# Strategies and assessments ------------------------------------------------------------


def test_admin_records_a_strategy_with_ordered_aims(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("plans:strategy_add", args=[partnership.slug]),
        {
            "title": "Partnership Plan",
            "start_year": 2023,
            "end_year": 2027,
            "aims_text": "Reduce crime\n\nKeep people safe\n",
        },
    )
    assert response.status_code == 302
    strategy = Strategy.objects.get()
    assert [aim.text for aim in strategy.aims.all()] == ["Reduce crime", "Keep people safe"]


def test_strategy_ending_before_it_starts_is_refused(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("plans:strategy_add", args=[partnership.slug]), {"title": "Plan", "start_year": 2027, "end_year": 2023}
    )
    assert response.status_code == 400
    assert not Strategy.objects.exists()


def test_admin_records_an_assessment_with_ordered_risks(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("plans:assessment_add", args=[partnership.slug]),
        {
            "title": "Strategic Assessment",
            "start_year": 2025,
            "end_year": 2026,
            "top_risks_text": "Assaults without injury\nResidential burglary",
            "emerging_risks_text": "Knife crime\nExploitation",
        },
    )
    assert response.status_code == 302
    assessment = StrategicAssessment.objects.get()
    assert [r.text for r in assessment.top_risks()] == ["Assaults without injury", "Residential burglary"]
    assert [r.text for r in assessment.emerging_risks()] == ["Knife crime", "Exploitation"]


def test_editing_an_assessment_keeps_risks_that_did_not_change(partnership, assessment):
    kept = assessment.emerging_risks()[1]
    cycle.assessment_save(
        partnership=partnership,
        assessment=assessment,
        start_year=2025,
        end_year=2026,
        top_risks_text="",
        emerging_risks_text="Domestic abuse\nHate crime",
    )
    assessment.refresh_from_db()
    assert [(r.pk == kept.pk, r.text) for r in assessment.emerging_risks()] == [
        (True, "Domestic abuse"),
        (False, "Hate crime"),
    ]


def test_second_assessment_for_the_same_year_is_refused(client_for, admin, partnership, assessment):
    response = client_for(admin).post(
        reverse("plans:assessment_add", args=[partnership.slug]),
        {"title": "Again", "start_year": 2025, "end_year": 2026, "emerging_risks_text": "x"},
    )
    assert response.status_code == 400
    assert StrategicAssessment.objects.count() == 1


def test_officer_sees_the_cycle_page_but_cannot_add(client_for, officer, partnership, assessment):
    client = client_for(officer)
    assert client.get(reverse("plans:cycle", args=[partnership.slug])).status_code == 200
    assert client.get(reverse("plans:assessment_add", args=[partnership.slug])).status_code == 403


def test_outsider_cannot_see_the_cycle_page(client_for, outsider, partnership):
    assert client_for(outsider).get(reverse("plans:cycle", args=[partnership.slug])).status_code == 404


def test_assessment_of_another_partnership_is_not_found(client_for, admin, partnership, other_partnership):
    foreign = f.AssessmentFactory(partnership=other_partnership)
    assert client_for(admin).get(reverse("plans:assessment", args=[partnership.slug, foreign.pk])).status_code == 404


def _overview_queries(client, partnership, start):
    for year in range(start, start + 3):
        plan = f.PlanFactory(partnership=partnership, start_year=year, end_year=year + 1)
        f.ActionFactory(issue=f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1)))
        f.RiskFactory(assessment=f.AssessmentFactory(partnership=partnership, start_year=year, end_year=year + 1))
        f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=partnership, start_year=year, end_year=year + 3))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("plans:cycle", args=[partnership.slug])).status_code == 200
    return len(queries)


def test_cycle_page_query_count_does_not_grow_with_years(client_for, admin, partnership):
    client = client_for(admin)
    assert _overview_queries(client, partnership, 2000) == _overview_queries(client, partnership, 2010)


# Next year's plan from the assessment ---------------------------------------------------


def test_emerging_risks_become_numbered_editable_priorities(client_for, admin, partnership, assessment):
    risks = assessment.emerging_risks()
    data = new_plan_data(assessment, **{f"priority_{risks[0].pk}": "Identify and prevent serious youth violence"})
    data[f"priority_{risks[2].pk}"] = ""  # left out
    response = client_for(admin).post(
        reverse("plans:plan_from_assessment", args=[partnership.slug, assessment.pk]), data
    )
    assert response.status_code == 302
    plan = ActionPlan.objects.get(slug="testshire-2026-2027")
    priorities = list(plan.priorities.all())
    assert [(p.number, p.title, p.source_risk) for p in priorities] == [
        (1, "Identify and prevent serious youth violence", risks[0]),
        (2, "Domestic abuse", risks[1]),
    ]
    assert plan.assessment == assessment


def test_the_form_suggests_the_next_years(client_for, admin, partnership, assessment):
    response = client_for(admin).get(reverse("plans:plan_from_assessment", args=[partnership.slug, assessment.pk]))
    assert response.context["form"].initial == {"start_year": 2026, "end_year": 2027}


def test_plan_overlapping_another_plan_is_refused(client_for, admin, partnership, assessment):
    f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027, slug="existing")
    response = client_for(admin).post(
        reverse("plans:plan_from_assessment", args=[partnership.slug, assessment.pk]), new_plan_data(assessment)
    )
    assert response.status_code == 400
    assert "overlap" in response.content.decode()
    assert ActionPlan.objects.count() == 1
    assert not Priority.objects.exists()


def test_consecutive_financial_years_do_not_overlap(partnership, assessment, plan):
    # plan is 2025-2026; 2026-2027 follows it.
    assert cycle.overlapping_plan(partnership=partnership, start_year=2026, end_year=2027) is None
    assert cycle.overlapping_plan(partnership=partnership, start_year=2025, end_year=2025) == plan


def test_assessment_without_emerging_risks_cannot_make_a_plan(client_for, admin, partnership):
    empty = f.AssessmentFactory(partnership=partnership, start_year=2025, end_year=2026)
    response = client_for(admin).post(
        reverse("plans:plan_from_assessment", args=[partnership.slug, empty.pk]), {"start_year": 2026, "end_year": 2027}
    )
    assert response.status_code == 302
    assert not ActionPlan.objects.exists()
    with pytest.raises(ValidationError, match="no emerging risks"):
        cycle.plan_create_from_assessment(assessment=empty, start_year=2026, end_year=2027, priorities=[])


def test_leaving_out_every_priority_is_refused(partnership, assessment):
    with pytest.raises(ValidationError, match="at least one"):
        cycle.plan_create_from_assessment(
            assessment=assessment,
            start_year=2026,
            end_year=2027,
            priorities=[(r, " ") for r in assessment.emerging_risks()],
        )
    assert not ActionPlan.objects.exists()


def test_chair_cannot_create_a_plan(client_for, chair, partnership, assessment):
    url = reverse("plans:plan_from_assessment", args=[partnership.slug, assessment.pk])
    assert client_for(chair).post(url, new_plan_data(assessment)).status_code == 403


# Roll-over -----------------------------------------------------------------------------------


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
    plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    f.PriorityFactory(plan=plan, number=1, title="Reduce  anti-social behaviour")
    f.PriorityFactory(plan=plan, number=2, title="Serious youth violence")
    return plan


def roll_over(client, plan, target, actions, **extra):
    data = {"target": target.pk, "actions": [a.pk for a in actions], **extra}
    return client.post(reverse("plans:roll_over", args=[plan.slug]), data)


def test_roll_over_page_preselects_every_open_action(client_for, admin, finished, next_plan):
    plan, open_actions = finished
    response = client_for(admin).get(reverse("plans:roll_over", args=[plan.slug]))
    rows = response.context["rows"]
    assert [r["action"] for r in rows] == open_actions
    assert all(r["checked"] for r in rows)


def test_roll_over_carries_the_chosen_open_actions_with_owners_rag_and_links(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    response = roll_over(client_for(admin), plan, next_plan, [red, green])
    assert response.status_code == 302
    carried = Action.objects.in_plan(next_plan).order_by("pk")
    assert [(a.text, a.rag, a.carried_from) for a in carried] == [
        ("Safer Streets patrols", Rag.RED, red),
        ("Youth diversion", Rag.GREEN, green),
    ]
    assert set(carried[0].owner_teams.all()) == set(red.owner_teams.all())
    # Same priority title (spacing aside): they land under priority 1, same issue title.
    assert {a.issue.priority.number for a in carried} == {1}
    assert {a.issue.title for a in carried} == {"Improve feelings of safety"}
    red.refresh_from_db()
    assert red.status == Status.CARRIED_FORWARD
    assert red.carried_to == carried[0]


def test_roll_over_leaves_completed_discharged_and_unchosen_actions_behind(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    roll_over(client_for(admin), plan, next_plan, [red])
    assert [a.text for a in Action.objects.in_plan(next_plan)] == ["Safer Streets patrols"]
    green.refresh_from_db()
    assert green.status == Status.OPEN
    assert Action.objects.in_plan(plan).filter(status__in=[Status.COMPLETED, Status.DISCHARGED]).count() == 2


def test_roll_over_archives_the_finished_plan_and_links_the_plans(client_for, admin, finished, next_plan):
    plan, actions = finished
    roll_over(client_for(admin), plan, next_plan, actions)
    plan.refresh_from_db()
    assert plan.is_archived and plan.archived_at is not None
    assert plan.rolled_over_to == next_plan


def test_rolling_over_twice_is_refused(client_for, admin, partnership, finished, next_plan):
    plan, actions = finished
    client = client_for(admin)
    roll_over(client, plan, next_plan, actions)
    later = f.PlanFactory(partnership=partnership, start_year=2027, end_year=2028)
    with pytest.raises(ValidationError, match="already been rolled over"):
        cycle.plan_roll_over(plan=plan, target=later, actions=[])
    response = client.get(reverse("plans:roll_over", args=[plan.slug]))
    assert response.status_code == 302
    assert Action.objects.in_plan(later).count() == 0


def test_a_plan_cannot_receive_two_roll_overs(partnership, finished, next_plan):
    plan, actions = finished
    cycle.plan_roll_over(plan=plan, target=next_plan, actions=actions)
    earlier = f.PlanFactory(partnership=partnership, start_year=2024, end_year=2025)
    with pytest.raises(ValidationError, match="Choose a later plan"):
        cycle.plan_roll_over(plan=earlier, target=next_plan, actions=[])


def test_roll_over_with_a_tampered_action_is_refused_and_changes_nothing(
    client_for, admin, finished, next_plan, other_partnership
):
    plan, (red, green) = finished
    stranger = f.ActionFactory(
        issue=f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership)))
    )
    response = roll_over(client_for(admin), plan, next_plan, [red, stranger])
    assert response.status_code == 400
    assert Action.objects.in_plan(next_plan).count() == 0
    red.refresh_from_db()
    plan.refresh_from_db()
    assert red.status == Status.OPEN and not plan.is_archived


def test_roll_over_of_a_completed_action_is_refused(partnership, finished, next_plan):
    plan, _ = finished
    done = Action.objects.in_plan(plan).get(text="Done already")
    with pytest.raises(ValidationError, match="Only open actions"):
        cycle.plan_roll_over(plan=plan, target=next_plan, actions=[done])


def test_actions_without_a_matching_priority_go_to_a_carried_forward_priority(partnership, finished):
    plan, actions = finished
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    f.PriorityFactory(plan=target, number=1, title="Something new")
    cycle.plan_roll_over(plan=plan, target=target, actions=actions)
    assert [p.title for p in target.priorities.all()] == ["Something new", "Carried forward from 2025 - 2026"]


def test_admin_may_place_a_carried_action_under_another_priority(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    violence = next_plan.priorities.get(number=2)
    roll_over(client_for(admin), plan, next_plan, [red], **{f"priority_{red.pk}": violence.pk})
    assert Action.objects.in_plan(next_plan).get().issue.priority == violence


def test_a_priority_of_another_partnerships_plan_is_refused_and_changes_nothing(
    client_for, admin, finished, next_plan, other_partnership
):
    plan, (red, green) = finished
    theirs = f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership), number=1)
    response = roll_over(client_for(admin), plan, next_plan, [red], **{f"priority_{red.pk}": theirs.pk})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert Action.objects.in_plan(next_plan).count() == 0
    plan.refresh_from_db()
    assert not plan.is_archived


def test_roll_over_without_a_target_says_to_choose_one(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    response = client_for(admin).post(reverse("plans:roll_over", args=[plan.slug]), {"actions": [red.pk]})
    assert response.status_code == 400
    assert "Choose the plan to carry the actions into." in response.content.decode()
    assert [r["checked"] for r in response.context["rows"]] == [True, False]


def test_officer_cannot_roll_over(client_for, officer, finished, next_plan):
    plan, actions = finished
    assert roll_over(client_for(officer), plan, next_plan, actions).status_code == 403


def test_outsider_cannot_roll_over(client_for, outsider, finished, next_plan):
    plan, actions = finished
    assert roll_over(client_for(outsider), plan, next_plan, actions).status_code == 404


# Archive -------------------------------------------------------------------------------------


def test_admin_archives_a_plan_and_it_becomes_read_only(client_for, admin, officer, plan, action):
    from actions.access import action_rights

    response = client_for(admin).post(reverse("plans:archive", args=[plan.slug]))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.is_archived
    action.refresh_from_db()
    assert not action_rights(admin, action).may_edit
    assert not action_rights(officer, action).may_edit


def test_archived_plan_is_still_viewable(client_for, officer, plan, action):
    cycle.plan_archive(plan=plan)
    assert client_for(officer).get(plan.get_absolute_url()).status_code == 200


def test_archiving_twice_is_refused(plan):
    cycle.plan_archive(plan=plan)
    with pytest.raises(ValidationError, match="already archived"):
        cycle.plan_archive(plan=plan)


def test_chair_cannot_archive(client_for, chair, plan):
    assert client_for(chair).post(reverse("plans:archive", args=[plan.slug])).status_code == 403
    plan.refresh_from_db()
    assert not plan.is_archived


def test_origin_and_carried_action_link_to_each_other(client_for, admin, finished, next_plan):
    plan, (red, green) = finished
    client = client_for(admin)
    roll_over(client, plan, next_plan, [red])
    copy = red.carried_to
    assert next_plan.full_title in client.get(red.get_absolute_url()).content.decode()
    assert plan.full_title in client.get(copy.get_absolute_url()).content.decode()


def test_archived_plan_page_says_where_its_actions_went(client_for, admin, finished, next_plan):
    plan, actions = finished
    client = client_for(admin)
    roll_over(client, plan, next_plan, actions)
    body = client.get(plan.get_absolute_url()).content.decode()
    assert "read-only" in body and next_plan.full_title in body


def test_plan_page_offers_the_admin_roll_over_and_archive(client_for, admin, officer, plan):
    assert "Roll over into next year" in client_for(admin).get(plan.get_absolute_url()).content.decode()
    assert "Roll over into next year" not in client_for(officer).get(plan.get_absolute_url()).content.decode()
