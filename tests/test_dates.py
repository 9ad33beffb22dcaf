"""Every date typed into a form is within a sane range: 1 January 1990 to the end of the
year twenty years ahead. Typing slips such as 0001-01-01 or 9999-12-31 are explained."""

import datetime
import re

import pytest
import time_machine
from django import forms
from django.urls import reverse

from partners.fields import DATE_HINT, DateField, parse_date
from partners.models import Membership
from plans.models import Meeting

from .app_forms import app_date_fields

DATE_FIELDS = dict(app_date_fields())
IMPOSSIBLE = "must be a real date, like 27/3/2026"


def test_every_date_field_of_every_form_checks_the_range():
    expected = {"actions.forms.ActionEditForm.target_date", "actions.search_filters.SearchFilter.date_to"}
    assert expected <= set(DATE_FIELDS)
    assert [name for name, field in DATE_FIELDS.items() if not isinstance(field, DateField)] == []


@pytest.mark.parametrize("name", DATE_FIELDS)
def test_every_date_field_is_one_typed_box_with_the_same_hint(name):
    field = DATE_FIELDS[name]
    html = field.widget.render("d", datetime.date(2026, 12, 8))
    assert 'type="text"' in html
    assert 'value="8/12/2026"' in html
    assert field.help_text.startswith(DATE_HINT)


@pytest.mark.parametrize(
    "typed", ["8/12/2026", "08/12/2026", "8-12-2026", "8 12 2026", "08.12.2026", "8 December 2026", "8 Dec 2026",
              "08122026", "2026-12-08", " 8/12/26 "]
)  # fmt: skip
@pytest.mark.parametrize("name", DATE_FIELDS)
def test_every_date_field_reads_a_uk_date_typed_the_way_people_type_it(name, typed):
    with time_machine.travel("2026-12-09"):
        assert DATE_FIELDS[name].clean(typed) == datetime.date(2026, 12, 8)


@pytest.mark.parametrize("typed", ["31/2/2026", "30 February 2026", "32/1/2026", "1/13/2026", "31022026", "soon"])
@pytest.mark.parametrize("name", DATE_FIELDS)
def test_every_date_field_refuses_an_impossible_date_with_the_same_message(name, typed):
    with pytest.raises(forms.ValidationError) as refused:
        DATE_FIELDS[name].clean(typed)
    assert refused.value.code == "invalid"
    assert refused.value.messages[0].endswith(IMPOSSIBLE)


@pytest.mark.parametrize("name", [name for name, field in DATE_FIELDS.items() if field.required])
def test_an_empty_required_date_is_asked_for_in_words(name):
    with pytest.raises(forms.ValidationError) as refused:
        DATE_FIELDS[name].clean("")
    assert refused.value.messages[0].startswith("Enter the ")
    assert "%(" not in refused.value.messages[0]


def test_a_date_is_never_read_month_first():
    assert parse_date("08122026") == datetime.date(2026, 12, 8)
    assert parse_date("12/8/2026") == datetime.date(2026, 8, 12)


def test_no_page_template_offers_the_browsers_date_picker():
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR, "templates").rglob("*.html")
    assert [str(t) for t in templates if 'type="date"' in t.read_text()] == []


def test_a_meeting_typed_as_eight_digits_is_saved_on_the_day_first(client_for, chair, plan):
    with time_machine.travel("2026-11-01"):
        response = client_for(chair).post(
            reverse("plans:meetings", args=[plan.slug]), {"title": "RAG", "date": "08122026"}
        )
    assert response.status_code == 302
    assert Meeting.objects.get().date == datetime.date(2026, 12, 8)


def test_an_impossible_meeting_date_is_refused_with_the_same_message(client_for, chair, plan):
    url = reverse("plans:meetings", args=[plan.slug])
    response = client_for(chair).post(url, {"title": "RAG", "date": "31/2/2026"})
    assert response.status_code == 400
    assert "Date must be a real date, like 27/3/2026" in response.text
    assert not Meeting.objects.exists()


def test_a_membership_end_typed_in_words_is_saved(client_for, admin, partnership, council):
    membership = Membership.objects.get(partnership=partnership, organisation=council)
    url = reverse("partners:membership_end", args=[partnership.slug, membership.pk])
    response = client_for(admin).post(url, {"ended_on": "31 March 2024"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2024, 3, 31)


def test_the_search_filters_read_typed_dates(client_for, officer):
    response = client_for(officer).get(reverse("actions:search"), {"date_from": "1 Dec 2026", "date_to": "31/2/2026"})
    assert "Updates dated to must be a real date, like 27/3/2026" in response.text
    assert 'type="date"' not in response.text


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


def test_pages_display_dates_one_way():
    """8 December 2026 on every page (PDFs keep the document's own 08/12/2026 style)."""
    from pathlib import Path

    from django.conf import settings

    pages = [t for t in Path(settings.BASE_DIR, "templates").rglob("*.html") if "pdf" not in t.parts]
    other_formats = {
        str(t): found
        for t in pages
        if (found := [f for f in re.findall(r'\|date:"([^"]*)"', t.read_text()) if f not in DISPLAY_FORMATS])
    }
    assert other_formats == {}


DISPLAY_FORMATS = {"j F Y", "j F Y, H:i", "l j F Y", "l j F Y, H:i", "j F", "H:i"}  # "l": with the weekday
