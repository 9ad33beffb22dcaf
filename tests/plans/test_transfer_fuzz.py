"""Hypothesis makes malformed rows and files: the importer never raises a server error and never
saves part of a file."""

import csv
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from actions.models import Action, ActionUpdate
from plans.models import Priority
from plans.transfer import columns as c
from plans.transfer.columns import clean_text
from plans.transfer.importer import ImportFailed, apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from plans.transfer.rows import FileRefused
from tests.plans.transfer_files import xlsx

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cell_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "1", "0", "-3", "Red", "purple", "09/12/2019", "12/31/2019", "2019-02-30", "=1+1", "@SUM(A1)",
         "Testshire SNT", "Testshire SNTT", "A-1", "a-1", "OFFICIAL-SENSITIVE", "2099-01-01", " ", "\x00", "é"]
    ),
)  # fmt: skip
cell_value = st.one_of(cell_text, st.integers(-5, 5), st.none(), st.floats(allow_nan=True), st.dates())
columns = st.lists(st.sampled_from([*c.ACTION_COLUMNS, "Actoin", "Owner", ""]), min_size=1, max_size=12)
rows = st.lists(st.lists(cell_value, max_size=12), max_size=8)
update_rows = st.lists(st.lists(cell_value, min_size=6, max_size=6), max_size=6)


def _storable(value):
    """What a spreadsheet can hold: no control characters."""
    return clean_text(value) if isinstance(value, str) else value


def _counts():
    return (Action.objects.count(), ActionUpdate.objects.count(), Priority.objects.count())


def _import_all_or_nothing(content, name, plan):
    """Parse, plan and (when clean) apply; anything but a clear refusal is a bug."""
    before = _counts()
    try:
        parsed = parse_upload(content, name)
    except FileRefused:
        assert _counts() == before
        return
    result = plan_import(parsed, plan=plan)
    for problem in result.problems:
        assert str(problem)
    if result.errors:
        # The confirm step is the one that writes: with errors it must refuse and save nothing.
        with pytest.raises(ImportFailed):
            apply_import(result, user=None)
        assert _counts() == before
        return
    apply_import(result, user=None)
    again = plan_import(parse_upload(content, name), plan=plan)
    assert not again.has_changes, "re-importing the same file must change nothing"


@pytest.mark.django_db
@FUZZ
@given(header=columns, body=rows, updates=update_rows)
def test_malformed_workbooks_are_refused_or_imported_whole(plan, team, other_team, header, body, updates):
    content = xlsx(
        [[_storable(v) for v in row] for row in body],
        [[_storable(v) for v in row] for row in updates],
        action_columns=header,
    )
    _import_all_or_nothing(content, "fuzz.xlsx", plan)


@pytest.mark.django_db
@FUZZ
@given(header=columns, body=st.lists(st.lists(cell_text, max_size=12), max_size=8))
def test_malformed_csv_is_refused_or_imported_whole(plan, team, other_team, header, body):
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows(body)
    _import_all_or_nothing(stream.getvalue().encode("utf-8", "surrogatepass"), "fuzz.csv", plan)


@pytest.mark.django_db
@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.xlsx", "a.csv", "a.docx", "a", "a.txt"]))
def test_random_bytes_never_cause_a_server_error(plan, team, content, name):
    _import_all_or_nothing(content, name, plan)


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(min_size=1, max_size=500))
def test_upload_page_answers_every_file_without_a_server_error(client_for, admin, plan, content):
    client = client_for(admin)
    response = client.post(f"/plans/{plan.slug}/import/", {"file": SimpleUploadedFile("x.xlsx", content)})
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code in (200, 400)
    # Confirm with the page's digest when it offers one, as the browser would.
    digest = re.search(r'name="digest" value="([^"]*)"', preview.content.decode())
    confirmed = client.post(response["Location"], {"digest": digest.group(1) if digest else "x"})
    assert confirmed.status_code in (200, 302, 400)
    assert not Action.objects.exists()
