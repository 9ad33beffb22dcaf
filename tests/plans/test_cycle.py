"""The yearly cycle: strategies, assessments, next year's plan from the emerging risks,
archive (the roll-over has its own file, test_roll_over.py)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

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


def test_plan_page_offers_the_admin_roll_over_and_archive(client_for, admin, officer, plan):
    assert "Roll over into next year" in client_for(admin).get(plan.get_absolute_url()).content.decode()
    assert "Roll over into next year" not in client_for(officer).get(plan.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    "title", ["Strategic Assessment", "Strategic Assessment 2026 - 2027", "Strategic Assessment 2026-27"]
)
def test_an_assessment_heading_says_its_years_once(client_for, admin, partnership, title):
    assessment = StrategicAssessment.objects.create(
        partnership=partnership, title=title, start_year=2026, end_year=2027
    )
    response = client_for(admin).get(reverse("plans:assessment", args=[partnership.slug, assessment.pk]))
    heading = re.search(r'<h1 class="govuk-heading-xl">(.*?)</h1>', response.text).group(1)
    assert heading in {"Strategic Assessment 2026 - 2027", "Strategic Assessment 2026-27"}
    assert response.text.count("2026 - 2027 2026 - 2027") == 0
