"""Meeting packs: a PDF produced for a meeting, rendered in the background and then frozen.

``pack_request`` records the pack (state "pending") and queues the task
``plans.tasks.render_pack`` in the same transaction (the queue is a table of the same
database: the pack and its task are committed together, and no worker sees the task
before the pack). A worker (``manage.py db_worker``) runs ``pack_render``: the render
itself runs in a child process with the memory limit and ``PDF_RENDER_TIMEOUT``
(``partners.pdf.run_child``), and the worker stores the file with the pack through the
default storage, with its SHA-256, pages and marking.

A render that crashed or timed out is queued once more (a retry can help: a busy machine,
a worker restarted); one that needed more memory than allowed is not (it would again).
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from partners.pdf import CRASHED, MEMORY, TIMEOUT, RenderFailed, failure_message
from partners.queue import WORKER_LOST, queue_place, task_status

from ..models import MeetingPack
from .data import plan_queryset
from .options import PdfOptions
from .render import render_for_worker
from .scrutiny import ScrutinyOptions, render_scrutiny_for_worker, scrutiny_plan_queryset

logger = logging.getLogger(__name__)

UNFINISHED = (MeetingPack.State.PENDING, MeetingPack.State.RUNNING)
# Failures a second attempt may get past; "too big for the memory limit" is not one.
RETRIED_CAUSES = (CRASHED, TIMEOUT)
MAX_ATTEMPTS = 2


def pack_request(*, meeting, plan, options, user, kind=MeetingPack.Kind.MEETING):
    """Record a pack for ``meeting`` with ``options`` and queue its render. A scrutiny pack
    (``kind``) has no meeting and its own options (``plans/pdf/scrutiny.py``)."""
    with transaction.atomic():
        pack = MeetingPack.objects.create(
            kind=kind,
            meeting=meeting,
            plan=plan,
            options=options.to_dict(),
            created_by=user,
            marking="",
        )
        _enqueue(pack.pk, attempt=1)
    pack.refresh_from_db()
    return pack


def _enqueue(pack_id, *, attempt):
    from ..tasks import render_pack

    result = render_pack.enqueue(pack_id, attempt)
    # With the immediate backend (tests) the render has finished by now; the id still tells
    # which task it was.
    MeetingPack.objects.filter(pk=pack_id, attempt=attempt).update(task_id=str(result.id))


def _set(pack_id, attempt, **fields):
    """Change the pack only if it is still this attempt's: a render the schedule gave up on
    cannot overwrite the attempt that replaced it."""
    return MeetingPack.objects.filter(pk=pack_id, attempt=attempt).update(**fields)


def pack_render(pack_id, *, attempt=1):
    """Render pack ``pack_id`` (in the worker) and freeze the file. Runs at most once per
    attempt: the pack is claimed (pending → running) before the render starts."""
    claimed = MeetingPack.objects.filter(pk=pack_id, attempt=attempt, state=MeetingPack.State.PENDING).update(
        state=MeetingPack.State.RUNNING, progress=5
    )
    pack = MeetingPack.objects.select_related("meeting__partnership", "plan__partnership", "created_by").get(pk=pack_id)
    if not claimed:
        return pack
    try:
        result, name = _render(pack, progress=lambda p: _set(pack.pk, attempt, progress=p))
        digest = hashlib.sha256(result.pdf).hexdigest()
        pack.file.save(name, ContentFile(result.pdf), save=False)
        _set(
            pack.pk,
            attempt,
            file=pack.file.name,
            sha256=digest,
            pages=result.pages,
            size=result.size,
            marking=result.marking,
            state=MeetingPack.State.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Pack %s failed (attempt %s)", pack.pk, attempt)
        retry = isinstance(error, RenderFailed) and error.cause in RETRIED_CAUSES
        pack_failed(pack.pk, attempt=attempt, message=_failure_text(error), retry=retry)
    pack.refresh_from_db()
    return pack


def _render(pack, *, progress):
    """The PDF of ``pack``, of its kind, and the name it is stored under."""
    if pack.kind == MeetingPack.Kind.SCRUTINY:
        plan = scrutiny_plan_queryset().get(pk=pack.plan_id)
        result = render_scrutiny_for_worker(plan, ScrutinyOptions.from_dict(pack.options), progress=progress)
        return result, f"{plan.slug}-scrutiny-{pack.pk}.pdf"
    plan = plan_queryset().get(pk=pack.plan_id)
    options = PdfOptions.from_dict(pack.options)
    result = render_for_worker(plan, options, user=pack.created_by, progress=progress)
    return result, f"{plan.slug}-{pack.meeting.date:%Y-%m-%d}-{pack.pk}.pdf"


def pack_failed(pack_id, *, attempt, message, retry):
    """Attempt ``attempt`` failed: queue the next one if ``retry`` and attempts are left,
    otherwise mark the pack failed with ``message`` (in users' words)."""
    if retry and attempt < MAX_ATTEMPTS:
        with transaction.atomic():
            moved = MeetingPack.objects.filter(pk=pack_id, attempt=attempt, state__in=UNFINISHED).update(
                attempt=attempt + 1, state=MeetingPack.State.PENDING, progress=0, error=message, task_id=""
            )
            if moved:
                logger.warning("Pack %s: attempt %s failed (%s); queued again", pack_id, attempt, message)
                _enqueue(pack_id, attempt=attempt + 1)
                return
    MeetingPack.objects.filter(pk=pack_id, attempt=attempt, state__in=UNFINISHED).update(
        state=MeetingPack.State.FAILED, error=message, finished_at=timezone.now()
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


def pack_lost(pack_id):
    """The worker rendering ``pack_id`` stopped (the schedule found its task stale): try once
    more, or say so."""
    pack = MeetingPack.objects.filter(pk=pack_id).first()
    if pack is not None and pack.state in UNFINISHED:
        pack_failed(pack.pk, attempt=pack.attempt, message=WORKER_LOST, retry=True)


def pack_refresh(pack):
    """The pack as the page should show it. A pack whose task failed outside the render
    (an error the render could not catch) is marked failed here, so no page shows
    "rendering" for ever; ``queue_place`` is set while it waits for a worker."""
    pack.queue_place = None
    if pack.state not in UNFINISHED:
        return pack
    if task_status(pack.task_id) == TaskResultStatus.FAILED:
        MeetingPack.objects.filter(pk=pack.pk, attempt=pack.attempt, state__in=UNFINISHED).update(
            state=MeetingPack.State.FAILED,
            error=pack.error or failure_message(CRASHED, settings.PDF_RENDER_TIMEOUT),
            finished_at=timezone.now(),
        )
        pack.refresh_from_db()
        pack.queue_place = None
    elif pack.state == MeetingPack.State.PENDING:
        pack.queue_place = queue_place(pack.task_id)
    return pack
