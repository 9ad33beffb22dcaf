"""Hostile files are refused before they cost a web worker its time and memory: the declared
size of a sheet, the rows and cells actually read, what a zip unpacks to, a Word file's tables.

Each test counts what the parser materialised (rows built by openpyxl, rows walked by
python-docx), so a refusal that came only after the expensive work would fail it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from plans.transfer import columns as c
from plans.transfer import parse_docx
from plans.transfer.parse_table import parse_upload
from plans.transfer.rows import FileRefused
from tests.plans.transfer_files import (
    action_row,
    declared_million_rows,
    many_rows,
    without_dimension,
    xlsx,
    zip_bomb,
)


@pytest.fixture
def rows_built(monkeypatch):
    """How many rows openpyxl built (each padded to its width) while parsing."""
    built = []
    original = ReadOnlyWorksheet._get_row

    def counting(self, *args, **kwargs):
        row = original(self, *args, **kwargs)
        built.append(len(row))
        return row

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", counting)
    return built


def _refusal(content, name="plan.xlsx"):
    with pytest.raises(FileRefused) as refused:
        parse_upload(content, name)
    return str(refused.value)


def test_sheet_declaring_every_row_of_excel_is_refused_before_reading_a_row(db, rows_built):
    content = declared_million_rows()
    assert len(content) < 10 * 1024
    message = _refusal(content)
    assert message.startswith("The Actions sheet declares 1,048,576 rows; the most we can read is 30,000.")
    assert rows_built == []


def test_sheet_declaring_too_many_cells_is_refused_before_reading_a_row(db, settings, rows_built):
    settings.IMPORT_MAX_CELLS = 1000
    workbook = Workbook()
    workbook.active.title = c.ACTIONS_SHEET
    workbook.active.append(list(c.ACTION_COLUMNS))
    workbook.active.cell(row=2, column=16384, value="x")
    stream = io.BytesIO()
    workbook.save(stream)
    message = _refusal(stream.getvalue())
    assert "declares 16,384 columns by 2 rows (32,768 cells); the most we can read is 1,000 cells" in message
    assert rows_built == []


def test_last_row_without_a_declared_size_is_refused_without_building_a_million_rows(db, rows_built):
    message = _refusal(without_dimension(declared_million_rows()))
    assert message.startswith("The Actions sheet has more than 30,000 rows; the most we can read is 30,000.")
    # Only the header was built; the gap below it is skipped row by row up to the budget.
    assert rows_built == [len(c.ACTION_COLUMNS)]


def test_a_million_rows_are_refused_from_the_raw_xml_before_openpyxl_parses_them(db, rows_built):
    content = many_rows(1_200_000)
    assert len(content) < 10 * 1024 * 1024  # under the upload limit
    message = _refusal(content)
    assert message.startswith("A sheet of the workbook has more than 30,000 rows; the most we can read is 30,000.")
    assert rows_built == []


def test_too_many_rows_are_refused_before_reading(db, settings, rows_built):
    settings.IMPORT_MAX_ROWS = 50
    content = without_dimension(xlsx([action_row(Reference=f"R-{n}") for n in range(200)]))
    assert "A sheet of the workbook has more than 50 rows; the most we can read is 50." in _refusal(content)
    assert rows_built == []


def test_too_many_cells_are_refused_before_reading(db, settings, rows_built):
    settings.IMPORT_MAX_CELLS = 100
    content = without_dimension(xlsx([action_row(Reference=f"R-{n}") for n in range(50)]))
    assert "The file has more than 100 cells; the most we can read is 100." in _refusal(content)
    assert rows_built == []


def test_cells_far_to_the_right_count_for_the_width_they_make(db, settings, rows_built):
    settings.IMPORT_MAX_CELLS = 20_000
    workbook = Workbook()
    workbook.active.title = c.ACTIONS_SHEET
    workbook.active.append(list(c.ACTION_COLUMNS))
    for row in range(2, 10):
        workbook.active.cell(row=row, column=16384, value="x")
    stream = io.BytesIO()
    workbook.save(stream)
    assert "The file has more than 20,000 cells" in _refusal(without_dimension(stream.getvalue()))
    assert len(rows_built) == 3  # the header, one row of 16,384, and the one that passed the budget


def test_a_plan_within_the_budgets_is_read(db, settings):
    settings.IMPORT_MAX_ROWS = 50
    parsed = parse_upload(xlsx([action_row(Reference=f"R-{n}") for n in range(40)]), "plan.xlsx")
    assert (len(parsed.actions), parsed.errors) == (40, [])


def test_csv_with_too_many_rows_is_refused(db, settings):
    settings.IMPORT_MAX_ROWS = 50
    text = ",".join(c.ACTION_COLUMNS) + "\n" + "1,P,I,A,Team\n" * 100
    assert "The CSV file has more than 50 rows" in _refusal(text.encode(), "plan.csv")


def test_zip_bomb_is_refused_by_its_ratio(db, rows_built):
    content = zip_bomb(50 * 1024 * 1024)
    assert len(content) < 100 * 1024
    assert "times its size, which no action plan does" in _refusal(content)
    assert rows_built == []


def test_file_unpacking_past_the_limit_is_refused(db, settings):
    settings.IMPORT_MAX_UNPACKED_BYTES = 1024 * 1024
    settings.IMPORT_MAX_ZIP_RATIO = 10**6
    message = _refusal(zip_bomb(3 * 1024 * 1024))
    assert message.startswith("The file unpacks to 3 MB; the most we read is 1 MB.")


def _docx_table(rows):
    document = Document()
    table = document.add_table(rows=rows, cols=5)
    table.rows[0].cells[0].text = "Issue"
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()


@pytest.fixture
def docx_rows_walked(monkeypatch):
    walked = []
    original = parse_docx._distinct_cells

    def counting(row):
        walked.append(row)
        return original(row)

    monkeypatch.setattr(parse_docx, "_distinct_cells", counting)
    return walked


def test_word_table_with_too_many_rows_is_refused_before_it_is_walked(db, settings, docx_rows_walked):
    settings.IMPORT_MAX_ROWS = 50
    message = _refusal(_docx_table(60), "plan.docx")
    assert message.startswith("The Word document's tables has more than 50 rows")
    assert docx_rows_walked == []


def test_word_table_with_too_many_cells_is_refused_before_it_is_walked(db, settings, docx_rows_walked):
    settings.IMPORT_MAX_CELLS = 100
    assert "The file has more than 100 cells" in _refusal(_docx_table(30), "plan.docx")
    assert docx_rows_walked == []


def test_import_preview_refuses_the_declared_million_rows_with_a_clear_message(client_for, admin, plan, rows_built):
    client = client_for(admin)
    upload = client.post(
        f"/plans/{plan.slug}/import/", {"file": SimpleUploadedFile("plan.xlsx", declared_million_rows())}
    )
    preview = client.get(upload["Location"])
    page = preview.content.decode()
    assert preview.status_code == 400
    assert "Check the import" in page
    assert "The Actions sheet declares 1,048,576 rows; the most we can read is 30,000." in page
    assert rows_built == []
