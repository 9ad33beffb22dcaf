"""Read a legacy Word action plan laid out like Hertsmere's 2019-2020 plan.

Each priority is a table (or several, one per page) whose first row is a band with the
numbered priority ("1. Identify and prevent serious Youth Violence...") and whose next row
holds the headings Issue | Action | Owner | Update | RAG Rating. Bands and headings may repeat
on every page; they are recognised and skipped. An issue cell spans the rows of its actions
(a vertically merged cell, or left blank below the first row). The Update cell's paragraphs
become separate updates, each dated by the date it starts with (or the first date in it);
a note with no date gets the date of the note before it (or after it), and says so. The RAG
cell gives the rating by its word (Red, Amber, Green, Blue) or, failing that, its shading.
"""

import datetime
import io
import re

from docx.oxml.ns import qn

from actions.models import Rag, Status

from . import columns as c
from .rows import ActionRow, FileRefused, ParsedFile, UpdateRow, check_cells, check_rows

DATE_PATTERN = (
    r"\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?!\d)"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{4}"
)
LEADING_DATE = re.compile(rf"^\s*({DATE_PATTERN})\s*[-–—:,]?\s*", re.IGNORECASE)
ANY_DATE = re.compile(rf"(?<![\d/.])({DATE_PATTERN})", re.IGNORECASE)
BULLETS = "•·▪◦‣-*–\u2022\uf0b7\uf0a7 \t"
BAND = re.compile(r"^\s*(\d{1,3})\s*[.)]\s+(.+)$", re.DOTALL)

PALETTE = {
    Rag.RED: [(255, 0, 0), (192, 0, 0), (255, 80, 80)],
    Rag.AMBER: [(255, 192, 0), (255, 165, 0), (255, 191, 0), (255, 255, 0), (247, 150, 70)],
    Rag.GREEN: [(0, 176, 80), (0, 255, 0), (146, 208, 80), (0, 128, 0), (112, 173, 71)],
    Rag.BLUE: [(0, 112, 192), (0, 176, 240), (0, 0, 255), (68, 114, 196), (91, 155, 213)],
}
# A RAG cell's word: the import's words, less "not rated" (an empty cell falls back to its shading).
RAG_CELL_WORDS = {word: rag for word, rag in c.RAG_ACCEPTED.items() if rag != Rag.NOT_RATED}
STATUS_CELL_WORDS = {"discharged": Status.DISCHARGED, "discharged from the plan": Status.DISCHARGED}
HEADINGS = {
    "issue": "issue",
    "action": "action",
    "owner": "owner",
    "owners": "owner",
    "update": "update",
    "updates": "update",
    "rag rating": "rag",
    "rag": "rag",
    "rag status": "rag",
    "progress": "update",
}


def _squash(text):
    return re.sub(r"\s+", " ", text or "").strip()


def _keep_lines(text):
    """Spaces squashed, but line breaks inside a note kept."""
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in (text or "").split("\n")]
    return "\n".join(lines).strip()


def cell_text(cell):
    return _squash(" ".join(p.text for p in cell.paragraphs))


def cell_fill(cell):
    """The cell's shading colour as (r, g, b), or None."""
    tc_pr = cell._tc.tcPr
    if tc_pr is None:
        return None
    shd = tc_pr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}shd")
    if shd is None:
        return None
    fill = shd.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fill") or ""
    if not re.fullmatch(r"[0-9A-Fa-f]{6}", fill):
        return None
    return tuple(int(fill[i : i + 2], 16) for i in (0, 2, 4))


def rag_from_fill(rgb):
    if rgb is None or min(rgb) > 230:
        return None
    best, best_distance = None, None
    for rag, colours in PALETTE.items():
        for colour in colours:
            distance = sum((a - b) ** 2 for a, b in zip(rgb, colour, strict=True))
            if best_distance is None or distance < best_distance:
                best, best_distance = rag, distance
    return best if best_distance <= 110**2 else None


def parse_docx(content):
    from docx import Document

    try:
        document = Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - python-docx raises many types for damaged files
        raise FileRefused("The Word document could not be read; it may be damaged. Save it again and retry.") from None
    _check_tables(document)
    parsed = ParsedFile(kind="docx")
    state = {"priority": None, "title": "", "issue": None, "action": None, "columns": None}
    table_number = 0
    for block in document.iter_inner_content():
        if not hasattr(block, "rows"):
            # A numbered heading between tables ("2. Tackle the illicit drug economy") names
            # the priority of the tables that follow, as a band inside the table would.
            band = BAND.match(_squash(block.text))
            if band and len(block.text) < 500:
                state.update(priority=int(band[1]), title=_squash(band[2]), issue=None, action=None)
            continue
        table = block
        table_number += 1
        sheet = f"Word table {table_number}"
        try:
            rows = list(table.rows)
        except Exception:  # noqa: BLE001
            parsed.error("the table could not be read.", sheet=sheet)
            continue
        for row_number, row in enumerate(rows, start=1):
            try:
                cells = _distinct_cells(row)
            except Exception:  # noqa: BLE001
                parsed.error("the row could not be read.", sheet=sheet, row=row_number)
                continue
            _read_row(cells, sheet, row_number, state, parsed)
    _last_note_carries_rating(parsed)
    if not parsed.actions and not parsed.errors:
        parsed.error(
            "No action table was found. The document needs tables with the headings "
            "Issue, Action, Owner, Update and RAG Rating under a numbered priority."
        )
    return parsed


def _check_tables(document):
    """Count the tables' rows and cells in the parsed XML (fast) before python-docx walks them
    (slow: it works out merged cells row by row), and refuse a document over the budgets."""
    body = document.element.body
    check_rows(sum(1 for _ in body.iter(qn("w:tr"))), "The Word document's tables")
    check_cells(sum(1 for _ in body.iter(qn("w:tc"))))


def _last_note_carries_rating(parsed):
    """The RAG cell shows the rating at the last update: that note records it."""
    last = {}
    for update in parsed.updates:
        current = last.get(update.action_key)
        if current is None or (update.date or datetime.date.min) >= (current.date or datetime.date.min):
            last[update.action_key] = update
    for action in parsed.actions:
        if action.rag and action.key in last:
            last[action.key].rag = action.rag


def _distinct_cells(row):
    """The row's cells, a horizontally merged cell once (python-docx repeats it per grid column)."""
    cells, seen = [], set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        cells.append(cell)
    return cells


def _read_row(cells, sheet, row_number, state, parsed):
    texts = [cell_text(cell) for cell in cells]
    non_empty = [t for t in texts if t]
    if not non_empty:
        return
    headings = [HEADINGS.get(t.casefold()) for t in texts]
    if "action" in headings and ("issue" in headings or "owner" in headings):
        state["columns"] = {name: i for i, name in enumerate(headings) if name}
        return
    bands = [BAND.match(t) for t in non_empty]
    if all(bands) and len({m[1] for m in bands}) == 1 and (len(set(non_empty)) <= 2 and len(non_empty) <= 2):
        number = int(bands[0][1])
        title = _squash(max((m[2] for m in bands), key=len))
        if number != state["priority"]:
            state.update(priority=number, title=title, issue=None, action=None)
        return
    columns = state["columns"]
    if columns is None:
        parsed.error("this row comes before any Issue / Action / Owner heading row.", sheet=sheet, row=row_number)
        return
    if state["priority"] is None:
        parsed.error("this row comes before any numbered priority band.", sheet=sheet, row=row_number)
        return

    def get(name):
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    issue_text = cell_text(get("issue")) if get("issue") is not None else ""
    action_text = cell_text(get("action")) if get("action") is not None else ""
    owner_text = cell_text(get("owner")) if get("owner") is not None else ""
    if issue_text:
        state["issue"] = issue_text
    notes = _notes(get("update")) if get("update") is not None else []
    rag, status = _rag(get("rag"), sheet, row_number, parsed)
    previous = state["action"]
    if not action_text:
        if previous is not None and (notes or owner_text):
            # A row broken across pages: its notes belong to the action above.
            _add_notes(previous, notes, sheet, row_number, parsed)
            if rag and not previous.rag:
                previous.rag = rag
            return
        parsed.error("the Action cell is empty.", sheet=sheet, row=row_number, column=c.ACTION)
        return
    if previous is not None and action_text == previous.text and issue_text in ("", previous.issue):
        # A vertically merged action cell: more notes for the same action.
        _add_notes(previous, notes, sheet, row_number, parsed)
        return
    action = ActionRow(
        sheet=sheet,
        row=row_number,
        key=f"row:{sheet}:{row_number}",
        priority_number=state["priority"],
        priority_title=state["title"],
        issue=state["issue"] or "",
        text=action_text,
        owners=owner_text,
        owner_label=owner_text[:300] if "/" in owner_text else "",
        rag=rag or "",
        status=status or "",
    )
    parsed.actions.append(action)
    state["action"] = action
    _add_notes(action, notes, sheet, row_number, parsed)


def _rag(cell, sheet, row_number, parsed):
    if cell is None:
        return None, None
    text = cell_text(cell).casefold().strip(" .")
    status = STATUS_CELL_WORDS.get(text)
    by_word = RAG_CELL_WORDS.get(text)
    by_fill = rag_from_fill(cell_fill(cell))
    if text and by_word is None and status is None:
        parsed.warn(
            f"'{cell_text(cell)}' is not a RAG rating; "
            + ("the cell's colour was used." if by_fill else "the action is left not yet rated."),
            sheet=sheet,
            row=row_number,
            column=c.RAG,
        )
    if by_word and by_fill and by_word != by_fill:
        parsed.warn(
            f"the cell says {c.RAG_WORDS[by_word]} but is coloured {c.RAG_WORDS[by_fill]}; the word was used.",
            sheet=sheet,
            row=row_number,
            column=c.RAG,
        )
    return by_word or by_fill, status


def _notes(cell):
    """[(date or None, text, how the date was found)] from the Update cell's paragraphs."""
    notes = []
    for paragraph in cell.paragraphs:
        text = _keep_lines(paragraph.text).strip(BULLETS)
        if not text:
            continue
        leading = LEADING_DATE.match(text)
        if leading:
            rest = text[leading.end() :].strip()
            notes.append((leading[1], rest or text, ""))
            continue
        anywhere = ANY_DATE.search(text)
        if anywhere:
            notes.append((anywhere[1], text, "Date taken from the text of the note."))
        else:
            notes.append((None, text, ""))
    return notes


def _add_notes(action, notes, sheet, row_number, parsed):
    dated = []
    for raw_date, text, how in notes:
        date = None
        if raw_date:
            date, error = c.parse_date(raw_date.replace(".", "/"), two_digit_years=True)
            if error:
                parsed.warn(
                    f"'{raw_date}' in a note is not a date we can read; {error}.",
                    sheet=sheet,
                    row=row_number,
                    column="Update",
                )
                date = None
        dated.append([date, text, how])
    for index, note in enumerate(dated):
        if note[0] is None:
            before = next((n[0] for n in reversed(dated[:index]) if n[0] and not n[2].startswith("No date")), None)
            after = next((n[0] for n in dated[index + 1 :] if n[0] and not n[2].startswith("No date")), None)
            if before or after:
                note[0] = before or after
                note[2] = f"No date in the document; dated as the note {'before' if before else 'after'} it."
            else:
                note[2] = "No date in the document; dated at the start of the plan."
    for date, text, how in dated:
        parsed.updates.append(
            UpdateRow(
                sheet=sheet,
                row=row_number,
                action_key=action.key,
                date=date,
                text=text,
                rag="",
                source_note=how,
                date_note="start" if date is None else "",
            )
        )
