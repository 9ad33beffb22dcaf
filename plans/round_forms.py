"""Forms of update rounds; their ``cleaned_data`` are the keyword arguments of ``plans.rounds``."""

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone

from actions.models import Rag
from partners.fields import DateField
from partners.voice import Form

from .rounds import partnership_plans

RATING_CHOICES = [(Rag.RED, "Red"), (Rag.AMBER, "Amber"), (Rag.GREEN, "Green"), (Rag.NOT_RATED, "Not yet rated")]
DEADLINE_HOUR = datetime.time(17, 0)


class DeadlineMixin:
    """A date and a time, read as one aware ``deadline`` in the site's time zone."""

    def combine_deadline(self, data):
        day, at = data.pop("deadline_date", None), data.pop("deadline_time", None)
        if day is None:
            return data
        deadline = timezone.make_aware(datetime.datetime.combine(day, at or DEADLINE_HOUR))
        if deadline <= timezone.now():
            self.add_error("deadline_date", "The deadline must be in the future")
        data["deadline"] = deadline
        return data


class RoundOpenForm(DeadlineMixin, Form):
    plans = forms.ModelMultipleChoiceField(
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        label="Which plans",
        help_text="The open actions of these plans are asked for an update.",
    )
    priority = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Only one priority",
        help_text="Leave as 'All priorities' to ask about every priority.",
    )
    ratings = forms.MultipleChoiceField(
        choices=RATING_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Only actions rated",
        help_text="Leave all unticked to ask about every open action, whatever its rating.",
    )
    deadline_date = DateField(label="Deadline")
    deadline_time = forms.TimeField(
        label="Time on the deadline day",
        required=False,
        initial=DEADLINE_HOUR,
        help_text="For example, 17:00.",
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
    )
    reminder_days = forms.CharField(
        label="Remind this many days before the deadline",
        required=False,
        help_text="Numbers separated by commas, for example 7, 2. Owners are also asked when the round opens.",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    message = forms.CharField(
        label="Message to owners (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Sent with every reminder of this round.",
    )

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plans"].queryset = partnership_plans(plan.partnership)
        self.fields["plans"].label_from_instance = lambda p: p.full_title
        numbers = plan.priorities.order_by("number").values_list("number", "title")
        self.fields["priority"].choices = [("", "All priorities")] + [(n, f"{n}. {t[:80]}") for n, t in numbers]
        if not self.is_bound:
            self.initial.setdefault("plans", [plan.pk] if not plan.is_draft else [])
            self.initial.setdefault("reminder_days", ", ".join(str(d) for d in settings.ROUND_REMINDER_DAYS))

    def clean_reminder_days(self):
        raw = self.cleaned_data["reminder_days"]
        days = []
        for part in raw.replace(" ", "").split(","):
            if not part:
                continue
            if not part.isdigit() or not 1 <= int(part) <= 60:
                raise forms.ValidationError("Enter whole numbers of days from 1 to 60, separated by commas, like 7, 2")
            days.append(int(part))
        return days

    def clean(self):
        return self.combine_deadline(super().clean())


class RoundExtendForm(DeadlineMixin, Form):
    deadline_date = DateField(label="New deadline")
    deadline_time = forms.TimeField(
        label="Time on the deadline day",
        required=False,
        help_text="For example, 17:00.",
        widget=forms.TimeInput(attrs={"class": "govuk-input govuk-input--width-5"}, format="%H:%M"),
    )

    def clean(self):
        return self.combine_deadline(super().clean())


class NoChangeForm(Form):
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything the chair should know, for example why nothing has changed.",
    )
