"""Every form speaks in the service's own voice: no "This field is required." or other Django
default message on any field of any form the apps define (found by walking the apps)."""

import copy
import inspect
import re
from types import SimpleNamespace

import django_filters
import pytest
from django.urls import reverse

from partners.voice import Form, in_our_voice, is_django_default

from .app_forms import app_form_classes, form_fields

FORMS = dict(app_form_classes())


def _messages_in_use(field):
    codes = set(field.error_messages) | {getattr(v, "code", None) for v in field.validators}
    return {code: field.error_messages[code] for code in codes if code in field.error_messages}


def test_the_apps_forms_are_found():
    assert {"plans.views.meetings.MeetingForm", "partners.forms.MembershipAddForm"} <= set(FORMS)


@pytest.mark.parametrize("name", FORMS)
def test_every_form_speaks_in_our_voice(name):
    cls = FORMS[name]
    form_class = cls._meta.form if issubclass(cls, django_filters.FilterSet) else cls
    assert issubclass(form_class, Form)


@pytest.mark.parametrize("name", FORMS)
def test_no_field_gives_a_django_default_message(name):
    form = SimpleNamespace(fields=copy.deepcopy(form_fields(FORMS[name])))
    in_our_voice(form)
    defaults = {
        f"{field_name} [{code}]: {message}"
        for field_name, field in form.fields.items()
        for code, message in _messages_in_use(field).items()
        if is_django_default(message)
    }
    assert defaults == set()


@pytest.mark.parametrize("name", FORMS)
def test_an_empty_required_field_is_asked_for_in_words(name):
    form = SimpleNamespace(fields=copy.deepcopy(form_fields(FORMS[name])))
    in_our_voice(form)
    for field in form.fields.values():
        if field.required:
            message = field.error_messages["required"]
            assert message.split(" ")[0] in {"Enter", "Choose", "Select", "Tick"}, message


def test_an_empty_meeting_form_says_what_to_enter(client_for, chair, plan):
    response = client_for(chair).post(reverse("plans:meetings", args=[plan.slug]), {})
    assert response.status_code == 400
    assert "Enter the title" in response.text
    assert "Enter the meeting date" in response.text
    assert "This field is required" not in response.text


def test_an_empty_add_partner_form_says_what_to_choose(client_for, admin, partnership):
    response = client_for(admin).post(reverse("partners:membership_add", args=[partnership.slug]), {"note": ""})
    assert "Choose the kind of partner" in response.text
    assert "Choose the sector" in response.text
    assert "This field is required" not in response.text


def test_a_number_out_of_range_is_explained_in_words(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("partners:group_add", args=[partnership.slug]), {"name": "JAG", "kind": "jag", "tier": "-1"}
    )
    assert "Tier must be 0 or more" in response.text
    assert "Ensure this value" not in response.text


@pytest.fixture
def ingredients(admin, partnership, plan, action, team, council, issue):
    """What the forms' constructors ask for, by parameter name."""
    import datetime

    from django.utils import timezone

    from actions.models import Action
    from partners.models import Invitation, Membership
    from plans.models import ActionPlan
    from tests import factories as f

    return {
        "action": action,
        "plan": plan,
        "update": f.UpdateFactory(action=action),
        "measure": f.MeasureFactory(priority=issue.priority),
        "user": admin,
        "invitation": Invitation.objects.create(
            partnership=partnership,
            email="new@example.org",
            role="officer",
            token_hash="0" * 64,
            expires_at=timezone.now() + datetime.timedelta(days=7),
        ),
        "organisation": council,
        "partnership": partnership,
        "membership": Membership.objects.get(partnership=partnership, organisation=council),
        "team": team,
        "assessment": f.AssessmentFactory(partnership=partnership),
        "targets": ActionPlan.objects.none(),
        "target": None,
        "open_actions": [],
        "carriable": Action.objects.none(),
        "owners": [],
        "priorities": [],
        "issue": issue,
    }


def _bound_empty(cls, things):
    """The form of ``cls`` bound to a POST holding none of its fields, built with the
    arguments its constructor (or its parent's, through ``**kwargs``) asks for."""
    data = {"unexpected": "x"}
    if issubclass(cls, django_filters.FilterSet):
        from actions.models import Action

        return cls(data, queryset=Action.objects.none(), user=things["user"]).form
    wanted = {
        name: things[name]
        for name, parameter in inspect.signature(cls.__init__).parameters.items()
        if parameter.default is parameter.empty
        and parameter.kind in (parameter.KEYWORD_ONLY, parameter.POSITIONAL_OR_KEYWORD)
        and name not in ("self", "data")
    }
    while True:
        try:
            return cls(data=data, **wanted)
        except TypeError as error:
            missing = re.search(r"argument: '(\w+)'", str(error))
            if missing is None or missing.group(1) in wanted:
                raise
            wanted[missing.group(1)] = things[missing.group(1)]


@pytest.mark.parametrize("name", [name for name in FORMS if name != "partners.voice.Form"])
def test_every_form_posted_empty_answers_in_our_voice(name, ingredients):
    form = _bound_empty(FORMS[name], ingredients)
    form.is_valid()
    messages = [message for errors in form.errors.values() for message in errors]
    assert [message for message in messages if is_django_default(message)] == []
