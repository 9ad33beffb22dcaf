"""Background renders and imports wait for a heavy-work slot held by another process, and
start once it is given back."""

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from plans.management.commands import render_pack, run_import


@pytest.fixture
def slot_held_by_another_process(settings, tmp_path):
    """The only slot, held by a child that lets go after a moment. It writes the file it
    returns just before letting go: whoever gets the slot next must find that file there."""
    settings.HEAVY_WORK_SLOTS = 1
    folder = Path(settings.MEDIA_ROOT) / "locks"
    folder.mkdir(parents=True)
    released = tmp_path / "released"
    holder = subprocess.Popen(  # noqa: S603 - a test's own child
        [
            sys.executable,
            "-c",
            "import fcntl, pathlib, sys, time; h = open(sys.argv[1], 'a'); fcntl.flock(h, fcntl.LOCK_EX);"
            " print('held', flush=True); time.sleep(1); pathlib.Path(sys.argv[2]).touch();"
            " fcntl.flock(h, fcntl.LOCK_UN); time.sleep(30)",
            str(folder / "heavy-work-0.lock"),
            str(released),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout.readline() == b"held\n"
    yield released
    holder.kill()
    holder.wait()


def test_render_pack_waits_for_the_slot(slot_held_by_another_process, monkeypatch):
    seen = []

    def pack_render(pack_id):
        seen.append(slot_held_by_another_process.exists())
        return type("Pack", (), {"pk": pack_id, "pages": 1, "get_state_display": lambda self: "Ready"})()

    monkeypatch.setattr(render_pack, "pack_render", pack_render)
    call_command("render_pack", "7", stdout=io.StringIO())
    assert seen == [True]  # it ran only once the holder had let go


def test_run_import_waits_for_the_slot(slot_held_by_another_process, monkeypatch):
    seen = []

    def job_run(upload_id):
        seen.append(slot_held_by_another_process.exists())
        return {"state": "done", "done": 1, "total": 1}

    monkeypatch.setattr(run_import, "job_run", job_run)
    call_command("run_import", "abcdefghijklmnopqrstuv", stdout=io.StringIO())
    assert seen == [True]
