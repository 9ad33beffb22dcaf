"""Moving action plans in and out: spreadsheets (XLSX, CSV), legacy Word tables, the analyst feed.

- ``columns``: the stable column names, value words and date formats (docs/import-export.md);
- ``export``: a plan as rows, as XLSX and as CSV;
- ``rows``: what the parsers read a file into (action and update rows, located problems) and
  ``FileRefused``;
- ``parse_table``: an uploaded XLSX/CSV read into rows, every problem located by sheet, row and column;
- ``parse_docx``: a Word action plan (Issue / Action / Owner / Update / RAG Rating tables) read into the same rows;
- ``importer``: the rows planned against a plan (what will be created and changed: the preview), then
  applied in one transaction.
"""
