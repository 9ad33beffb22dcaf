"""Form fields every app shares (on the ground floor, so every app may import them)."""

import datetime

from django import forms
from django.utils import timezone

EARLIEST_DATE = datetime.date(1990, 1, 1)  # before any Community Safety Partnership (1998)
YEARS_AHEAD = 20  # the longest strategy or target date anyone plans for


def latest_date():
    return datetime.date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


class DateField(forms.DateField):
    """A date between 1 January 1990 and the end of the year twenty years from now. Typing
    slips like 0001-01-01 or 9999-12-31 are refused with a message rather than stored.
    ``error_messages={"out_of_range": ...}`` names the field where its label reads oddly."""

    default_error_messages = {"out_of_range": "%(label)s must be between %(earliest)s and %(latest)s"}

    def validate(self, value):
        super().validate(value)
        latest = latest_date()
        if value not in self.empty_values and not EARLIEST_DATE <= value <= latest:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params={
                    "label": self.label or "Date",
                    "earliest": f"{EARLIEST_DATE:%-d/%-m/%Y}",
                    "latest": f"{latest:%-d/%-m/%Y}",
                },
            )
