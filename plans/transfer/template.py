"""The blank template spreadsheet offered on the import page and in docs/templates/."""

import io

from openpyxl.styles import Alignment, Font

from . import columns as c
from .export import csv_text, write_xlsx

GUIDANCE = [
    ("Column", "Sheet", "Required", "What to write"),
    (c.REFERENCE, "Actions", "No", "Leave blank for new actions; the app fills it. Keep it to update an action later."),
    (c.PLAN, "Actions", "No", "Not used on import; the export writes the plan's slug (another plan's: a warning)."),
    (c.PRIORITY_NUMBER, "Actions", "Yes", "1, 2, 3... Actions with the same number share a priority."),
    (c.PRIORITY, "Actions", "Yes", "The priority's title, the same on every row of that priority."),
    (c.ISSUE, "Actions", "Yes", "The issue the action addresses; rows with the same issue are grouped. May be blank."),
    (c.ACTION, "Actions", "Yes", "What will be done."),
    (
        c.OWNERS,
        "Actions",
        "Yes",
        "Teams, organisations or groups separated by ' / ', e.g. 'Hertsmere SNT / DI Macbeth'.",
    ),
    (c.TARGET_DATE, "Actions", "No", "2020-03-31 or 31/03/2020 (day first)."),
    (c.STATUS, "Actions", "No", "Open, Completed, Discharged, Carried forward or Cancelled. Blank: Open."),
    (c.RAG, "Both", "No", "Red, Amber, Green, Blue (complete) or Not rated."),
    (c.LAST_UPDATE, "Actions", "No", "Ignored on import (the export writes the latest update's date)."),
    (
        c.BEFORE_CARRY,
        "Actions",
        "No",
        "Ignored on import (the export writes, for an action carried forward, its last update before: date and text).",
    ),
    (c.ACTION_REFERENCE, "Updates", "Yes", "The action's Reference from the Actions sheet."),
    (c.DATE, "Updates", "Yes", "The date the note is about: 2019-12-09 or 09/12/2019."),
    (c.AUTHOR, "Updates", "No", "Who wrote it."),
    (
        c.MARKING,
        "Both",
        "No",
        "OFFICIAL (default) or OFFICIAL-SENSITIVE: of the action's text (Actions), of the note (Updates). "
        "Blank keeps an existing action's marking.",
    ),
    (c.TEXT, "Updates", "Yes", "What has happened."),
    (c.ACTION_REFERENCE, "Milestones", "Yes", "The action's Reference from the Actions sheet."),
    (
        c.MILESTONE,
        "Milestones",
        "Yes",
        "A dated step of the action, e.g. 'Venue booked'. Rows are in the action's order.",
    ),
    (c.DUE_DATE, "Milestones", "Yes", "2020-03-31 or 31/03/2020 (day first)."),
    (c.OWNING_TEAM, "Milestones", "No", "A current team of the partnership. Blank: the action's owners."),
    (c.NAMED_OWNER, "Milestones", "No", "A person or role, e.g. 'DI Macbeth'."),
    (c.DONE_ON, "Milestones", "No", "The date it was done, today or earlier. Blank: not done (or unchanged)."),
]


def template_xlsx():
    """Empty Actions, Updates and Milestones sheets with the published columns, and a Guidance sheet."""
    stream = io.BytesIO()
    write_xlsx([], [], stream)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(stream.getvalue()))
    guidance = workbook.create_sheet("Guidance")
    for row in GUIDANCE:
        guidance.append(row)
    for cell in guidance[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (18, 10, 10, 90), strict=True):
        guidance.column_dimensions[column].width = width
    for row in guidance.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csvs():
    return csv_text(c.ACTION_COLUMNS, []), csv_text(c.UPDATE_COLUMNS, [])
