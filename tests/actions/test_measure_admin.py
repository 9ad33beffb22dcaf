"""Partnership admins define, edit and remove performance measures from a plan's measure list."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from actions.measure_services import MeasureHasValues, measure_remove
from actions.models import PerformanceMeasure
from tests import factories as f

FORM = {
    "name": "Rate of all crime",
    "description": "Police recorded crime",
    "unit": "crimes per 1,000 people",
    "better": "lower",
    "period": "month",
    "target": "60",
    "baseline": "70.5",
}


@pytest.fixture
def strategy(plan):
    strategy = f.StrategyFactory(partnership=plan.partnership, start_year=2023, end_year=2027)
    plan.strategy = strategy
    plan.save()
    return strategy


@pytest.fixture
def aim(strategy):
    return f.StrategicAimFactory(strategy=strategy, text="Fewer people feel unsafe")


@pytest.fixture
def measure(priority):
    return f.MeasureFactory(priority=priority, name="ASB incidents", unit="incidents", target=Decimal("100"))


@pytest.fixture
def other_plan(other_partnership):
    return f.PlanFactory(partnership=other_partnership, start_year=2025, end_year=2026, slug="otherton-2025-2026")


def _add(client, plan, **data):
    return client.post(reverse("actions:measure_create", args=[plan.slug]), {**FORM, **data})


def _edit(client, plan, measure, **data):
    return client.post(reverse("actions:measure_edit", args=[plan.slug, measure.pk]), {**FORM, **data})


def _remove(client, plan, measure):
    return client.post(reverse("actions:measure_remove", args=[plan.slug, measure.pk]))


# Adding


def test_admin_adds_a_measure_on_a_priority(plan, priority, admin, client_for):
    response = _add(client_for(admin), plan, priority=priority.pk)
    assert response.status_code == 302 and response["Location"] == reverse("actions:measure_list", args=[plan.slug])
    measure = PerformanceMeasure.objects.get()
    assert (measure.priority, measure.name, measure.target, measure.baseline) == (
        priority,
        "Rate of all crime",
        Decimal("60"),
        Decimal("70.5"),
    )


def test_admin_adds_a_quarterly_measure_on_a_strategic_aim(plan, aim, admin, client_for):
    assert _add(client_for(admin), plan, aim=aim.pk, period="quarter", better="higher", target="").status_code == 302
    measure = PerformanceMeasure.objects.get()
    assert (measure.aim, measure.period, measure.better, measure.target) == (aim, "quarter", "higher", None)


def test_a_new_measure_is_listed_after_the_others(plan, priority, measure, admin, client_for):
    _add(client_for(admin), plan, priority=priority.pk)
    assert [m.name for m in PerformanceMeasure.objects.all()] == ["ASB incidents", "Rate of all crime"]


def test_superuser_may_add_a_measure(plan, priority, superuser, client_for):
    assert _add(client_for(superuser), plan, priority=priority.pk).status_code == 302


def test_add_page_offers_the_plans_priorities_and_aims(plan, priority, aim, admin, client_for):
    html = client_for(admin).get(reverse("actions:measure_create", args=[plan.slug])).content.decode()
    assert "1. Reduce anti-social behaviour" in html and "Fewer people feel unsafe" in html


@pytest.mark.parametrize("person", ["chair", "officer"])
def test_chairs_and_officers_may_not_add_measures(person, plan, priority, client_for, request):
    client = client_for(request.getfixturevalue(person))
    assert client.get(reverse("actions:measure_create", args=[plan.slug])).status_code == 403
    assert _add(client, plan, priority=priority.pk).status_code == 403
    assert not PerformanceMeasure.objects.exists()


def test_outsider_gets_404_on_the_add_page(plan, priority, outsider, client_for):
    assert _add(client_for(outsider), plan, priority=priority.pk).status_code == 404


def test_list_offers_add_edit_and_remove_only_to_admins(plan, measure, admin, chair, client_for):
    url = reverse("actions:measure_list", args=[plan.slug])
    assert "Add a measure" in client_for(admin).get(url).content.decode()
    html = client_for(chair).get(url).content.decode()
    assert "Add a measure" not in html and "/edit/" not in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "Enter the measure&#x27;s name"),
        ({"target": "sixty"}, "Enter the target as a number, like 12.5"),
        ({"baseline": "1,2"}, "Enter the baseline as a number, like 12.5"),
        ({"better": "sideways"}, "Choose which way is better"),
    ],
)
def test_bad_input_is_shown_in_the_error_summary(data, message, plan, priority, admin, client_for):
    response = _add(client_for(admin), plan, priority=priority.pk, **data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and message in html
    assert not PerformanceMeasure.objects.exists()


def test_a_measure_on_neither_a_priority_nor_an_aim_is_refused(plan, admin, client_for):
    response = _add(client_for(admin), plan)
    assert response.status_code == 400
    assert "Choose the priority or the strategic aim the measure is on" in response.content.decode()


def test_a_measure_on_both_a_priority_and_an_aim_is_refused(plan, priority, aim, admin, client_for):
    response = _add(client_for(admin), plan, priority=priority.pk, aim=aim.pk)
    assert response.status_code == 400
    assert "Choose a priority or a strategic aim, not both" in response.content.decode()


def test_a_priority_of_another_partnership_is_refused(plan, other_plan, admin, client_for):
    foreign = f.PriorityFactory(plan=other_plan, number=1)
    response = _add(client_for(admin), plan, priority=foreign.pk)
    assert response.status_code == 400
    assert "Choose one of this plan&#x27;s priorities" in response.content.decode()
    assert not PerformanceMeasure.objects.exists()


def test_an_aim_of_another_partnership_is_refused(plan, other_partnership, admin, client_for):
    foreign = f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=other_partnership))
    response = _add(client_for(admin), plan, aim=foreign.pk)
    assert response.status_code == 400
    assert "Choose one of the strategic aims listed" in response.content.decode()


def test_an_id_that_is_not_a_number_is_refused(plan, admin, client_for):
    assert _add(client_for(admin), plan, priority="1 OR 1=1").status_code == 400


# Editing


def test_admin_edits_a_measure(plan, measure, admin, client_for):
    response = _edit(client_for(admin), plan, measure, name="ASB reports", better="neither", target="")
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.name, measure.better, measure.target, measure.baseline) == (
        "ASB reports",
        "neither",
        None,
        Decimal("70.5"),
    )


def test_edit_page_shows_the_current_definition(plan, measure, admin, client_for):
    html = client_for(admin).get(reverse("actions:measure_edit", args=[plan.slug, measure.pk])).content.decode()
    assert 'value="ASB incidents"' in html and 'value="100.000"' in html


@pytest.mark.parametrize("person", ["chair", "officer"])
def test_chairs_and_officers_may_not_edit_measures(person, plan, measure, client_for, request):
    client = client_for(request.getfixturevalue(person))
    assert client.get(reverse("actions:measure_edit", args=[plan.slug, measure.pk])).status_code == 403
    assert _edit(client, plan, measure, name="Changed").status_code == 403
    measure.refresh_from_db()
    assert measure.name == "ASB incidents"


def test_outsider_gets_404_on_the_edit_page(plan, measure, outsider, client_for):
    assert _edit(client_for(outsider), plan, measure).status_code == 404


def test_a_measure_of_another_partnership_cannot_be_edited_through_ones_own_plan(plan, other_plan, admin, client_for):
    foreign = f.MeasureFactory(priority=f.PriorityFactory(plan=other_plan, number=1), name="Theirs")
    assert _edit(client_for(admin), plan, foreign).status_code == 404
    foreign.refresh_from_db()
    assert foreign.name == "Theirs"


def test_editing_with_a_non_numeric_baseline_is_refused(plan, measure, admin, client_for):
    response = _edit(client_for(admin), plan, measure, baseline="about 70")
    assert response.status_code == 400
    assert "Enter the baseline as a number" in response.content.decode()


def test_the_period_of_a_measure_with_values_cannot_change(plan, measure, admin, client_for):
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 5, 1))
    response = _edit(client_for(admin), plan, measure, period="quarter")
    assert response.status_code == 400
    assert "cannot change how often values are entered" in response.content.decode()


def test_the_period_of_a_measure_without_values_may_change(plan, measure, admin, client_for):
    assert _edit(client_for(admin), plan, measure, period="quarter").status_code == 302


# Removing


def test_admin_removes_a_measure_without_values(plan, measure, admin, client_for):
    client = client_for(admin)
    page = client.get(reverse("actions:measure_remove", args=[plan.slug, measure.pk])).content.decode()
    assert "Remove measure" in page
    assert _remove(client, plan, measure).status_code == 302
    assert not PerformanceMeasure.objects.exists()


def test_a_measure_with_values_is_not_removed(plan, measure, admin, client_for):
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 5, 1))
    client = client_for(admin)
    page = client.get(reverse("actions:measure_remove", args=[plan.slug, measure.pk])).content.decode()
    assert "has 1 value and cannot be removed" in page and "Remove measure" not in page
    response = client.post(reverse("actions:measure_remove", args=[plan.slug, measure.pk]), follow=True)
    assert "values are the partnership&#x27;s history" in response.content.decode()
    assert PerformanceMeasure.objects.filter(pk=measure.pk).exists()


def test_the_removal_service_refuses_a_measure_with_values(measure):
    f.MeasureValueFactory(measure=measure)
    with pytest.raises(MeasureHasValues):
        measure_remove(measure=measure)


@pytest.mark.parametrize("person", ["chair", "officer"])
def test_chairs_and_officers_may_not_remove_measures(person, plan, measure, client_for, request):
    assert _remove(client_for(request.getfixturevalue(person)), plan, measure).status_code == 403
    assert PerformanceMeasure.objects.filter(pk=measure.pk).exists()


def test_outsider_gets_404_when_removing(plan, measure, outsider, client_for):
    assert _remove(client_for(outsider), plan, measure).status_code == 404


def test_a_measure_of_another_partnership_cannot_be_removed_through_ones_own_plan(plan, other_plan, admin, client_for):
    foreign = f.MeasureFactory(priority=f.PriorityFactory(plan=other_plan, number=1))
    assert _remove(client_for(admin), plan, foreign).status_code == 404
    assert PerformanceMeasure.objects.filter(pk=foreign.pk).exists()


def test_an_unknown_measure_gives_404(plan, admin, client_for):
    assert client_for(admin).get(reverse("actions:measure_edit", args=[plan.slug, 99999])).status_code == 404


def test_measure_page_links_admins_to_the_edit_page(plan, measure, admin, chair, client_for):
    url = reverse("actions:measure_detail", args=[measure.pk])
    edit = reverse("actions:measure_edit", args=[plan.slug, measure.pk])
    assert edit in client_for(admin).get(url).content.decode()
    assert edit not in client_for(chair).get(url).content.decode()
