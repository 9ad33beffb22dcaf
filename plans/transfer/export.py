"""A plan as rows (one per action, one per update), written as XLSX or CSV.

Dates are ISO (2019-12-09), text is UTF-8, and nothing a spreadsheet reads can run
as a formula: in XLSX every text cell is typed as a string (the value stays exact);
in CSV text starting with = + - @ gets one leading apostrophe, which the importer
removes again (docs/import-export.md).
"""

import csv
import io

from django.db.models import Prefetch
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from actions.access import action_rights
from actions.carried import last_updates_before_carry
from actions.models import WITHHELD_TEXT, Action, ActionUpdate, Milestone, withhold_texts

from . import columns as c

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_actions(plan):
    """The plan's actions with everything the export needs, in plan order (priority, issue, action)."""
    updates = ActionUpdate.objects.live().select_related("author").order_by("date", "order", "id")
    return list(
        Action.objects.in_plan(plan)
        .select_related("issue__priority__plan__partnership")
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups", Prefetch("updates", queryset=updates))
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "id")
    )


def export_rows(plan, user):
    """(action rows, update rows) as lists of dicts keyed by the published column names.

    OFFICIAL-SENSITIVE updates are left out unless ``user`` may read them; the text of an
    OFFICIAL-SENSITIVE action is replaced by the placeholder unless ``user`` may read it
    (``withhold_texts``).
    """
    action_rows, update_rows = [], []
    actions = withhold_texts(user, plan_actions(plan))
    before_carry, _ = last_updates_before_carry(
        actions, sensitive_allowed=lambda origin: action_rights(user, origin).may_read_sensitive
    )
    for action in actions:
        updates = list(action.updates.all())
        sensitive_ok = None
        last = max((u.date for u in updates), default=None)
        action_rows.append(
            {
                c.REFERENCE: action.reference,
                c.PLAN: plan.slug,
                c.PRIORITY_NUMBER: action.issue.priority.number,
                c.PRIORITY: action.issue.priority.title,
                c.ISSUE: action.issue.title,
                c.ACTION: WITHHELD_TEXT if action.text_withheld else action.text,
                c.MARKING: c.MARKING_WORDS[action.marking],
                c.OWNERS: c.OWNER_SEPARATOR.join(action.owner_names()),
                c.TARGET_DATE: c.iso(action.target_date),
                c.STATUS: c.STATUS_WORDS[action.status],
                c.RAG: c.RAG_WORDS[action.rag],
                c.LAST_UPDATE: c.iso(last),
                c.BEFORE_CARRY: _dated(before_carry.get(action.pk)),
            }
        )
        for update in updates:
            if update.is_sensitive:
                if sensitive_ok is None:
                    sensitive_ok = action_rights(user, action).may_read_sensitive
                if not sensitive_ok:
                    continue
            update_rows.append(
                {
                    c.ACTION_REFERENCE: action.reference,
                    c.DATE: c.iso(update.date),
                    c.AUTHOR: str(update.author) if update.author_id else update.author_name,
                    c.RAG: c.RAG_WORDS[update.rag],
                    c.MARKING: c.MARKING_WORDS[update.marking],
                    c.TEXT: update.text,
                }
            )
    return action_rows, update_rows


def milestone_rows(plan, user):
    """The plan's milestones as rows keyed by the published column names, in plan order and
    each action's order; a milestone's text is withheld with its action's (``withhold_texts``).
    One query for the milestones, at most one more for the sensitive actions' rights."""
    milestones = list(
        Milestone.objects.filter(action__in=Action.objects.in_plan(plan))
        .select_related("action__issue__priority", "owner_team")
        .order_by("action__issue__priority__number", "action__issue__order", "action__issue_id", "action__order",
                  "action_id", "order", "due_date", "id")
    )  # fmt: skip
    actions = {m.action_id: m.action for m in milestones}
    withhold_texts(user, actions.values())
    return [
        {
            c.ACTION_REFERENCE: milestone.action.reference,
            c.MILESTONE: WITHHELD_TEXT if actions[milestone.action_id].text_withheld else milestone.text,
            c.DUE_DATE: c.iso(milestone.due_date),
            c.OWNING_TEAM: milestone.owner_team.name if milestone.owner_team else "",
            c.NAMED_OWNER: milestone.owner_role,
            c.DONE_ON: c.iso(milestone.done_on),
        }
        for milestone in milestones
    ]


def _dated(update):
    return f"{c.iso(update.date)}: {update.text}" if update else ""


def write_xlsx(action_rows, update_rows, stream, milestones=()):
    """The workbook: the Actions and Updates sheets, and the Milestones sheet (``milestone_rows``)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = c.ACTIONS_SHEET
    _fill_sheet(sheet, c.ACTION_COLUMNS, action_rows)
    _fill_sheet(workbook.create_sheet(c.UPDATES_SHEET), c.UPDATE_COLUMNS, update_rows)
    _fill_sheet(workbook.create_sheet(c.MILESTONES_SHEET), c.MILESTONE_COLUMNS, milestones)
    workbook.save(stream)


def _fill_sheet(sheet, names, rows):
    sheet.append(names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row_number, row in enumerate(rows, start=2):
        for column_number, name in enumerate(names, start=1):
            value = row.get(name, "")
            if value == "" or value is None:
                continue
            cell = sheet.cell(row=row_number, column=column_number)
            if isinstance(value, str):
                value = c.clean_text(value)
                # Assigning a string that starts with "=" makes openpyxl write a formula;
                # force the string type so the exact text is stored and never run.
                cell.value = value
                cell.data_type = TYPE_STRING
            else:
                cell.value = value
    sheet.freeze_panes = "A2"
    for column_cells in sheet.iter_cols(min_row=1, max_row=1):
        letter = column_cells[0].column_letter
        wide = (c.ACTION, c.TEXT, c.ISSUE, c.MILESTONE)
        sheet.column_dimensions[letter].width = 40 if column_cells[0].value in wide else 16


def write_csv(names, rows, stream):
    writer = csv.DictWriter(stream, fieldnames=names, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: c.csv_safe(_clean(row.get(name, ""))) for name in names})


def _clean(value):
    return c.clean_text(value) if isinstance(value, str) else value


def xlsx_bytes(plan, user):
    action_rows, update_rows = export_rows(plan, user)
    stream = io.BytesIO()
    write_xlsx(action_rows, update_rows, stream, milestone_rows(plan, user))
    return stream.getvalue()


def csv_text(names, rows):
    stream = io.StringIO()
    write_csv(names, rows, stream)
    return stream.getvalue()
