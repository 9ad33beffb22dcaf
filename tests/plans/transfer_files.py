"""Build import files for tests: workbooks, CSV text and Word action plans like Hertsmere's."""

import io
import re
import zipfile

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from openpyxl import Workbook

from plans.transfer import columns as c


def xlsx(actions, updates=(), *, action_columns=None, update_columns=None, milestones=None):
    """A workbook from lists of dicts (or lists of values, with the column lists given); a
    Milestones sheet when ``milestones`` is given."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = c.ACTIONS_SHEET
    _fill(sheet, action_columns or c.ACTION_COLUMNS, actions)
    _fill(workbook.create_sheet(c.UPDATES_SHEET), update_columns or c.UPDATE_COLUMNS, updates)
    if milestones is not None:
        _fill(workbook.create_sheet(c.MILESTONES_SHEET), c.MILESTONE_COLUMNS, milestones)
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _fill(sheet, names, rows):
    sheet.append(list(names))
    for row in rows:
        sheet.append([row.get(name) for name in names] if isinstance(row, dict) else list(row))


def action_row(**values):
    row = {
        c.PRIORITY_NUMBER: 1,
        c.PRIORITY: "Reduce anti-social behaviour",
        c.ISSUE: "Improve feelings of safety",
        c.ACTION: "Deliver Safer Street events",
        c.OWNERS: "Testshire Community Safety Team",
    }
    row.update({k.replace("_", " ").capitalize() if k not in ("RAG",) else k: v for k, v in values.items()})
    return row


def shade(cell, fill):
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    tc_pr.append(shd)


def hertsmere_docx():
    """A Word plan laid out like Hertsmere 2019-2020: a priority band, headings repeated on a second
    'page', an issue cell merged over three rows, dated notes (one with no date), shaded RAG cells."""
    document = Document()
    document.add_heading("Testshire Community Safety Action Plan 2019 - 2020", 1)
    table = document.add_table(rows=0, cols=5)
    band = table.add_row().cells
    merged = band[0].merge(band[4])
    merged.text = "1. Identify and prevent serious Youth Violence, with a specific focus on knife crime"
    _headings(table)
    first = table.add_row().cells
    second = table.add_row().cells
    third = table.add_row().cells
    issue = first[0].merge(second[0]).merge(third[0])
    issue.text = "Raise awareness of county lines, gangs and knife crime in schools"
    first[1].text = "Arrange events in the community"
    first[2].text = "Testshire Community Safety Team"
    _notes(
        first[3],
        [
            "26/11/2018 event at Meryfields primary school – 140 people attended",
            "09/05/2019 event at Francis Coombes School",
        ],
    )
    first[4].text = "Green"
    second[1].text = "Arrange workshops for students"
    second[2].text = "Testshire Community Safety Team / DI Macbeth"
    _notes(second[3], ["Leaflets designed and printed", "06/02/2019 sessions at Hertswood Academy"])
    shade(second[4], "FFC000")
    third[1].text = "Facilitate the Borehamwood Action Group"
    third[2].text = "Testshire SNT"
    _notes(third[3], ["• 10/01/2019", "• 18/03/2019", "17.06.19 meeting held"])
    shade(third[4], "FF0000")
    # The next page: the band and headings again, then another issue.
    band = table.add_row().cells
    band[0].merge(band[4]).text = "1. Identify and prevent serious Youth Violence, with a specific focus on knife crime"
    _headings(table)
    row = table.add_row().cells
    row[0].text = "Improve the perceptions of police"
    row[1].text = "Deliver Mini Police Cadets in primary schools"
    row[2].text = "Testshire SNT"
    _notes(row[3], ["St Nicholas Primary School, Elstree September 2018 x 30 pupils"])
    row[4].text = "Blue"

    second_table = document.add_table(rows=0, cols=5)
    band = second_table.add_row().cells
    band[0].merge(band[4]).text = "2. Tackle the illicit drug economy"
    _headings(second_table)
    row = second_table.add_row().cells
    row[0].text = "Disrupt county lines"
    row[1].text = "Stop and search in hot spots"
    row[2].text = "Testshire SNT"
    _notes(row[3], ["24 July 2019 - stop search 5.3% April, 7.1% May"])
    row[4].text = "Discharged"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


def _headings(table):
    cells = table.add_row().cells
    for cell, text in zip(cells, ["Issue", "Action", "Owner", "Update", "RAG Rating"], strict=True):
        cell.text = text


def _notes(cell, notes):
    cell.text = notes[0]
    for note in notes[1:]:
        cell.add_paragraph(note)


# Hostile files: each must be refused before it costs the server its time and memory.


def declared_million_rows():
    """About 5 KB: a header row and one cell at XFD1048576, so the sheet declares A1:XFD1048576."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = c.ACTIONS_SHEET
    sheet.append(list(c.ACTION_COLUMNS))
    sheet.cell(row=1048576, column=16384, value="x")
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def without_dimension(content):
    """The same workbook with its sheets' <dimension> removed (or made to lie: A1:A1)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                data = re.sub(rb"<dimension [^>]*/>", b"", data)
            target.writestr(info.filename, data)
    return out.getvalue()


def zip_bomb(member_bytes):
    """A "workbook" whose one sheet is ``member_bytes`` of zeros: tiny packed, huge unpacked."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * member_bytes)
    return stream.getvalue()


def many_rows(count):
    """A workbook of ``count`` one-cell rows and no declared size, written as XML directly
    (openpyxl would take minutes for a million rows): about 3 MB for 1.2 million."""
    sheet = io.BytesIO()
    sheet.write(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    for number in range(1, count + 1):
        sheet.write(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (number, number))
    sheet.write(b"</sheetData></worksheet>")
    source = zipfile.ZipFile(io.BytesIO(xlsx([])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = sheet.getvalue() if info.filename == "xl/worksheets/sheet1.xml" else source.read(info.filename)
            target.writestr(info.filename, data)
    return out.getvalue()
