"""Large roll-overs confirmed on the web are carried by a background task.

A roll-over of more than ``ROLL_OVER_DIRECT_MAX_ACTIONS`` actions is not carried while the
browser waits (each action costs some 38 queries: docs/performance.md): ``job_start``
records a ``RollOverJob`` with the confirmed choices (ids, as JSON) and queues the task
``plans.tasks.run_roll_over`` in the same transaction. The worker (``job_run``) loads the
choices again and runs ``cycle.plan_roll_over``, which checks them all again (the plans
may have changed since the confirm), in one transaction with the job's end: the actions
are carried and the job says so, or nothing is carried and the job says why. The browser
follows the job on its page (``plans:roll_over_progress``).

One roll-over of a plan at a time: while a job of the plan is queued or running, a second
job is refused (``roll_over_job_one_working_per_plan``) and so is a small roll-over in the
request (``roll_over_now``); both lock the plan's row first, so they take turns.
"""

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone

from partners.queue import WORKER_LOST, queue_place, task_status

from . import cycle
from .models import ActionPlan, Issue, Priority, RollOverJob

logger = logging.getLogger(__name__)

State = RollOverJob.State
QUEUED, RUNNING, DONE, FAILED = State.QUEUED, State.RUNNING, State.DONE, State.FAILED
MAX_ATTEMPTS = 2
NOTHING_CARRIED = "Nothing was carried."
UNEXPECTED = f"The roll-over failed unexpectedly. {NOTHING_CARRIED}"
SAME = "same"  # the choice "the priority and issue of the same titles" (RollOverForm's key)


def runs_in_background(count):
    """Whether a roll-over carrying ``count`` actions is left to a task worker."""
    return count > settings.ROLL_OVER_DIRECT_MAX_ACTIONS


def _under_way(job):
    return ValidationError(
        f"A roll-over of {job.plan.full_title} into {job.target.full_title} is already under way. "
        "Wait for it to finish, then carry any actions it left behind."
    )


def _refuse_while_working(plan):
    job = RollOverJob.objects.working().filter(plan=plan).select_related("plan", "target").first()
    if job is not None:
        raise _under_way(job)


def _lock(plan):
    """Lock the plan's row, so that starting a roll-over and checking none is under way take turns."""
    return ActionPlan.objects.select_for_update(of=("self",)).select_related("partnership").get(pk=plan.pk)


@transaction.atomic
def roll_over_now(*, plan, target, actions, mapping, archive=False):
    """``cycle.plan_roll_over`` while the browser waits, refused while a background
    roll-over of ``plan`` is queued or running."""
    _refuse_while_working(_lock(plan))
    return cycle.plan_roll_over(plan=plan, target=target, actions=actions, mapping=mapping, archive=archive)


def encode_choices(actions, mapping):
    """The confirmed choices as JSON: the action ids and, per source issue, where its
    actions go (``"p<id>"`` a priority, ``"i<id>"`` an issue of the target, ``"same"``)."""

    def key(into):
        if isinstance(into, Issue):
            return f"i{into.pk}"
        return f"p{into.pk}" if isinstance(into, Priority) else SAME

    return {
        "actions": sorted(action.pk for action in actions),
        "mapping": {str(issue_id): key(into) for issue_id, into in mapping.items()},
    }


def decode_choices(choices):
    """``(actions, mapping)`` for ``cycle.plan_roll_over`` from ``encode_choices``' JSON.
    ValidationError when an action, priority or issue chosen no longer exists; the rest
    (still in the plans, still open) is for ``plan_roll_over`` to check."""
    from actions.models import Action

    ids = choices.get("actions", [])
    actions = list(Action.objects.filter(pk__in=ids))
    if len(actions) != len(set(ids)):
        raise ValidationError("Some of the chosen actions have been deleted since the roll-over was confirmed.")
    keys = choices.get("mapping", {})
    wanted = {kind: {int(key[1:]) for key in keys.values() if key[:1] == kind} for kind in "pi"}
    found = {
        "p": Priority.objects.in_bulk(wanted["p"]),
        "i": Issue.objects.select_related("priority").in_bulk(wanted["i"]),
    }
    mapping = {}
    for issue_id, key in keys.items():
        into = None if key == SAME else found[key[:1]].get(int(key[1:]))
        if key != SAME and into is None:
            raise ValidationError(
                "A priority or issue chosen for the carried actions has been removed since the roll-over was confirmed."
            )
        mapping[int(issue_id)] = into
    return actions, mapping


def job_start(*, plan, target, actions, mapping, archive, total, user):
    """Record the roll-over as a job and queue its task (ValidationError when a roll-over
    of ``plan`` is already under way)."""
    with transaction.atomic():
        _refuse_while_working(_lock(plan))
        try:
            with transaction.atomic():
                job = RollOverJob.objects.create(
                    plan=plan,
                    target=target,
                    choices=encode_choices(actions, mapping),
                    archive=archive,
                    total=total,
                    asked_by=user,
                )
        except IntegrityError:
            # Another confirm got there first (SQLite has no row locks to make it wait).
            raise _under_way(RollOverJob.objects.working().select_related("plan", "target").get(plan=plan)) from None
        _enqueue(job.pk, attempt=1)
    job.refresh_from_db()
    return job


def _enqueue(job_id, *, attempt):
    from .tasks import run_roll_over

    result = run_roll_over.enqueue(job_id, attempt)
    RollOverJob.objects.filter(pk=job_id, attempt=attempt).update(task_id=str(result.id))


def _finish(job_id, attempt, **fields):
    """End the job's attempt ``attempt``; 0 when it ended already or another attempt took over."""
    now = timezone.now()
    return RollOverJob.objects.filter(pk=job_id, attempt=attempt, state__in=RollOverJob.WORKING).update(
        **fields, updated_at=now, finished_at=now
    )


class Superseded(Exception):
    """The attempt running was handed to another (its worker was thought lost): undo it."""


def job_run(job_id, *, attempt=1):
    """Carry the actions of job ``job_id`` (in the worker) and record how it went, all in one
    transaction. Claims the job first (queued → running), so one attempt runs once; a retry
    after a crash carries nothing twice (``plan_roll_over`` skips actions already carried)."""
    claimed = RollOverJob.objects.filter(pk=job_id, attempt=attempt, state=QUEUED).update(
        state=RUNNING, updated_at=timezone.now()
    )
    job = RollOverJob.objects.select_related("plan__partnership", "target__partnership").get(pk=job_id)
    if not claimed:
        return job
    try:
        with transaction.atomic():
            actions, mapping = decode_choices(job.choices)
            result = cycle.plan_roll_over(
                plan=job.plan, target=job.target, actions=actions, mapping=mapping, archive=job.archive
            )
            ended = _finish(
                job.pk,
                attempt,
                state=DONE,
                result={"carried": len(result.carried), "already_carried": len(result.already_carried)},
                message=result.message(job.plan, job.target),
            )
            if not ended:
                raise Superseded
    except Superseded:
        logger.warning("Roll-over %s: attempt %s was superseded; undone", job.pk, attempt)
    except ValidationError as error:
        _finish(job.pk, attempt, state=FAILED, message=" ".join([*error.messages, NOTHING_CARRIED]))
    except Exception:
        logger.exception("Roll-over %s failed", job.pk)
        _finish(job.pk, attempt, state=FAILED, message=UNEXPECTED)
    job.refresh_from_db()
    return job


def job_refresh(job):
    """``job`` as its page shows it, with its ``queue_place`` while queued. A job whose task
    failed outside ``job_run`` is marked failed here, so it is never shown as running for ever."""
    job.queue_place = None
    if job.working and task_status(job.task_id) == TaskResultStatus.FAILED:
        _finish(job.pk, job.attempt, state=FAILED, message=UNEXPECTED)
        job.refresh_from_db()
    elif job.state == QUEUED:
        job.queue_place = queue_place(job.task_id)
    return job


def job_lost(job_id):
    """The worker carrying ``job_id`` stopped (nothing was carried: one transaction). Queue it
    once more, or mark it failed with the reason."""
    job = RollOverJob.objects.filter(pk=job_id).first()
    if job is None or not job.working:
        return
    if job.attempt < MAX_ATTEMPTS:
        with transaction.atomic():
            if RollOverJob.objects.filter(pk=job.pk, attempt=job.attempt, state__in=RollOverJob.WORKING).update(
                attempt=job.attempt + 1, state=QUEUED, task_id="", updated_at=timezone.now()
            ):
                _enqueue(job.pk, attempt=job.attempt + 1)
        return
    _finish(job.pk, job.attempt, state=FAILED, message=f"{WORKER_LOST} {NOTHING_CARRIED}")
