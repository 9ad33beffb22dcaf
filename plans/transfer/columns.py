"""The exchange format: column names, value words, dates and formula-safe text.

The names here are a published contract (docs/import-export.md): analysts' reports
depend on them, so they change only with a note in the docs.
"""

import datetime
import re

from actions.models import Marking, Rag, Status

ACTIONS_SHEET = "Actions"
UPDATES_SHEET = "Updates"
MILESTONES_SHEET = "Milestones"

# Actions sheet: one row per action.
REFERENCE = "Reference"
PLAN = "Plan"
PRIORITY_NUMBER = "Priority number"
PRIORITY = "Priority"
ISSUE = "Issue"
ACTION = "Action"
OWNERS = "Owners"
TARGET_DATE = "Target date"
STATUS = "Status"
RAG = "RAG"
LAST_UPDATE = "Last update"
BEFORE_CARRY = "Last update before carry-over"
MARKING = "Marking"  # of an action's text (actions sheet), of a note (updates sheet)

ACTION_COLUMNS = [
    REFERENCE,
    PLAN,
    PRIORITY_NUMBER,
    PRIORITY,
    ISSUE,
    ACTION,
    MARKING,  # blank: OFFICIAL
    OWNERS,
    TARGET_DATE,
    STATUS,
    RAG,
    LAST_UPDATE,
    BEFORE_CARRY,
]
ACTION_REQUIRED = [PRIORITY_NUMBER, PRIORITY, ISSUE, ACTION, OWNERS]

# Updates sheet: one row per dated note.
ACTION_REFERENCE = "Action reference"
DATE = "Date"
AUTHOR = "Author"
TEXT = "Text"

UPDATE_COLUMNS = [ACTION_REFERENCE, DATE, AUTHOR, RAG, MARKING, TEXT]
UPDATE_REQUIRED = [ACTION_REFERENCE, DATE, TEXT]

# Milestones sheet (workbooks only): one row per milestone, in each action's order.
MILESTONE = "Milestone"
DUE_DATE = "Due date"
OWNING_TEAM = "Owning team"  # blank: the action's owners
NAMED_OWNER = "Named owner"
DONE_ON = "Done on"  # blank: not done yet

MILESTONE_COLUMNS = [ACTION_REFERENCE, MILESTONE, DUE_DATE, OWNING_TEAM, NAMED_OWNER, DONE_ON]
MILESTONE_REQUIRED = [ACTION_REFERENCE, MILESTONE, DUE_DATE]

OWNER_SEPARATOR = " / "

# Words written on export; words accepted on import (case-insensitive).
RAG_WORDS = {Rag.RED: "Red", Rag.AMBER: "Amber", Rag.GREEN: "Green", Rag.BLUE: "Blue", Rag.NOT_RATED: "Not rated"}
RAG_ACCEPTED = {
    "red": Rag.RED,
    "r": Rag.RED,
    "amber": Rag.AMBER,
    "a": Rag.AMBER,
    "green": Rag.GREEN,
    "g": Rag.GREEN,
    "blue": Rag.BLUE,
    "b": Rag.BLUE,
    "complete": Rag.BLUE,
    "completed": Rag.BLUE,
    "not rated": Rag.NOT_RATED,
    "not yet rated": Rag.NOT_RATED,
    "not_rated": Rag.NOT_RATED,
    "": Rag.NOT_RATED,
}
STATUS_WORDS = {
    Status.OPEN: "Open",
    Status.COMPLETED: "Completed",
    Status.DISCHARGED: "Discharged",
    Status.CARRIED_FORWARD: "Carried forward",
    Status.CANCELLED: "Cancelled",
}
STATUS_ACCEPTED = (
    {word.casefold(): value for value, word in STATUS_WORDS.items()}
    | {value: value for value in STATUS_WORDS}
    | {"discharged from the plan": Status.DISCHARGED, "": Status.OPEN}
)
MARKING_WORDS = {Marking.OFFICIAL: "OFFICIAL", Marking.OFFICIAL_SENSITIVE: "OFFICIAL-SENSITIVE"}
MARKING_ACCEPTED = {
    "official": Marking.OFFICIAL,
    "": Marking.OFFICIAL,
    "official-sensitive": Marking.OFFICIAL_SENSITIVE,
    "official sensitive": Marking.OFFICIAL_SENSITIVE,
    "official_sensitive": Marking.OFFICIAL_SENSITIVE,
}


def _words(mapping):
    return ", ".join(f"'{w}'" for w in mapping.values())


def parse_rag(value):
    """(rag, error)."""
    rag = RAG_ACCEPTED.get(_squash(value))
    if rag is None:
        return None, f"'{value}' is not a RAG rating; use {_words(RAG_WORDS)}"
    return rag, None


def parse_status(value):
    status = STATUS_ACCEPTED.get(_squash(value))
    if status is None:
        return None, f"'{value}' is not a status; use {_words(STATUS_WORDS)}"
    return status, None


def parse_marking(value):
    marking = MARKING_ACCEPTED.get(_squash(value))
    if marking is None:
        return None, f"'{value}' is not a protective marking; use {_words(MARKING_WORDS)}"
    return marking, None


def _squash(value):
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_YEAR_FIRST = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")


def parse_date(value, *, two_digit_years=False):
    """(date, error) from a cell: a date cell, ISO 2019-12-09, UK day-first 09/12/2019, or 9 December 2019.

    Month-first dates (12/31/2019) and, unless ``two_digit_years``, two-digit years (09/12/19) are
    refused with a message saying how to write the date, never guessed.
    """
    if value is None or value == "":
        return None, None
    if isinstance(value, datetime.datetime):
        if value.time() != datetime.time(0, 0):
            return value.date(), None
        return value.date(), None
    if isinstance(value, datetime.date):
        return value, None
    if isinstance(value, (int, float)):
        return None, f"'{value}' is a number, not a date; write dates as 2019-12-09 or 09/12/2019"
    text = str(value).strip()
    hint = "write dates as 2019-12-09 or 09/12/2019 (day first)"
    try:
        if m := _ISO.match(text) or _YEAR_FIRST.match(text):
            return datetime.date(int(m[1]), int(m[2]), int(m[3])), None
        if m := _DAY_FIRST.match(text):
            day, month, year = int(m[1]), int(m[2]), m[3]
            if len(year) == 2:
                if not two_digit_years:
                    return None, f"'{text}' has a two-digit year, so the century is ambiguous; {hint}"
                year = "20" + year
            if month > 12 and day <= 12:
                return None, (f"'{text}' looks like a month-first (US) date; dates are read day first, {hint}")
            return datetime.date(int(year), month, day), None
        if m := _WORDS.match(text):
            month = MONTHS.get(m[2].casefold())
            if month:
                return datetime.date(int(m[3]), month, int(m[1])), None
    except ValueError:
        return None, f"'{text}' is not a real date; {hint}"
    return None, f"'{text}' is not a date we can read; {hint}"


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text):
    return isinstance(text, str) and text.startswith(FORMULA_START)


_NEEDS_APOSTROPHE = re.compile(r"^'*[=+\-@\t\r]")


def csv_safe(value):
    """Text a spreadsheet opening the CSV will not run: one apostrophe before = + - @ (the importer
    removes exactly one again, so any text round-trips)."""
    if isinstance(value, str) and _NEEDS_APOSTROPHE.match(value):
        return "'" + value
    return value


def csv_unsafe(value):
    if isinstance(value, str) and value.startswith("'") and _NEEDS_APOSTROPHE.match(value[1:]) and value[1:2] != "":
        return value[1:]
    return value


def iso(value):
    return value.isoformat() if value else ""


# Control characters other than tab and line breaks cannot be stored in a workbook (XML 1.0)
# and are invisible anyway: dropped on import and on export.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean_text(text):
    return CONTROL_CHARACTERS.sub("", text)
