"""Read an uploaded file into rows: XLSX (Actions and Updates sheets) or CSV (one file per sheet).

Nothing here touches the database. Every problem is recorded with its sheet, row and
column so the preview can say "Actions, row 14, Owners: ...". Files are recognised by
their content, not their name: an ".xlsx" that is really a CSV, a PDF or an old binary
.xls is refused with a message saying what it seems to be.
"""

import csv
import datetime
import difflib
import io
import re
import zipfile

from django.conf import settings

from . import columns as c
from .parse_docx import parse_docx
from .rows import ActionRow, FileRefused, MilestoneRow, ParsedFile, UpdateRow, check_cells, check_rows

ALIASES = {
    "ref": c.REFERENCE,
    "action ref": c.REFERENCE,
    "priority no": c.PRIORITY_NUMBER,
    "priority no.": c.PRIORITY_NUMBER,
    "priority title": c.PRIORITY,
    "owner": c.OWNERS,
    "owner(s)": c.OWNERS,
    "rag rating": c.RAG,
    "current rag": c.RAG,
    "last update date": c.LAST_UPDATE,
    "update": c.TEXT,
    "update text": c.TEXT,
    "note": c.TEXT,
    "reference": c.REFERENCE,
}


def _header_key(text):
    return re.sub(r"\s+", " ", str(text or "")).strip().casefold()


def sniff(content, filename=""):
    """'xlsx', 'docx' or 'csv' from the bytes; raises FileRefused with a reason otherwise."""
    name = (filename or "").lower()
    if not content:
        raise FileRefused("The file is empty.")
    limit = settings.IMPORT_MAX_BYTES
    if len(content) > limit:
        raise FileRefused(
            f"The file is {len(content) / 1024 / 1024:.1f} MB; the largest file we accept is "
            f"{limit / 1024 / 1024:.0f} MB. Split the plan into smaller files or remove pictures."
        )
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except (zipfile.BadZipFile, ValueError, OSError):
            raise FileRefused("The file looks like a zip archive but is damaged; save it again and retry.") from None
        _check_unpacked(unpacked, len(content))
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        raise FileRefused("The file is a zip archive, not an Excel workbook (.xlsx) or Word document (.docx).")
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            "The file is in the old Excel 97-2003 (.xls) or Word (.doc) format. Open it and save it as "
            "an Excel workbook (.xlsx) or Word document (.docx), then upload that."
        )
    if content.startswith(b"%PDF"):
        raise FileRefused("The file is a PDF. Upload the spreadsheet (.xlsx or .csv) or Word document (.docx).")
    if name.endswith((".xlsx", ".xlsm", ".docx")):
        raise FileRefused(
            f"The file is called {filename} but is not an Excel workbook or Word document inside. "
            "It may have been renamed; save it from Excel or Word in that format."
        )
    if b"\x00" in content[:4096]:
        raise FileRefused("The file is not a spreadsheet, CSV or Word document we can read.")
    return "csv"


def _check_unpacked(unpacked, packed):
    """Refuse a workbook or Word file whose members declare more data than we will unpack.

    The declared sizes bound what is read: ``zipfile`` stops at a member's declared size and
    fails its checksum if the data goes on, so a member cannot lie its way past this check."""
    limit = settings.IMPORT_MAX_UNPACKED_BYTES
    if unpacked > limit:
        raise FileRefused(
            f"The file unpacks to {unpacked / 1024 / 1024:,.0f} MB; the most we read is "
            f"{limit / 1024 / 1024:,.0f} MB. Split the plan into smaller files or remove pictures."
        )
    ratio = settings.IMPORT_MAX_ZIP_RATIO
    # Small files may compress well without harm; a bomb is small outside and huge inside.
    if unpacked > 1024 * 1024 and unpacked > ratio * packed:
        raise FileRefused(
            f"The file unpacks to {unpacked // max(packed, 1):,} times its size, which no action plan does "
            "(it looks like a 'zip bomb'); it was refused."
        )


def _check_declared(ws, sheet):
    """Refuse a sheet whose declared size (its ``<dimension>``, e.g. A1:XFD1048576) is over the
    budgets before a single row is read."""
    rows, columns = ws.max_row, ws.max_column
    if rows is None or columns is None:
        return
    if rows > settings.IMPORT_MAX_ROWS:
        raise FileRefused(
            f"The {sheet} sheet declares {rows:,} rows; the most we can read is {settings.IMPORT_MAX_ROWS:,}. "
            "Delete empty rows below the plan (select them, Delete Sheet Rows, save), or split it into smaller files."
        )
    if rows * columns > settings.IMPORT_MAX_CELLS:
        raise FileRefused(
            f"The {sheet} sheet declares {columns:,} columns by {rows:,} rows ({rows * columns:,} cells); "
            f"the most we can read is {settings.IMPORT_MAX_CELLS:,} cells. "
            "Delete empty columns to the right of the plan, or split it into smaller files."
        )


def decode_text(content):
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("The CSV file is not in UTF-8 text; save it as 'CSV UTF-8' and retry.")


def parse_upload(content, filename="", *, updates_content=None, updates_filename=""):
    """Parse an uploaded file (and, for CSV, an optional second CSV of updates) into a ParsedFile.

    Raises FileRefused when a file as a whole cannot be read.
    """
    kind = sniff(content, filename)
    if kind == "docx":
        return parse_docx(content)
    parsed = ParsedFile(kind=kind)
    if kind == "xlsx":
        sheets = _read_xlsx(content, parsed)
    else:
        sheets = {}
        for data, name in ((content, filename), (updates_content, updates_filename)):
            if data is None:
                continue
            if sniff(data, name) != "csv":
                raise FileRefused(f"{name or 'The second file'}: upload the updates as a CSV file too.")
            rows = _read_csv(decode_text(data))
            sheet = _which_sheet(rows)
            if sheet in sheets:
                raise FileRefused(f"Both CSV files hold the {sheet} columns; the second should hold the other sheet.")
            sheets[sheet] = rows
    if c.ACTIONS_SHEET not in sheets and c.UPDATES_SHEET not in sheets:
        parsed.error(
            f"No sheet with the columns {', '.join(c.ACTION_REQUIRED)} was found. "
            "Start from the template on this page, or check the first row holds the column names."
        )
        return parsed
    if c.ACTIONS_SHEET in sheets:
        _read_actions(sheets[c.ACTIONS_SHEET], parsed)
    if c.UPDATES_SHEET in sheets:
        _read_updates(sheets[c.UPDATES_SHEET], parsed)
    if c.MILESTONES_SHEET in sheets:
        _read_milestones(sheets[c.MILESTONES_SHEET], parsed)
    return parsed


def _which_sheet(rows):
    header = {_canonical(h) for h in (rows[0][1] if rows else [])}
    if c.ACTION in header or c.PRIORITY_NUMBER in header or c.OWNERS in header:
        return c.ACTIONS_SHEET
    if c.ACTION_REFERENCE in header:
        return c.UPDATES_SHEET
    return c.ACTIONS_SHEET


def _canonical(name):
    key = _header_key(name)
    for column in (*c.ACTION_COLUMNS, *c.UPDATE_COLUMNS, *c.MILESTONE_COLUMNS):
        if key == column.casefold():
            return column
    return ALIASES.get(key, str(name or "").strip())


class FormulaCell(str):
    """A formula found in a workbook: reported, never run."""


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s>/]")


def _count_tags(archive):
    """Rows and cells written in the workbook's sheets, counted in the raw XML at C speed.

    openpyxl opens a sheet that declares no size by parsing all of it (10 s for a 6 MB file
    of 1.2 million rows), before a single row is handed to us: so the budgets are checked
    on the bytes first. A tag split between two chunks is missed; a budget can afford that."""
    cells = 0
    for name in archive.namelist():
        if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
            continue
        rows = 0
        with archive.open(name) as member:
            while chunk := member.read(1024 * 1024):
                rows += len(ROW_TAG.findall(chunk))
                cells += len(CELL_TAG.findall(chunk))
                check_rows(rows, "A sheet of the workbook")
                check_cells(cells)


def _read_xlsx(content, parsed):
    from openpyxl import load_workbook

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        _count_tags(archive)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise FileRefused("The Excel workbook could not be read; it may be damaged. Save it again and retry.") from None
    sheets = {}
    try:
        by_name = {ws.title.strip().casefold(): ws for ws in workbook.worksheets}
        wanted = {c.ACTIONS_SHEET: by_name.get("actions"), c.UPDATES_SHEET: by_name.get("updates")}
        if wanted[c.ACTIONS_SHEET] is None and wanted[c.UPDATES_SHEET] is None and workbook.worksheets:
            wanted[c.ACTIONS_SHEET] = workbook.worksheets[0]
        wanted[c.MILESTONES_SHEET] = by_name.get("milestones")
        cells = 0
        for sheet, ws in wanted.items():
            if ws is None:
                continue
            _check_declared(ws, sheet)
            # Read the rows that are there: a declared size is not trusted, nor padded to.
            ws.reset_dimensions()
            rows = []
            for number, row in enumerate(ws.iter_rows(), start=1):
                check_rows(number, f"The {sheet} sheet")
                cells += len(row)
                check_cells(cells)
                values = []
                for cell in row:
                    value = getattr(cell, "value", None)
                    if getattr(cell, "data_type", None) == "f" or (
                        isinstance(value, str) and value.startswith("=") and getattr(cell, "data_type", "") == "f"
                    ):
                        value = FormulaCell(value)
                    values.append(value)
                rows.append((number, values))
            sheets[sheet] = _trim(rows)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001
        raise FileRefused("The Excel workbook could not be read; it may be damaged. Save it again and retry.") from None
    finally:
        workbook.close()
    return sheets


def _read_csv(text):
    if "\x00" in text:
        raise FileRefused("The CSV file contains binary data; it is not a CSV file.")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    cells = 0
    try:
        for number, row in enumerate(reader, start=1):
            check_rows(number, "The CSV file")
            cells += len(row)
            check_cells(cells)
            rows.append((reader.line_num, [c.csv_unsafe(v) for v in row]))
    except csv.Error as error:
        raise FileRefused(f"The CSV file could not be read near line {reader.line_num}: {error}.") from None
    return _trim(rows)


def _trim(rows):
    """Drop empty rows at the top (the first non-empty row is the header) and anywhere else."""
    return [(n, values) for n, values in rows if any(v not in (None, "") and str(v).strip() for v in values)]


def _header(rows, sheet, required, known, parsed):
    """Map column name → index from the first row; report missing and unknown columns."""
    if not rows:
        parsed.error("The sheet is empty: no column names and no rows.", sheet=sheet)
        return None, []
    number, header = rows[0]
    mapping = {}
    for index, name in enumerate(header):
        if name in (None, ""):
            continue
        column = _canonical(name)
        if column in known:
            if column in mapping:
                parsed.error(f"the column '{column}' appears twice.", sheet=sheet, row=number)
            mapping[column] = index
    unknown = [str(n) for n in header if n not in (None, "") and _canonical(n) not in known]
    missing = [name for name in required if name not in mapping]
    for name in missing:
        hint = difflib.get_close_matches(name.casefold(), [u.casefold() for u in unknown], n=1, cutoff=0.6)
        renamed = next((u for u in unknown if hint and u.casefold() == hint[0]), None)
        message = f"the column '{name}' is missing"
        if renamed:
            message += f"; is '{renamed}' it? Rename that column to '{name}'"
        parsed.error(message + ".", sheet=sheet, row=number)
    for name in unknown:
        parsed.warn(f"the column '{name}' is not one we know; it will be ignored.", sheet=sheet, row=number)
    if missing:
        return None, []
    return mapping, rows[1:]


def _cell(values, mapping, name):
    index = mapping.get(name)
    if index is None or index >= len(values):
        return None
    return values[index]


def _text(value, parsed, sheet, row, column, *, max_length=None):
    if value is None:
        return ""
    if isinstance(value, FormulaCell):
        parsed.error(
            f"the cell holds a formula ({value[:40]}); formulas are never run. Type the value itself.",
            sheet=sheet,
            row=row,
            column=column,
        )
        return ""
    if isinstance(value, (datetime.date, datetime.datetime)):
        value = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    text = c.clean_text(str(value)).strip()
    if max_length and len(text) > max_length:
        parsed.error(
            f"the text is {len(text)} characters long; at most {max_length} fit.", sheet=sheet, row=row, column=column
        )
        return text[:max_length]
    return text


def _read_actions(rows, parsed):
    sheet = c.ACTIONS_SHEET
    known = set(c.ACTION_COLUMNS)
    mapping, body = _header(rows, sheet, c.ACTION_REQUIRED, known, parsed)
    if mapping is None:
        return
    if not body:
        parsed.error("there are no actions under the column names.", sheet=sheet)
    for number, values in body:
        where = {"sheet": sheet, "row": number}
        get = lambda name, values=values: _cell(values, mapping, name)  # noqa: E731
        row = ActionRow(sheet=sheet, row=number, key="")
        row.reference = _text(get(c.REFERENCE), parsed, sheet, number, c.REFERENCE, max_length=20)
        if row.reference and not re.fullmatch(r"[A-Za-z0-9._-]+", row.reference):
            parsed.error(
                f"'{row.reference}' is not a reference; use letters, digits, '-', '.' or '_'.",
                column=c.REFERENCE,
                **where,
            )
        row.key = row.reference.upper() if row.reference else f"row:{sheet}:{number}"
        number_text = _text(get(c.PRIORITY_NUMBER), parsed, sheet, number, c.PRIORITY_NUMBER)
        if not number_text:
            parsed.error("the priority number is missing.", column=c.PRIORITY_NUMBER, **where)
        elif not re.fullmatch(r"\d{1,4}", number_text) or int(number_text) < 1:
            parsed.error(f"'{number_text}' is not a priority number (1, 2, 3...).", column=c.PRIORITY_NUMBER, **where)
        else:
            row.priority_number = int(number_text)
        row.plan = _text(get(c.PLAN), parsed, sheet, number, c.PLAN, max_length=200)
        row.priority_title = _text(get(c.PRIORITY), parsed, sheet, number, c.PRIORITY, max_length=2000)
        row.issue = _text(get(c.ISSUE), parsed, sheet, number, c.ISSUE, max_length=2000)
        row.text = _text(get(c.ACTION), parsed, sheet, number, c.ACTION, max_length=5000)
        if not row.text and not isinstance(get(c.ACTION), FormulaCell):
            parsed.error("the action is empty; every row needs the action's text.", column=c.ACTION, **where)
        row.owners = _text(get(c.OWNERS), parsed, sheet, number, c.OWNERS, max_length=1000)
        target = get(c.TARGET_DATE)
        if isinstance(target, FormulaCell):
            _text(target, parsed, sheet, number, c.TARGET_DATE)
        else:
            row.target_date, error = c.parse_date(target if not isinstance(target, str) else target.strip())
            if error:
                parsed.error(error + ".", column=c.TARGET_DATE, **where)
        for column, parser, attr in (
            (c.STATUS, c.parse_status, "status"),
            (c.RAG, c.parse_rag, "rag"),
            (c.MARKING, c.parse_marking, "marking"),
        ):
            text = _text(get(column), parsed, sheet, number, column)
            if text:
                value, error = parser(text)
                if error:
                    parsed.error(error + ".", column=column, **where)
                else:
                    setattr(row, attr, value)
        parsed.actions.append(row)


def _read_updates(rows, parsed):
    sheet = c.UPDATES_SHEET
    mapping, body = _header(rows, sheet, c.UPDATE_REQUIRED, set(c.UPDATE_COLUMNS), parsed)
    if mapping is None:
        return
    for number, values in body:
        where = {"sheet": sheet, "row": number}
        get = lambda name, values=values: _cell(values, mapping, name)  # noqa: E731
        reference = _text(get(c.ACTION_REFERENCE), parsed, sheet, number, c.ACTION_REFERENCE, max_length=20)
        if not reference:
            parsed.error("the action reference is missing.", column=c.ACTION_REFERENCE, **where)
        raw_date = get(c.DATE)
        date, error = (None, None)
        if isinstance(raw_date, FormulaCell):
            _text(raw_date, parsed, sheet, number, c.DATE)
        else:
            date, error = c.parse_date(raw_date.strip() if isinstance(raw_date, str) else raw_date)
            if error:
                parsed.error(error + ".", column=c.DATE, **where)
            elif date is None:
                parsed.error("the date is missing.", column=c.DATE, **where)
        text = _text(get(c.TEXT), parsed, sheet, number, c.TEXT, max_length=20000)
        if not text and not isinstance(get(c.TEXT), FormulaCell):
            parsed.error("the update text is empty.", column=c.TEXT, **where)
        update = UpdateRow(
            sheet=sheet,
            row=number,
            action_key=reference.upper(),
            date=date,
            text=text,
            author=_text(get(c.AUTHOR), parsed, sheet, number, c.AUTHOR, max_length=200),
        )
        for column, parser, attr in ((c.RAG, c.parse_rag, "rag"), (c.MARKING, c.parse_marking, "marking")):
            value_text = _text(get(column), parsed, sheet, number, column)
            if not value_text:
                continue  # a blank RAG keeps the action's rating; a blank marking is OFFICIAL
            value, error = parser(value_text)
            if error:
                parsed.error(error + ".", column=column, **where)
            else:
                setattr(update, attr, value)
        parsed.updates.append(update)


def _sheet_date(value, parsed, sheet, number, column):
    """(date, error) of a date cell; a formula is reported and read as no date."""
    if isinstance(value, FormulaCell):
        _text(value, parsed, sheet, number, column)
        return None, None
    return c.parse_date(value.strip() if isinstance(value, str) else value)


def _read_milestones(rows, parsed):
    sheet = c.MILESTONES_SHEET
    mapping, body = _header(rows, sheet, c.MILESTONE_REQUIRED, set(c.MILESTONE_COLUMNS), parsed)
    if mapping is None:
        return
    for number, values in body:
        where = {"sheet": sheet, "row": number}
        get = lambda name, values=values: _cell(values, mapping, name)  # noqa: E731
        reference = _text(get(c.ACTION_REFERENCE), parsed, sheet, number, c.ACTION_REFERENCE, max_length=20)
        if not reference:
            parsed.error("the action reference is missing.", column=c.ACTION_REFERENCE, **where)
        text = _text(get(c.MILESTONE), parsed, sheet, number, c.MILESTONE, max_length=2000)
        if not text and not isinstance(get(c.MILESTONE), FormulaCell):
            parsed.error("the milestone is empty.", column=c.MILESTONE, **where)
        due_date, error = _sheet_date(get(c.DUE_DATE), parsed, sheet, number, c.DUE_DATE)
        if error:
            parsed.error(error + ".", column=c.DUE_DATE, **where)
        elif due_date is None and not isinstance(get(c.DUE_DATE), FormulaCell):
            parsed.error("the due date is missing.", column=c.DUE_DATE, **where)
        done_on, error = _sheet_date(get(c.DONE_ON), parsed, sheet, number, c.DONE_ON)
        if error:
            parsed.error(error + ".", column=c.DONE_ON, **where)
        parsed.milestones.append(
            MilestoneRow(
                sheet=sheet,
                row=number,
                action_key=reference.upper(),
                text=text,
                due_date=due_date,
                owner_team=_text(get(c.OWNING_TEAM), parsed, sheet, number, c.OWNING_TEAM, max_length=200),
                owner_role=_text(get(c.NAMED_OWNER), parsed, sheet, number, c.NAMED_OWNER, max_length=200),
                done_on=done_on,
            )
        )
