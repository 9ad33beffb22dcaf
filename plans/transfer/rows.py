"""What a parser reads a file into (action rows, update rows, located problems) and the
refusal of a file as a whole. Shared by the table (XLSX/CSV) and Word parsers and the importer."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings

ERROR = "error"
WARNING = "warning"


@dataclass
class Problem:
    message: str
    sheet: str = ""
    row: int | None = None
    column: str = ""
    level: str = ERROR

    @property
    def where(self):
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts)

    def __str__(self):
        where = self.where
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message


@dataclass
class ActionRow:
    sheet: str
    row: int
    key: str
    reference: str = ""
    priority_number: int | None = None
    priority_title: str = ""
    issue: str = ""
    text: str = ""
    owners: str = ""
    target_date: datetime.date | None = None
    status: str = ""
    rag: str = ""
    owner_label: str = ""
    plan: str = ""
    marking: str = ""  # blank: an existing action keeps its marking, a new one is OFFICIAL

    @property
    def label(self):
        return f"{self.sheet}, row {self.row}"


@dataclass
class UpdateRow:
    sheet: str
    row: int
    action_key: str
    date: datetime.date | None
    text: str
    author: str = ""
    rag: str = ""
    marking: str = ""
    source_note: str = ""
    # Set when the date came from a guess (Word notes without a date).
    date_note: str = ""


@dataclass
class MilestoneRow:
    sheet: str
    row: int
    action_key: str
    text: str
    due_date: datetime.date | None
    owner_team: str = ""  # a team's name; blank: the action's owners
    owner_role: str = ""
    done_on: datetime.date | None = None


@dataclass
class ParsedFile:
    kind: str = ""
    actions: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    milestones: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def error(self, message, **where):
        self.problems.append(Problem(message, level=ERROR, **where))

    def warn(self, message, **where):
        self.problems.append(Problem(message, level=WARNING, **where))

    @property
    def errors(self):
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.level == WARNING]


class FileRefused(Exception):
    """The file as a whole cannot be read (type, size, encoding): one clear message."""


def check_rows(count, what):
    """Called for each row as it is read: refuse once ``what`` ("The Actions sheet") passes
    ``IMPORT_MAX_ROWS`` rows, before the rest is read."""
    limit = settings.IMPORT_MAX_ROWS
    if count > limit:
        raise FileRefused(
            f"{what} has more than {limit:,} rows; the most we can read is {limit:,}. "
            "Delete empty rows below the plan, or split it into smaller files."
        )


def check_cells(count):
    """Called as cells are read: refuse once the file passes ``IMPORT_MAX_CELLS``."""
    limit = settings.IMPORT_MAX_CELLS
    if count > limit:
        raise FileRefused(
            f"The file has more than {limit:,} cells; the most we can read is {limit:,}. "
            "Delete empty columns to the right of the plan, or split it into smaller files."
        )
