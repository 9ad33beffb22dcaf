"""A fixed number of slots for PDFs rendered while the browser waits (plan PDFs, contacts
PDFs), shared by every web worker on this machine and the children they start.

Each slot is an exclusive ``flock`` on a file under ``HEAVY_WORK_LOCK_DIR``. The kernel drops
a lock when its process ends however it ends (a worker killed on timeout, a child killed by
its memory cap), so a slot can never be left taken. It keeps direct renders from taking
every core and every web worker; background renders and imports are bounded by the number
of task workers instead (docs/deployment.md). The lock files are per machine, never on
shared storage. It lives in ``partners/``, the ground floor, because partners (contacts
PDF) and plans (plan PDFs) both take slots.
"""

import contextlib
import fcntl
import time
from pathlib import Path

from django.conf import settings


class SlotsBusy(Exception):
    """Every slot is taken and the caller chose not to wait."""


def _folder():
    folder = Path(settings.HEAVY_WORK_LOCK_DIR or Path(settings.MEDIA_ROOT) / "locks")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _try_take(folder):
    for number in range(settings.HEAVY_WORK_SLOTS):
        handle = open(folder / f"heavy-work-{number}.lock", "a")  # noqa: SIM115 - held until released
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        return handle
    return None


@contextlib.contextmanager
def heavy_work_slot(*, wait):
    """Hold one slot for the duration of the block.

    ``wait=False`` (a web request): raise ``SlotsBusy`` at once when all are taken, so the
    worker is free to answer others. ``wait=True`` (a background child): wait its turn."""
    folder = _folder()
    while (handle := _try_take(folder)) is None:
        if not wait:
            raise SlotsBusy
        time.sleep(0.5)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()
