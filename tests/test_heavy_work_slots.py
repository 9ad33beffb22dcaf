"""A slot taken with ``wait=True`` waits for the one held by another process, and is taken
once it is given back. (Background renders and imports no longer take slots: how many run
at once is the number of task workers.)"""

import subprocess
import sys
from pathlib import Path

import pytest

from partners.slots import heavy_work_slot


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


def test_a_waiting_slot_is_taken_once_the_other_process_lets_go(slot_held_by_another_process):
    with heavy_work_slot(wait=True):
        assert slot_held_by_another_process.exists()  # taken only once the holder had let go
