"""PDFs rendered in the background: meeting packs (a PDF produced for a meeting, then
frozen) and prepared PDFs (``PdfRequest``: a plan PDF too big to render while the browser
waits, for the person who asked). Both are ``RenderedPdf`` records and go through the same
functions here; only the request and the task differ.

``pack_request`` (``pdf_request``) records the pack (state "pending") and queues the task
``plans.tasks.render_pack`` (``render_pdf_request``) in the same transaction (the queue is a table of the same
database: the pack and its task are committed together, and no worker sees the task
before the pack). A worker (``manage.py db_worker``) runs ``pack_render`` (``pdf_render``): the render
itself runs in a child process with the memory limit and ``PDF_RENDER_TIMEOUT``
(``partners.pdf.run_child``), and the worker stores the file with the pack through the
default storage, with its SHA-256, pages and marking.

A render that crashed or timed out is queued once more (a retry can help: a busy machine,
a worker restarted); one that needed more memory than allowed is not (it would again).
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from partners.pdf import CRASHED, MEMORY, TIMEOUT, RenderFailed, failure_message
from partners.queue import WORKER_LOST, queue_place, task_status

from ..models import MeetingPack, PdfRequest, RenderedPdf
from .data import plan_queryset
from .options import PdfOptions
from .render import render_for_worker
from .scrutiny import ScrutinyOptions, render_scrutiny_for_worker, scrutiny_plan_queryset

logger = logging.getLogger(__name__)

UNFINISHED = (RenderedPdf.State.PENDING, RenderedPdf.State.RUNNING)
LOST = "lost"  # the worker stopped mid-render
# Failures a second attempt may get past; "too big for the memory limit" is not one.
RETRIED_CAUSES = (CRASHED, TIMEOUT)
MAX_ATTEMPTS = 2


def pack_request(*, meeting, plan, options, user, kind=MeetingPack.Kind.MEETING):
    """Record a pack for ``meeting`` with ``options`` and queue its render. A scrutiny pack
    (``kind``) has no meeting and its own options (``plans/pdf/scrutiny.py``)."""
    return _request(MeetingPack, kind=kind, meeting=meeting, plan=plan, options=options, user=user)


def pdf_request(*, plan, options, user):
    """Record a PDF of ``plan`` with ``options`` for ``user`` alone (too big to render while
    the browser waits) and queue its render."""
    return _request(PdfRequest, plan=plan, options=options, user=user)


def _request(model, *, options, user, **fields):
    with transaction.atomic():
        pack = model.objects.create(options=options.to_dict(), created_by=user, marking="", **fields)
        _enqueue(model, pack.pk, attempt=1)
    pack.refresh_from_db()
    return pack


def _task(model):
    from .. import tasks

    return {MeetingPack: tasks.render_pack, PdfRequest: tasks.render_pdf_request}[model]


def _enqueue(model, pack_id, *, attempt):
    result = _task(model).enqueue(pack_id, attempt)
    # With the immediate backend (tests) the render has finished by now; the id still tells
    # which task it was.
    model.objects.filter(pk=pack_id, attempt=attempt).update(task_id=str(result.id))


def _set(model, pack_id, attempt, **fields):
    """Change the pack only if it is still this attempt's: a render the schedule gave up on
    cannot overwrite the attempt that replaced it."""
    return model.objects.filter(pk=pack_id, attempt=attempt).update(**fields)


def pack_render(pack_id, *, attempt=1):
    """Render pack ``pack_id`` (in the worker) and freeze the file."""
    packs = MeetingPack.objects.select_related("meeting__partnership", "plan__partnership", "created_by")
    return _render(packs, pack_id, attempt)


def pdf_render(request_id, *, attempt=1):
    """Render the prepared PDF ``request_id`` (in the worker) for the person who asked."""
    return _render(PdfRequest.objects.select_related("plan__partnership", "created_by"), request_id, attempt)


def _render(queryset, pack_id, attempt):
    """Runs at most once per attempt: the record is claimed (pending → running) before the
    render starts. The PDF holds what its ``created_by`` may read."""
    model = queryset.model
    claimed = model.objects.filter(pk=pack_id, attempt=attempt, state=model.State.PENDING).update(
        state=model.State.RUNNING, progress=5
    )
    pack = queryset.get(pk=pack_id)
    if not claimed:
        return pack
    try:
        result = _produce(pack, progress=lambda p: _set(model, pack.pk, attempt, progress=p))
        digest = hashlib.sha256(result.pdf).hexdigest()
        pack.file.save(pack.file_name(), ContentFile(result.pdf), save=False)
        _set(
            model,
            pack.pk,
            attempt,
            file=pack.file.name,
            sha256=digest,
            pages=result.pages,
            size=result.size,
            marking=result.marking,
            state=model.State.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("%s %s failed (attempt %s)", model.__name__, pack.pk, attempt)
        retry = isinstance(error, RenderFailed) and error.cause in RETRIED_CAUSES
        pack_failed(
            pack.pk, attempt=attempt, message=_failure_text(error), retry=retry, model=model, cause=_cause(error)
        )
    pack.refresh_from_db()
    return pack


def _produce(pack, *, progress):
    """The PDF of ``pack``: a scrutiny pack from its own options and sources, any other the
    plan's PDF with the pack's options, holding what its ``created_by`` may read."""
    if isinstance(pack, MeetingPack) and pack.kind == MeetingPack.Kind.SCRUTINY:
        plan = scrutiny_plan_queryset().get(pk=pack.plan_id)
        return render_scrutiny_for_worker(plan, ScrutinyOptions.from_dict(pack.options), progress=progress)
    plan = plan_queryset().get(pk=pack.plan_id)
    return render_for_worker(plan, PdfOptions.from_dict(pack.options), user=pack.created_by, progress=progress)


def pack_failed(pack_id, *, attempt, message, retry, model=MeetingPack, cause=CRASHED):
    """Attempt ``attempt`` failed: queue the next one if ``retry`` and attempts are left,
    otherwise mark the pack failed with ``message`` (in users' words)."""
    if retry and attempt < MAX_ATTEMPTS:
        with transaction.atomic():
            moved = model.objects.filter(pk=pack_id, attempt=attempt, state__in=UNFINISHED).update(
                attempt=attempt + 1, state=model.State.PENDING, progress=0, error=message, task_id=""
            )
            if moved:
                logger.warning("%s %s: attempt %s failed (%s); queued again", model.__name__, pack_id, attempt, message)
                _enqueue(model, pack_id, attempt=attempt + 1)
                return
    model.objects.filter(pk=pack_id, attempt=attempt, state__in=UNFINISHED).update(
        state=model.State.FAILED, error=message, cause=cause, finished_at=timezone.now()
    )


def _failure_text(error):
    """Why a pack failed, in users' words: the cause a RenderFailed carries (time, memory,
    a crash), out of memory (RLIMIT_AS makes allocations fail as MemoryError), or an error."""
    cause = _cause(error)
    text = str(error) if isinstance(error, RenderFailed) else failure_message(cause, settings.PDF_RENDER_TIMEOUT)
    if cause == MEMORY:
        text += " The plan is too big for one PDF: try one priority at a time."
    return text


def _cause(error):
    if isinstance(error, RenderFailed):
        return error.cause
    return MEMORY if isinstance(error, MemoryError) else CRASHED


def pdf_try_again(pdf):
    """The person who asked tries a failed prepared PDF again (only where a retry can help:
    ``may_try_again``): the same record is queued as a new attempt. Returns whether it was."""
    if not pdf.may_try_again:
        return False
    model = type(pdf)
    with transaction.atomic():
        moved = model.objects.filter(pk=pdf.pk, attempt=pdf.attempt, state=model.State.FAILED).update(
            attempt=pdf.attempt + 1, state=model.State.PENDING, progress=0, error="", cause="", task_id=""
        )
        if moved:
            _enqueue(model, pdf.pk, attempt=pdf.attempt + 1)
    pdf.refresh_from_db()
    return bool(moved)


def remove_old_pdfs(*, keep_days):
    """Prepared PDFs asked for more than ``keep_days`` ago, their files with them (run by the
    schedule). Returns how many went. Safe to run twice at once: deleting a file or a row
    that has gone already does nothing."""
    cutoff = timezone.now() - timedelta(days=keep_days)
    removed = 0
    for pdf in PdfRequest.objects.filter(created_at__lt=cutoff).exclude(state__in=UNFINISHED).only("pk", "file"):
        if pdf.file:
            pdf.file.delete(save=False)
        removed += PdfRequest.objects.filter(pk=pdf.pk).delete()[0]
    return removed


def pack_lost(pack_id, *, model=MeetingPack):
    """The worker rendering ``pack_id`` stopped (the schedule found its task stale): try once
    more, or say so."""
    pack = model.objects.filter(pk=pack_id).first()
    if pack is not None and pack.state in UNFINISHED:
        pack_failed(pack.pk, attempt=pack.attempt, message=WORKER_LOST, retry=True, model=model, cause=LOST)


def pack_refresh(pack):
    """The pack (or prepared PDF) as the page should show it. One whose task failed outside
    the render (an error the render could not catch) is marked failed here, so no page shows
    "rendering" for ever; ``queue_place`` is set while it waits for a worker."""
    model = type(pack)
    pack.queue_place = None
    if pack.state not in UNFINISHED:
        return pack
    if task_status(pack.task_id) == TaskResultStatus.FAILED:
        model.objects.filter(pk=pack.pk, attempt=pack.attempt, state__in=UNFINISHED).update(
            state=model.State.FAILED,
            error=pack.error or failure_message(CRASHED, settings.PDF_RENDER_TIMEOUT),
            cause=pack.cause or CRASHED,
            finished_at=timezone.now(),
        )
        pack.refresh_from_db()
        pack.queue_place = None
    elif pack.state == model.State.PENDING:
        pack.queue_place = queue_place(pack.task_id)
    return pack
