"""Meeting packs: a PDF produced for a meeting, rendered in the background and then frozen.

``pack_request`` records the pack (state "pending") and, once the transaction commits,
starts ``manage.py render_pack <id>`` in a child process with the memory and CPU limits
of ``render.child_limits``; the child calls ``pack_render`` which stores the file with
the pack (file storage, not the database), its SHA-256, pages and marking.
"""

import hashlib
import logging
import subprocess
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from partners.pdf import CRASHED, MEMORY, RenderFailed, child_command, child_env, child_limits, failure_message

from ..models import MeetingPack
from .data import plan_queryset
from .options import PdfOptions
from .render import render_plan

logger = logging.getLogger(__name__)

# Children we started, polled so none is left a zombie in the web worker.
_children = []


def pack_request(*, meeting, plan, options, user):
    """Record a pack for ``meeting`` with ``options`` and start rendering it in the background
    (in this process, at once, when ``PDF_RENDER_IN_PROCESS`` is set, as in tests)."""
    with transaction.atomic():
        pack = MeetingPack.objects.create(
            meeting=meeting,
            plan=plan,
            options=options.to_dict(),
            created_by=user,
            marking="",
        )
        if not settings.PDF_RENDER_IN_PROCESS:
            transaction.on_commit(lambda: pack_start(pack))
    if settings.PDF_RENDER_IN_PROCESS:
        pack = pack_render(pack.pk)
    return pack


def pack_start(pack):
    """Start ``manage.py render_pack`` in a child process with the limits; do not wait for it."""
    _children[:] = [child for child in _children if child.poll() is None]
    _children.append(
        subprocess.Popen(  # noqa: S603 - our own manage.py with an integer argument
            child_command("render_pack", str(pack.pk)),
            preexec_fn=child_limits,  # noqa: PLW1509 - nothing threaded runs before the fork
            env=child_env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    )


def _set(pack_id, **fields):
    MeetingPack.objects.filter(pk=pack_id).update(**fields)


def pack_render(pack_id):
    """Render pack ``pack_id`` now (in the child process, or in tests) and freeze the file."""
    pack = MeetingPack.objects.select_related("meeting__partnership", "created_by").get(pk=pack_id)
    if pack.state not in (MeetingPack.State.PENDING, MeetingPack.State.RUNNING):
        return pack
    _set(pack.pk, state=MeetingPack.State.RUNNING, progress=5)
    try:
        plan = plan_queryset().get(pk=pack.plan_id)
        options = PdfOptions.from_dict(pack.options)
        result = render_plan(plan, options, user=pack.created_by, progress=lambda p: _set(pack.pk, progress=p))
        digest = hashlib.sha256(result.pdf).hexdigest()
        name = f"{plan.slug}-{pack.meeting.date:%Y-%m-%d}-{pack.pk}.pdf"
        pack.file.save(name, ContentFile(result.pdf), save=False)
        _set(
            pack.pk,
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
        logger.exception("Pack %s failed", pack.pk)
        _set(pack.pk, state=MeetingPack.State.FAILED, error=_failure_text(error), finished_at=timezone.now())
    pack.refresh_from_db()
    return pack


def _failure_text(error):
    """Why a pack failed, in users' words: the cause a RenderFailed carries (the time limit),
    out of memory (RLIMIT_AS makes allocations fail as MemoryError), or an error."""
    if isinstance(error, RenderFailed):
        return str(error)
    cause = MEMORY if isinstance(error, MemoryError) else CRASHED
    return failure_message(cause, settings.PDF_RENDER_TIMEOUT)


def pack_expire_if_stuck(pack):
    """A child killed by the memory limit cannot say so: a pack still unfinished well past
    the time limit is marked failed. Packs wait for a heavy-work slot first, so the limit
    grows by one render for each full round of unfinished packs asked for before it."""
    unfinished = (MeetingPack.State.PENDING, MeetingPack.State.RUNNING)
    if pack.state in unfinished:
        one_render = timedelta(seconds=settings.PDF_RENDER_TIMEOUT + 60)
        age = timezone.now() - pack.created_at
        if age > one_render:  # only then is the queue worth a query
            ahead = MeetingPack.objects.filter(state__in=unfinished, created_at__lt=pack.created_at).count()
            one_render *= 1 + ahead // settings.HEAVY_WORK_SLOTS
        if age > one_render:
            _set(
                pack.pk,
                state=MeetingPack.State.FAILED,
                error="The render stopped: it ran out of time or memory. Try one priority at a time.",
                finished_at=timezone.now(),
            )
            pack.refresh_from_db()
    return pack
