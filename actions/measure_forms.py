"""The form for entering a performance measure's value."""

import datetime

from django import forms

from .measures import QUARTER_NAMES, is_future_period, period_label
from .models import PerformanceMeasure

MONTHS = [(m, datetime.date(2000, m, 1).strftime("%B")) for m in range(1, 13)]


class MeasureValueForm(forms.Form):
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
