"""Large imports confirmed on the web run in a child process, with a progress file.

An import of at least ``IMPORT_BACKGROUND_MIN_ROWS`` rows (actions created or changed plus
updates added) is not saved while the browser waits: ``job_start`` claims a status file
next to the kept upload (MEDIA_ROOT/imports/<upload id>.status.json) and starts
``manage.py run_import <upload id>``. The child (``job_run``) reads the same bytes, plans
the import again, checks it is still exactly the previewed one (the digest), and applies it
in one transaction, writing "rows done of total" to the status file as it goes. When it
fails, nothing is saved and the status file holds the reasons. The browser reads the
status file on a page that refreshes itself (``plans:import_progress``).

No model and no queue: one short JSON file per import, written atomically (temp + rename).
With ``IMPORT_RUN_IN_PROCESS`` (tests) the job runs at once, inside the request.
"""

import json
import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

PENDING, RUNNING, DONE, FAILED = "pending", "running", "done", "failed"
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
STATUS_MAX_AGE_SECONDS = 24 * 60 * 60

# Children we started, polled so none is left a zombie in the web worker.
_children = []


class JobExists(Exception):
    """This upload has been confirmed already: its job is running or has finished."""


def background_min_rows():
    return settings.IMPORT_BACKGROUND_MIN_ROWS


def stuck_after_seconds():
    """A job whose status has not moved for this long has died (killed, out of memory)."""
    return settings.IMPORT_JOB_STUCK_SECONDS


def _folder():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def status_path(upload_id):
    if not ID_PATTERN.match(upload_id or ""):
        raise ValueError("Not an import id")
    return _folder() / f"{upload_id}.status.json"


def _write(upload_id, status):
    """Replace the status file in one step, so a reader never sees half of it."""
    status = {**status, "updated": time.time()}
    path = status_path(upload_id)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".status-", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="utf-8") as stream:
        json.dump(status, stream)
    os.replace(tmp, path)
    return status


def read_status(upload_id):
    """The job's status dict, or None when there is no job for this upload."""
    try:
        status = json.loads(status_path(upload_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if status.get("state") in (PENDING, RUNNING) and time.time() - status.get("updated", 0) > stuck_after_seconds():
        status = _write(
            upload_id,
            {
                **status,
                "state": FAILED,
                "errors": ["The import stopped before it finished (it ran out of time or memory). Nothing was saved."],
            },
        )
    return status


def _update(upload_id, **fields):
    current = json.loads(status_path(upload_id).read_text(encoding="utf-8"))
    return _write(upload_id, {**current, **fields})


def job_start(*, upload_id, entry, digest, total, user):
    """Claim the upload's status file (JobExists if another confirm got there first) and run
    the import in a child process, or at once with ``IMPORT_RUN_IN_PROCESS``."""
    _remove_old_status_files()
    status = {
        "state": PENDING,
        "done": 0,
        "total": total,
        "user_id": user.pk,
        "digest": digest,
        "target": entry["target"],
        "filename": entry["filename"],
        "updates_filename": entry.get("updates_filename", ""),
        "errors": [],
        "started": time.time(),
        "updated": time.time(),
    }
    try:
        with status_path(upload_id).open("x", encoding="utf-8") as stream:
            json.dump(status, stream)
    except FileExistsError:
        raise JobExists(upload_id) from None
    if settings.IMPORT_RUN_IN_PROCESS:
        job_run(upload_id)
    else:
        try:
            _spawn(upload_id)
        except OSError:
            logger.exception("Could not start the import %s", upload_id)
            _update(upload_id, state=FAILED, errors=["The import could not be started. Nothing was saved; try again."])


def _spawn(upload_id):
    _children[:] = [child for child in _children if child.poll() is None]
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    _children.append(
        subprocess.Popen(  # noqa: S603 - our own manage.py with a checked id
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "run_import", upload_id],
            cwd=str(settings.BASE_DIR),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


def job_run(upload_id):
    """Apply the import kept under ``upload_id`` (in the child, or in tests) and record how it
    went in the status file. All or nothing: ``apply_import`` runs in one transaction."""
    from partners.models import Partnership, User

    from ..models import ActionPlan
    from .importer import ImportFailed, apply_import, plan_import
    from .parse_table import parse_upload
    from .rows import FileRefused

    status = read_status(upload_id)
    if status is None or status["state"] != PENDING:
        return status
    _update(upload_id, state=RUNNING)
    folder = _folder()
    try:
        content = (folder / f"{upload_id}.bin").read_bytes()
        updates = (folder / f"{upload_id}-updates.bin").read_bytes() if status["updates_filename"] else None
        user = User.objects.filter(pk=status["user_id"]).first()
        target = status["target"]
        plan, partnership, new_plan = None, None, None
        if "plan" in target:
            plan = ActionPlan.objects.select_related("partnership").get(slug=target["plan"])
        else:
            partnership, new_plan = Partnership.objects.get(slug=target["partnership"]), target["new_plan"]
        parsed = parse_upload(
            content, status["filename"], updates_content=updates, updates_filename=status["updates_filename"]
        )
        result = plan_import(parsed, plan=plan, partnership=partnership, new_plan=new_plan)
        if result.errors:
            raise ImportFailed("The file has problems now that it did not have in the preview; check it again.")
        if result.digest != status["digest"]:
            raise ImportFailed("The plan changed since you previewed the import. Upload the file again to check it.")

        def progress(done, total):
            _update(upload_id, done=done, total=total)

        saved = apply_import(result, user=user, progress=progress)
    except (ImportFailed, FileRefused) as error:
        return _update(upload_id, state=FAILED, errors=[str(error)])
    except Exception:
        logger.exception("Import %s failed", upload_id)
        return _update(upload_id, state=FAILED, errors=["The import failed unexpectedly. Nothing was saved."])
    for name in (f"{upload_id}.bin", f"{upload_id}-updates.bin"):
        (folder / name).unlink(missing_ok=True)
    return _update(
        upload_id,
        state=DONE,
        done=status["total"],
        plan_slug=saved.slug,
        plan_url=saved.get_absolute_url(),
        plan_title=saved.full_title,
        counts={
            "created": len(result.new_actions),
            "changed": len(result.action_changes),
            "updates": len(result.new_updates),
        },
    )


def _remove_old_status_files():
    cutoff = time.time() - STATUS_MAX_AGE_SECONDS
    for path in _folder().glob("*.status.json"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue
