"""Form fields every app shares (on the ground floor, so every app may import them)."""

import calendar
import datetime
import re

from django import forms
from django.utils import timezone

EARLIEST_DATE = datetime.date(1990, 1, 1)  # before any Community Safety Partnership (1998)
YEARS_AHEAD = 20  # the longest strategy or target date anyone plans for
DATE_HINT = "For example, 27/3/2026"

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_SEPARATORS = re.compile(r"[\s/.,\-]+")
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")


def latest_date():
    return datetime.date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


def format_date(value):
    """How a date reads back in a date field: 8/12/2026, the way people type it."""
    return f"{value.day}/{value.month}/{value.year}"


def _year(text):
    if len(text) == 4:
        return int(text)
    if len(text) == 2:  # as strptime's %y: 69-99 are the 1900s
        return int(text) + (1900 if int(text) >= 69 else 2000)
    raise ValueError(text)


def _month(text):
    if text.isdigit():
        return int(text)
    return _MONTHS[text]


def parse_date(text):
    """A date typed the way people in the UK type it, day first: 27/3/2026, 27-3-2026,
    27 3 2026, 27.03.2026, 8 December 2026, 8 Dec 26, 08122026; ISO 2026-12-08 too.
    None when it is no date at all or an impossible one such as 31/2/2026."""
    text = text.strip().lower()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):  # ISO, year first
            year, month, day = (int(part) for part in text.split("-"))
        elif re.fullmatch(r"\d{8}|\d{6}", text):  # ddmmyyyy or ddmmyy, without separators
            day, month, year = int(text[:2]), int(text[2:4]), _year(text[4:])
        else:
            parts = [part for part in _SEPARATORS.split(text) if part]
            if len(parts) != 3:
                return None
            if parts[0] in _MONTHS:  # "December 8 2026"
                parts[0], parts[1] = parts[1], parts[0]
            if ordinal := _ORDINAL.match(parts[0]):
                parts[0] = ordinal.group(1)
            if not parts[0].isdigit() or len(parts[0]) > 2 or not parts[2].isdigit():
                return None
            day, month, year = int(parts[0]), _month(parts[1]), _year(parts[2])
        return datetime.date(year, month, day)
    except (KeyError, ValueError):
        return None


class DateInput(forms.TextInput):
    """One typed text box (no browser date picker, whose format follows the machine's locale)."""

    def __init__(self, attrs=None):
        defaults = {"class": "govuk-input govuk-input--width-10", "autocomplete": "off", "spellcheck": "false"}
        super().__init__(defaults | (attrs or {}))

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return format_date(value)
        return super().format_value(value)


class DateField(forms.DateField):
    """The one way a date is entered: typed, day first, UK style (see ``parse_date``), with the
    hint "For example, 27/3/2026". A date between 1 January 1990 and the end of the year twenty
    years from now; typing slips like 0001-01-01 or 9999-12-31 are refused with a message rather
    than stored. Messages may use ``%(label)s`` (the label without "(optional)");
    ``error_messages={"required": ...}`` says in words what is missing."""

    widget = DateInput
    default_error_messages = {
        "required": "Enter the %(label_lower)s",
        "invalid": "%(label)s must be a real date, like 27/3/2026",
        "out_of_range": "%(label)s must be between %(earliest)s and %(latest)s",
    }

    def __init__(self, *, help_text=DATE_HINT, **kwargs):
        kwargs.pop("input_formats", None)  # parse_date reads every format
        super().__init__(help_text=help_text, **kwargs)

    def _params(self):
        label = re.sub(r"\s*\(optional\)$", "", str(self.label or "Date"))
        return {"label": label, "label_lower": label[:1].lower() + label[1:]}

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return format_date(value)
        return value

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        parsed = parse_date(str(value))
        if parsed is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid", params=self._params())
        return parsed

    def validate(self, value):
        if value in self.empty_values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required", params=self._params())
            return
        latest = latest_date()
        if not EARLIEST_DATE <= value <= latest:
            raise forms.ValidationError(
                self.error_messages["out_of_range"],
                code="out_of_range",
                params=self._params() | {"earliest": format_date(EARLIEST_DATE), "latest": format_date(latest)},
            )
