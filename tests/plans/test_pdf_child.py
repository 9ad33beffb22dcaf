"""The PDF renders as they run outside tests: ``manage.py export_plan_pdf`` in a child
process with its memory and time limits, started by a web request (direct PDFs) or by the
meeting pack's task (run here at once, as the worker would).

The child is a new process with its own database connection, so it must see the test
database: these tests commit their data (``transaction=True``) and point the child's
DATABASE_URL at the test database. SQLite's test database lives in memory, where no
other process can see it, so they run on PostgreSQL only (as CI does).
"""

import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from partners.pdf import MEMORY, TIMEOUT, RenderFailed
from plans.models import MeetingPack
from plans.pdf.options import PdfOptions
from plans.pdf.packs import pack_request
from plans.pdf.render import render_for_worker
from tests import factories as f

from .pdf_helpers import build_plan, squash

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the child process cannot see SQLite's in-memory test database; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"),
]

SENSITIVE = squash("Named suspect discussed at MARRG")
ORDINARY = squash("Event at Cowley Hill school with 70 parents")


@pytest.fixture
def child_env(settings, monkeypatch):
    """The children read the test database and write under this test's MEDIA_ROOT."""
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    monkeypatch.setenv(
        "DATABASE_URL",
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}",
    )
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    monkeypatch.delenv("PDF_RENDER_IN_PROCESS", raising=False)
    settings.PDF_RENDER_IN_PROCESS = False


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


def pdftotext(pdf_bytes, tmp_path):
    """The PDF's text as pdftotext reads it, without whitespace (table cells wrap)."""
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf_bytes)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True).stdout.decode()
    return squash(text)


EVERYTHING = PdfOptions(include_sensitive=True, include_closed=True)


def test_an_officer_of_another_team_gets_no_sensitive_note_from_the_child(
    child_env, plan, built, other_officer, tmp_path
):
    result = render_for_worker(plan, EVERYTHING, user=other_officer)
    text = pdftotext(result.pdf, tmp_path)
    assert ORDINARY in text
    assert SENSITIVE not in text
    assert (result.marking, result.restricted_count) == ("OFFICIAL", 1)


def test_a_chair_gets_the_sensitive_note_from_the_child(child_env, plan, built, chair, tmp_path):
    result = render_for_worker(plan, EVERYTHING, user=chair)
    text = pdftotext(result.pdf, tmp_path)
    assert ORDINARY in text
    assert SENSITIVE in text
    assert result.marking == "OFFICIAL-SENSITIVE"
    assert result.pages >= 1


def test_the_child_options_choose_what_is_printed(child_env, plan, built, chair, tmp_path):
    result = render_for_worker(plan, PdfOptions(priority=2, include_sensitive=True), user=chair)
    text = pdftotext(result.pdf, tmp_path)
    assert squash("Venue booked") in text
    assert ORDINARY not in text


def test_a_child_over_its_memory_cap_fails_the_render(child_env, settings, plan, built, chair):
    settings.PDF_RENDER_MEMORY_MB = 200
    with pytest.raises(RenderFailed) as failed:
        render_for_worker(plan, EVERYTHING, user=chair)
    assert failed.value.cause == MEMORY


def test_a_child_over_its_time_limit_fails_the_render(child_env, settings, plan, built, chair):
    settings.PDF_RENDER_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(RenderFailed) as failed:
        render_for_worker(plan, EVERYTHING, user=chair)
    assert failed.value.cause == TIMEOUT
    assert time.monotonic() - started < 10


def _wait_for(pack, seconds=120):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pack.refresh_from_db()
        if pack.state in (MeetingPack.State.DONE, MeetingPack.State.FAILED):
            return pack
        time.sleep(0.25)
    pytest.fail(f"pack {pack.pk} still {pack.state} after {seconds} s")


def test_a_pack_task_renders_in_a_child_and_stores_the_file(child_env, settings, plan, built, chair, tmp_path):
    meeting = f.MeetingFactory(partnership=plan.partnership, title="RAG meeting")
    pack = pack_request(
        meeting=meeting, plan=plan, options=PdfOptions(include_sensitive=True, meeting_title="RAG meeting"), user=chair
    )
    pack = _wait_for(pack)
    assert (pack.state, pack.error) == (MeetingPack.State.DONE, "")
    assert Path(pack.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    text = pdftotext(Path(pack.file.path).read_bytes(), tmp_path)
    assert SENSITIVE in text
    assert pack.marking == "OFFICIAL-SENSITIVE"


def test_a_pack_past_its_time_limit_is_tried_once_more_then_marked_failed(child_env, settings, plan, built, chair):
    issue = built["second"].issues.get()
    for number in range(80):
        f.ActionFactory(issue=issue, text=f"Extra action {number} " + "with a long description " * 20)
    meeting = f.MeetingFactory(partnership=plan.partnership)
    settings.PDF_RENDER_TIMEOUT = 1
    pack = pack_request(meeting=meeting, plan=plan, options=PdfOptions(), user=chair)
    assert (pack.state, pack.attempt) == (MeetingPack.State.FAILED, 2)
    assert pack.error == "The PDF took longer than 1 seconds to produce."
    assert not pack.file


def test_a_pack_child_over_its_memory_cap_fails_as_too_big_and_is_not_retried(child_env, settings, plan, built, chair):
    settings.PDF_RENDER_MEMORY_MB = 200
    meeting = f.MeetingFactory(partnership=plan.partnership)
    pack = pack_request(meeting=meeting, plan=plan, options=PdfOptions(meeting_title="RAG"), user=chair)
    assert (pack.state, pack.attempt) == (MeetingPack.State.FAILED, 1)
    assert "too big for one PDF" in pack.error
    assert not pack.file
