"""Every date typed into a form is within a sane range: 1 January 1990 to the end of the
year twenty years ahead. Typing slips such as 0001-01-01 or 9999-12-31 are explained."""

import importlib
import inspect

import pytest
import time_machine
from django import forms
from django.urls import reverse

from partners.fields import DateField
from partners.models import Membership
from plans.models import Meeting

FORM_MODULES = [
    "actions.forms",
    "actions.measure_forms",
    "actions.search_filters",
    "partners.forms",
    "plans.cycle_forms",
    "plans.pdf.options",
    "plans.views.meetings",
]


def _date_fields():
    for name in FORM_MODULES:
        for cls_name, cls in inspect.getmembers(importlib.import_module(name), inspect.isclass):
            fields = getattr(cls, "base_fields", None) or {}
            if hasattr(cls, "base_filters"):  # a django-filter FilterSet
                fields = {n: f.field_class(**f.extra) for n, f in cls.base_filters.items() if hasattr(f, "field_class")}
            for field_name, field in fields.items():
                if isinstance(field, forms.DateField):
                    yield f"{name}.{cls_name}.{field_name}", field


def test_every_date_field_of_every_form_checks_the_range():
    found = dict(_date_fields())
    assert {"actions.forms.ActionEditForm.target_date", "actions.search_filters.SearchFilter.date_to"} <= set(found)
    assert [name for name, field in found.items() if not isinstance(field, DateField)] == []


@pytest.mark.parametrize("typed", ["0001-01-01", "9999-12-31", "1989-12-31", "2047-01-01"])
def test_a_target_date_out_of_range_is_explained_and_nothing_saved(client_for, officer, action, team, typed):
    data = {"text": "Changed", "owner_teams": [team.pk], "status": "open", "version": action.version}
    with time_machine.travel("2026-06-01"):
        response = client_for(officer).post(reverse("actions:edit", args=[action.pk]), data | {"target_date": typed})
    assert response.status_code == 400
    assert "Target date must be between 1/1/1990 and 31/12/2046" in response.text
    action.refresh_from_db()
    assert action.text == "Deliver Safer Street events"


@pytest.mark.parametrize("typed", ["1990-01-01", "2046-12-31"])
def test_the_first_and_last_days_of_the_range_are_accepted(client_for, officer, action, team, typed):
    data = {"text": "Changed", "owner_teams": [team.pk], "status": "open", "version": action.version}
    with time_machine.travel("2026-06-01"):
        response = client_for(officer).post(reverse("actions:edit", args=[action.pk]), data | {"target_date": typed})
    assert response.status_code == 302
    action.refresh_from_db()
    assert str(action.target_date) == typed


def test_a_meeting_in_year_9999_is_refused(client_for, chair, plan):
    response = client_for(chair).post(
        reverse("plans:meetings", args=[plan.slug]), {"title": "RAG", "date": "9999-12-31"}
    )
    assert response.status_code == 400
    assert "Date must be between 1/1/1990 and" in response.text
    assert not Meeting.objects.exists()


def test_a_membership_ended_in_year_1_is_refused(client_for, admin, partnership, council):
    membership = Membership.objects.get(partnership=partnership, organisation=council)
    url = reverse("partners:membership_end", args=[partnership.slug, membership.pk])
    response = client_for(admin).post(url, {"ended_on": "0001-01-01"})
    assert response.status_code == 400
    assert "Left on must be between 1/1/1990 and" in response.text
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_a_membership_joined_in_year_9999_is_refused(client_for, admin, partnership, council):
    membership = Membership.objects.get(partnership=partnership, organisation=council)
    url = reverse("partners:membership_edit", args=[partnership.slug, membership.pk])
    before = membership.started_on
    response = client_for(admin).post(url, {"type": membership.type, "started_on": "9999-12-31", "note": ""})
    assert response.status_code == 400
    assert "Joined on must be between 1/1/1990 and" in response.text
    membership.refresh_from_db()
    assert membership.started_on == before
