"""Large imports confirmed on the web are saved by a background task, with their progress.

An import of at least ``IMPORT_BACKGROUND_MIN_ROWS`` rows (actions created or changed plus
updates added) is not saved while the browser waits: ``job_start`` records an ``ImportJob``
for the upload (unique per upload, so a second confirm finds the first) and queues the task
``plans.tasks.run_import`` in the same transaction. The worker (``job_run``) reads the same
bytes from file storage, plans the import again, checks it is still exactly the previewed
one (the digest), and applies it in one transaction, writing "rows done of total" to the
job as it goes. When it fails, nothing is saved and the job holds the reasons. The browser
reads the job on a page that follows it (``plans:import_progress``).
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from partners.queue import WORKER_LOST, queue_place, task_status

from .. import transfer_services as stash
from ..models import ImportJob

logger = logging.getLogger(__name__)

State = ImportJob.State
PENDING, RUNNING, DONE, FAILED = State.PENDING, State.RUNNING, State.DONE, State.FAILED
UNFINISHED = (PENDING, RUNNING)
ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_ATTEMPTS = 2
UNEXPECTED = "The import failed unexpectedly. Nothing was saved."


class JobExists(Exception):
    """This upload has been confirmed already: its job is running or has finished."""


def background_min_rows():
    return settings.IMPORT_BACKGROUND_MIN_ROWS


def job_start(*, upload_id, entry, digest, total, user):
    """Record the job (JobExists if another confirm got there first) and queue its task."""
    if not ID_PATTERN.match(upload_id or ""):
        raise ValueError("Not an import id")
    with transaction.atomic():
        try:
            with transaction.atomic():
                job = ImportJob.objects.create(
                    upload_id=upload_id,
                    user=user,
                    total=total,
                    digest=digest,
                    target=entry["target"],
                    filename=entry["filename"],
                    updates_filename=entry.get("updates_filename", ""),
                )
        except IntegrityError:
            raise JobExists(upload_id) from None
        _enqueue(job.pk, attempt=1)
    return job


def _enqueue(job_id, *, attempt):
    from ..tasks import run_import

    result = run_import.enqueue(job_id, attempt)
    ImportJob.objects.filter(pk=job_id, attempt=attempt).update(task_id=str(result.id))


def get_job(upload_id):
    """The job of ``upload_id`` as its page shows it, or None. A job whose task failed
    outside ``job_run`` is marked failed here, so it is never shown as running for ever."""
    if not ID_PATTERN.match(upload_id or ""):
        return None
    job = ImportJob.objects.filter(upload_id=upload_id).first()
    if job is None:
        return None
    job.queue_place = None
    if job.working and task_status(job.task_id) == TaskResultStatus.FAILED:
        _finish(job.pk, job.attempt, state=FAILED, errors=[UNEXPECTED])
        job.refresh_from_db()
    elif job.state == PENDING:
        job.queue_place = queue_place(job.task_id)
    return job


def _update(job_id, attempt, **fields):
    return ImportJob.objects.filter(pk=job_id, attempt=attempt).update(**fields, updated_at=timezone.now())


def _finish(job_id, attempt, **fields):
    return ImportJob.objects.filter(pk=job_id, attempt=attempt, state__in=UNFINISHED).update(
        **fields, updated_at=timezone.now()
    )


def job_run(job_id, *, attempt=1):
    """Apply the import of job ``job_id`` (in the worker) and record how it went. All or
    nothing: ``apply_import`` runs in one transaction. Claims the job first (pending →
    running), so one attempt runs once."""
    from partners.models import Partnership, User

    from ..models import ActionPlan
    from .importer import ImportFailed, apply_import, plan_import
    from .parse_table import parse_upload
    from .rows import FileRefused

    claimed = ImportJob.objects.filter(pk=job_id, attempt=attempt, state=PENDING).update(
        state=RUNNING, updated_at=timezone.now()
    )
    job = ImportJob.objects.get(pk=job_id)
    if not claimed:
        return job
    try:
        content = stash.read_upload(job.upload_id)
        updates = stash.read_upload(job.upload_id, updates=True) if job.updates_filename else None
        user = User.objects.filter(pk=job.user_id).first()
        target = job.target
        plan, partnership, new_plan = None, None, None
        if "plan" in target:
            plan = ActionPlan.objects.select_related("partnership").get(slug=target["plan"])
        else:
            partnership, new_plan = Partnership.objects.get(slug=target["partnership"]), target["new_plan"]
        parsed = parse_upload(content, job.filename, updates_content=updates, updates_filename=job.updates_filename)
        result = plan_import(parsed, plan=plan, partnership=partnership, new_plan=new_plan)
        if result.errors:
            raise ImportFailed("The file has problems now that it did not have in the preview; check it again.")
        if result.digest != job.digest:
            raise ImportFailed("The plan changed since you previewed the import. Upload the file again to check it.")

        def progress(done, total):
            _update(job.pk, attempt, done=done, total=total)

        saved = apply_import(result, user=user, progress=progress)
    except FileNotFoundError:
        _finish(job.pk, attempt, state=FAILED, errors=["The uploaded file is no longer kept. Upload it again."])
    except (ImportFailed, FileRefused) as error:
        _finish(job.pk, attempt, state=FAILED, errors=[str(error)])
    except Exception:
        logger.exception("Import %s failed", job.upload_id)
        _finish(job.pk, attempt, state=FAILED, errors=[UNEXPECTED])
    else:
        stash.delete_upload(job.upload_id)
        _finish(
            job.pk,
            attempt,
            state=DONE,
            done=job.total,
            result={
                "plan_slug": saved.slug,
                "plan_url": saved.get_absolute_url(),
                "plan_title": saved.full_title,
                "counts": {
                    "created": len(result.new_actions),
                    "changed": len(result.action_changes),
                    "updates": len(result.new_updates),
                },
            },
        )
    job.refresh_from_db()
    return job


def job_lost(job_id):
    """The worker saving ``job_id`` stopped (nothing was saved: one transaction). Queue it
    once more (the digest check makes a second run exactly the previewed import), or fail."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or not job.working:
        return
    if job.attempt < MAX_ATTEMPTS:
        with transaction.atomic():
            if ImportJob.objects.filter(pk=job.pk, attempt=job.attempt, state__in=UNFINISHED).update(
                attempt=job.attempt + 1, state=PENDING, done=0, task_id="", updated_at=timezone.now()
            ):
                _enqueue(job.pk, attempt=job.attempt + 1)
        return
    _finish(job.pk, job.attempt, state=FAILED, errors=[f"{WORKER_LOST} Nothing was saved."])


def job_still_moving(job_id):
    """True while the job's progress moved within ``IMPORT_JOB_STUCK_SECONDS``: a long import
    is alive however long ago it started."""
    recent = timezone.now() - timedelta(seconds=settings.IMPORT_JOB_STUCK_SECONDS)
    return ImportJob.objects.filter(pk=job_id, state=RUNNING, updated_at__gte=recent).exists()
