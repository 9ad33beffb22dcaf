"""The real Hertsmere 2019-2020 plan: its dashboard and the 2016-2020 strategy's measures."""

import pytest
from django.urls import reverse

from actions.models import Action, PerformanceMeasure
from partners.models import Role
from tests import factories as f


@pytest.fixture
def hertsmere_chair(hertsmere_plan):
    user = f.UserFactory(username="hertsmere-chair")
    f.RoleFactory(user=user, partnership=hertsmere_plan.partnership, role=Role.Kind.CHAIR)
    return user


def test_the_seeded_plan_dashboard_counts_every_action(hertsmere_plan, hertsmere_chair, client_for):
    response = client_for(hertsmere_chair).get(reverse("plans:dashboard", args=[hertsmere_plan.slug]))
    assert response.status_code == 200
    assert response.context["total"] == Action.objects.in_plan(hertsmere_plan).count()
    months = [end for end, _ in response.context["over_time"]]
    assert (months[0].year, months[0].month, months[-1].year, months[-1].month) == (2019, 4, 2020, 3)


def test_the_strategy_measures_are_listed_without_invented_values(hertsmere_plan, hertsmere_chair, client_for):
    response = client_for(hertsmere_chair).get(reverse("actions:measure_list", args=[hertsmere_plan.slug]))
    names = [row["measure"].name for row in response.context["rows"]]
    assert "Rate of all crime" in names and "Drug related offending rate" in names
    assert all(row["latest"] is None for row in response.context["rows"])
    assert not PerformanceMeasure.objects.filter(values__isnull=False, aim__strategy__start_year=2016).exists()


def test_a_measure_with_no_values_says_so(hertsmere_plan, hertsmere_chair, client_for):
    measure = PerformanceMeasure.objects.get(name="Rate of all crime")
    html = client_for(hertsmere_chair).get(reverse("actions:measure_detail", args=[measure.pk])).content.decode()
    assert "No values yet, so there is no chart." in html
