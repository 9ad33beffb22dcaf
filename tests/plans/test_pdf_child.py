"""The PDF renders as they run outside tests: ``manage.py export_plan_pdf`` and
``manage.py render_pack`` in child processes with their memory and time limits.

The child is a new process with its own database connection, so it must see the test
database: these tests commit their data (``transaction=True``) and point the child's
DATABASE_URL at the test database. SQLite's test database lives in memory, where no
other process can see it, so they run on PostgreSQL only (as CI does).
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection

from partners.pdf import MEMORY, TIMEOUT, RenderFailed
from plans.models import MeetingPack
from plans.pdf.options import PdfOptions
from plans.pdf.packs import pack_request
from plans.pdf.render import render_in_child
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
    result = render_in_child(plan, EVERYTHING, user=other_officer)
    text = pdftotext(result.pdf, tmp_path)
    assert ORDINARY in text
    assert SENSITIVE not in text
    assert (result.marking, result.restricted_count) == ("OFFICIAL", 1)


def test_a_chair_gets_the_sensitive_note_from_the_child(child_env, plan, built, chair, tmp_path):
    result = render_in_child(plan, EVERYTHING, user=chair)
    text = pdftotext(result.pdf, tmp_path)
    assert ORDINARY in text
    assert SENSITIVE in text
    assert result.marking == "OFFICIAL-SENSITIVE"
    assert result.pages >= 1


def test_the_child_options_choose_what_is_printed(child_env, plan, built, chair, tmp_path):
    result = render_in_child(plan, PdfOptions(priority=2, include_sensitive=True), user=chair)
    text = pdftotext(result.pdf, tmp_path)
    assert squash("Venue booked") in text
    assert ORDINARY not in text


def test_a_child_over_its_memory_cap_fails_the_render(child_env, settings, plan, built, chair):
    settings.PDF_RENDER_MEMORY_MB = 200
    with pytest.raises(RenderFailed) as failed:
        render_in_child(plan, EVERYTHING, user=chair)
    assert failed.value.cause == MEMORY


def test_a_child_over_its_time_limit_fails_the_render(child_env, settings, plan, built, chair):
    settings.PDF_DIRECT_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(RenderFailed) as failed:
        render_in_child(plan, EVERYTHING, user=chair)
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


def test_a_pack_is_rendered_by_render_pack_in_a_child(child_env, settings, plan, built, chair, tmp_path):
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


def test_render_pack_past_its_time_limit_marks_the_pack_failed(child_env, plan, built, chair, monkeypatch):
    issue = built["second"].issues.get()
    for number in range(80):
        f.ActionFactory(issue=issue, text=f"Extra action {number} " + "with a long description " * 20)
    meeting = f.MeetingFactory(partnership=plan.partnership)
    pack = MeetingPack.objects.create(meeting=meeting, plan=plan, options={}, created_by=chair)
    monkeypatch.setenv("PDF_RENDER_TIMEOUT", "1")
    completed = subprocess.run(
        [sys.executable, str(Path(django_settings.BASE_DIR) / "manage.py"), "render_pack", str(pack.pk)],
        capture_output=True,
        timeout=120,
        check=False,
    )
    pack.refresh_from_db()
    assert pack.state == MeetingPack.State.FAILED, completed.stderr.decode()[-2000:]
    assert pack.error
    assert not pack.file


def _render_pack_running(pack):
    """Whether our ``render_pack`` child for ``pack`` is still alive (a dead one has no command
    line). Only this process's children count: another test worker's pack may have the same id."""
    wanted = f"render_pack\0{pack.pk}\0".encode()
    for process in Path("/proc").glob("[0-9]*"):
        try:
            ours = f"\nPPid:\t{os.getpid()}\n" in (process / "status").read_text()
            if ours and wanted in (process / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def test_a_pack_child_over_its_memory_cap_dies_without_a_file(child_env, settings, plan, built, chair):
    settings.PDF_RENDER_MEMORY_MB = 200
    meeting = f.MeetingFactory(partnership=plan.partnership)
    pack = pack_request(meeting=meeting, plan=plan, options=PdfOptions(meeting_title="RAG"), user=chair)
    deadline = time.monotonic() + 120
    while _render_pack_running(pack) and time.monotonic() < deadline:
        time.sleep(0.25)
    assert not _render_pack_running(pack)
    pack.refresh_from_db()
    assert pack.state != MeetingPack.State.DONE
    assert not pack.file
