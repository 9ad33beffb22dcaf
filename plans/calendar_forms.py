"""Forms of the statutory calendar: a duty, marking it done, this year's standard duties."""

import re

from django import forms
from django.core.validators import URLValidator
from django.utils import timezone

from partners.fields import DateField
from partners.voice import Form

from .calendar_models import StatutoryDuty
from .calendar_services import owner_choices

# Evidence that looks like an address must be a web address: no javascript:, file: or mailto:.
_LOOKS_LIKE_ADDRESS = re.compile(r"^([a-z][a-z0-9+.-]*:|www\.)\S*$", re.IGNORECASE)
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


class OwnerField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return str(user)


class DutyForm(Form):
    kind = forms.ChoiceField(label="Kind of duty", choices=StatutoryDuty.Kind.choices)
    title = forms.CharField(max_length=200, help_text="For example, “Strategic assessment 2026-27”.")
    due_date = DateField(label="Due date")
    owner = OwnerField(
        queryset=None,
        required=False,
        empty_label="No owner yet",
        help_text="A member of the partnership. They are reminded before the due date and may mark it done.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(partnership)


class DutyDoneForm(Form):
    done_on = DateField(label="Date it was done")
    evidence = forms.CharField(
        max_length=500,
        required=False,
        help_text="What shows it was done: for example, the web address of the committee's minutes.",
    )

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError("The date it was done must be today or in the past")
        return done_on

    def clean_evidence(self):
        evidence = self.cleaned_data["evidence"].strip()
        if _LOOKS_LIKE_ADDRESS.match(evidence):
            candidate = "https://" + evidence if evidence.lower().startswith("www.") else evidence
            try:
                _WEB_ADDRESS(candidate)
            except forms.ValidationError:
                raise forms.ValidationError(
                    "Evidence that is a link must be a web address starting with https:// or http://"
                ) from None
            return candidate
        return evidence


class DefaultDutiesForm(Form):
    year = forms.IntegerField(
        label="Plan year starting in April of",
        min_value=1998,
        max_value=2100,
        help_text="The duties of the plan year from 1 April of this year to 31 March of the next.",
    )
