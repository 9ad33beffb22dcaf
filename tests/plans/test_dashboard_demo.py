"""The demo: the chair's live dashboard and measure charts, the county user's county view."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from actions.models import Action, PerformanceMeasure
from partners.models import User
from plans.models import ActionPlan

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def demo(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        yield


def _current_plan(slug_start):
    return ActionPlan.objects.current().filter(partnership__slug=slug_start).order_by("-start_year").first()


def test_demo_chair_sees_a_live_dashboard(demo, client_for):
    plan = _current_plan("exampleshire")
    response = client_for(User.objects.get(username="chair")).get(reverse("plans:dashboard", args=[plan.slug]))
    assert response.status_code == 200
    assert response.context["total"] == Action.objects.in_plan(plan).count() > 0
    assert any(sum(n for _, n in cells) for _, cells in response.context["over_time"])


def test_demo_measures_have_a_year_of_values_and_a_chart(demo, client_for):
    client = client_for(User.objects.get(username="chair"))
    measure = PerformanceMeasure.objects.get(name="Rate of all crime")
    response = client.get(reverse("actions:measure_detail", args=[measure.pk]))
    assert len(response.context["values"]) == 12
    assert 'role="img"' in response.content.decode()
    assert response.context["direction"] is not None


def test_demo_county_user_sees_both_partnerships(demo, client_for):
    response = client_for(User.objects.get(username="county")).get(reverse("plans:county"))
    names = {row["partnership"].slug for row in response.context["rows"]}
    assert {"exampleshire", "sampleton"} <= names
