"""The scrutiny pack as it renders outside tests: the pack's task runs ``manage.py
scrutiny_pack`` in the limited child process (PostgreSQL only, see test_pdf_child.py)."""

import shutil
from pathlib import Path

import pytest
from django.db import connection

from plans.models import MeetingPack
from plans.pdf.packs import pack_request
from plans.pdf.scrutiny import ScrutinyOptions

from .pdf_helpers import build_plan, squash
from .test_pdf_child import _wait_for, child_env, pdftotext  # noqa: F401 - child_env is a fixture

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the child process cannot see SQLite's in-memory test database; run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) is not installed"),
]


@pytest.mark.usefixtures("child_env")
def test_a_scrutiny_pack_renders_in_a_child_and_is_stored(
    settings, plan, priority, issue, action, team, chair, tmp_path
):
    build_plan(plan, priority, issue, action, team)
    options = ScrutinyOptions(committee_title="Overview and Scrutiny Committee")
    pack = _wait_for(pack_request(meeting=None, plan=plan, options=options, user=chair, kind=MeetingPack.Kind.SCRUTINY))
    assert (pack.state, pack.error, pack.marking) == (MeetingPack.State.DONE, "", "OFFICIAL")
    assert Path(pack.file.path).is_relative_to(Path(settings.MEDIA_ROOT) / "packs" / plan.partnership.slug / "scrutiny")
    text = pdftotext(Path(pack.file.path).read_bytes(), tmp_path)
    assert squash("For the Overview and Scrutiny Committee") in text
    assert squash("Named suspect discussed at MARRG") not in text
