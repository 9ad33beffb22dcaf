"""The form for entering a performance measure's value."""

import datetime

from django import forms

from partners.voice import Form

from .measures import QUARTER_NAMES, is_future_period, period_label
from .models import PerformanceMeasure

MONTHS = [(m, datetime.date(2000, m, 1).strftime("%B")) for m in range(1, 13)]


class MeasureValueForm(Form):
    month = forms.TypedChoiceField(label="Month", coerce=int)
    year = forms.IntegerField(
        label="Year",
        min_value=1998,
        max_value=2100,
        error_messages={
            "required": "Enter the year",
            "invalid": "Enter the year as a number, like 2025",
            "min_value": "Enter a year from 1998",
            "max_value": "Enter a year before 2100",
        },
    )
    value = forms.DecimalField(
        label="Value",
        max_digits=14,
        decimal_places=3,
        error_messages={
            "required": "Enter the value",
            "invalid": "Enter the value as a number, like 12.5",
            "max_digits": "Enter a value with no more than 11 digits before the decimal point",
            "max_decimal_places": "Enter a value with no more than 3 decimal places",
            "max_whole_digits": "Enter a value with no more than 11 digits before the decimal point",
        },
    )
    source = forms.CharField(label="Source", max_length=200, required=False, help_text="For example 'Police.uk'")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, measure, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.today = today
        if measure.period == PerformanceMeasure.Period.QUARTER:
            self.fields["month"].label = "Quarter"
            self.fields["month"].choices = [(m, name) for m, name in QUARTER_NAMES.items()]
        else:
            self.fields["month"].choices = MONTHS
        self.fields["month"].error_messages["required"] = "Choose the " + self.fields["month"].label.lower()
        self.fields["year"].widget.attrs.update({"inputmode": "numeric", "class": "govuk-input--width-4"})
        self.fields["value"].widget = forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"})

    def clean(self):
        cleaned = super().clean()
        month, year = cleaned.get("month"), cleaned.get("year")
        if month is None or year is None:
            return cleaned
        start = datetime.date(year, month, 1)
        label = period_label(self.measure, start)
        if is_future_period(start, today=self.today):
            self.add_error("year", f"{label} has not started yet: enter values only for periods that have begun")
        elif self.measure.values.filter(period_start=start).exists():
            self.add_error("month", f"There is already a value for {label}: each period has one value")
        cleaned["period_start"] = start
        return cleaned


NUMBER_ERRORS = {
    "invalid": "Enter the {label} as a number, like 12.5",
    "max_digits": "Enter a {label} with no more than 11 digits before the decimal point",
    "max_whole_digits": "Enter a {label} with no more than 11 digits before the decimal point",
    "max_decimal_places": "Enter a {label} with no more than 3 decimal places",
}


def _number_field(label, help_text):
    return forms.DecimalField(
        label=label.capitalize() + " (optional)",
        required=False,
        max_digits=14,
        decimal_places=3,
        help_text=help_text,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-10"}),
        error_messages={key: text.format(label=label) for key, text in NUMBER_ERRORS.items()},
    )


class AimChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, aim):
        return f"{aim.text} ({aim.strategy})"


class PriorityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, priority):
        return f"{priority.number}. {priority.title}"


class MeasureForm(Form):
    """A measure's definition. With ``plan``, a new measure: it sits on one of the plan's
    priorities or on one of the aims shown with the plan, chosen from those only (an id
    from elsewhere is "not one of the choices")."""

    priority = PriorityChoiceField(
        label="On a priority of the plan",
        queryset=None,
        required=False,
        empty_label="(not on a priority)",
        error_messages={"invalid_choice": "Choose one of this plan's priorities"},
    )
    aim = AimChoiceField(
        label="Or on a strategic aim",
        queryset=None,
        required=False,
        empty_label="(not on a strategic aim)",
        error_messages={"invalid_choice": "Choose one of the strategic aims listed"},
    )
    name = forms.CharField(
        label="Name",
        max_length=300,
        help_text="For example 'Rate of all crime'",
        error_messages={"required": "Enter the measure's name", "max_length": "Enter a name of up to 300 characters"},
    )
    description = forms.CharField(
        label="Description (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit = forms.CharField(
        label="Unit (optional)",
        max_length=40,
        required=False,
        help_text="For example 'crimes per 1,000 people' or '%'",
        error_messages={"max_length": "Enter a unit of up to 40 characters"},
    )
    better = forms.ChoiceField(
        label="Which way is better?",
        choices=PerformanceMeasure.Better.choices,
        widget=forms.RadioSelect,
        initial=PerformanceMeasure.Better.LOWER,
        error_messages={"required": "Choose which way is better", "invalid_choice": "Choose which way is better"},
    )
    period = forms.ChoiceField(
        label="How often are values entered?",
        choices=PerformanceMeasure.Period.choices,
        widget=forms.RadioSelect,
        initial=PerformanceMeasure.Period.MONTH,
        error_messages={
            "required": "Choose how often values are entered",
            "invalid_choice": "Choose monthly or quarterly",
        },
    )
    target = _number_field("target", "The value the partnership aims for")
    baseline = _number_field("baseline", "The value at the start, to compare with")

    def __init__(self, *args, plan=None, measure=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.measure = measure
        if plan is None:
            del self.fields["priority"], self.fields["aim"]
        else:
            from .measures import aims_for_plan

            self.fields["priority"].queryset = plan.priorities.order_by("number")
            self.fields["aim"].queryset = aims_for_plan(plan)
        self.fields["name"].widget.attrs.update({"class": "govuk-!-width-full"})

    def clean(self):
        cleaned = super().clean()
        if "priority" in self.fields and not self.has_error("priority") and not self.has_error("aim"):
            chosen = [cleaned.get("priority"), cleaned.get("aim")]
            if all(chosen):
                self.add_error("priority", "Choose a priority or a strategic aim, not both")
            elif not any(chosen):
                self.add_error("priority", "Choose the priority or the strategic aim the measure is on")
        period = cleaned.get("period")
        if self.measure is not None and period and period != self.measure.period and self.measure.values.exists():
            self.add_error(
                "period",
                f"The measure already has {self.measure.get_period_display().lower()} values: "
                "it cannot change how often values are entered",
            )
        return cleaned
