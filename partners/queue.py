"""What every app's background work needs from the task queue (django-tasks-db, the queue
in the database): a queued task's place in the queue, and the sweep that fails tasks
whose worker died.

django-tasks-db claims a task with ``SELECT … FOR UPDATE SKIP LOCKED`` and marks it
"running"; a worker killed mid-task (SIGKILL, out of memory, the machine gone) never marks
it again, so it would stay "running" for ever. ``fail_stale_tasks`` (run by the schedule)
marks such tasks failed with a message saying so; each app then decides whether the work
is worth queuing again (``plans.tasks.recover_lost``).

It lives in ``partners/``, the ground floor, so every app may use it.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

WORKER_LOST = "The background worker stopped while this was running (it was restarted or ran out of memory)."


class WorkerLost(Exception):
    """Recorded as the failure of a task whose worker stopped without saying how it ended."""


def uses_database_queue():
    return isinstance(task_backends[DEFAULT_TASK_BACKEND_ALIAS], DatabaseBackend)


def queue_place(task_id):
    """1 for the next task a worker will take, 2 for the one after…; None when the task is
    not waiting (running, finished, unknown) or the queue is not in the database."""
    if not task_id or not uses_database_queue():
        return None
    task = DBTaskResult.objects.filter(pk=task_id, status=TaskResultStatus.READY).first()
    if task is None:
        return None
    # The workers' own order: priority (highest first), then run_after, then enqueued_at.
    ahead = DBTaskResult.objects.ready().filter(
        Q(priority__gt=task.priority)
        | Q(priority=task.priority, run_after__lt=task.run_after)
        | Q(priority=task.priority, run_after=task.run_after, enqueued_at__lt=task.enqueued_at)
    )
    return ahead.count() + 1


def task_status(task_id):
    """The queue's status of ``task_id`` (a ``TaskResultStatus``), or None when unknown."""
    if not task_id or not uses_database_queue():
        return None
    return DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()


def fail_stale_tasks(*, older_than_seconds, still_alive=None, recover=None):
    """Mark failed every task "running" for longer than ``older_than_seconds`` (its worker is
    gone: a live worker's renders stop at their own time limit well before), unless
    ``still_alive(task)`` says its work is still moving (an import's progress), and call
    ``recover(task)`` in the same transaction, so no page sees the task failed before its
    work is queued again. Returns the tasks marked. Safe to run twice at once: each task is
    locked and checked again before it is marked."""
    cutoff = timezone.now() - timedelta(seconds=older_than_seconds)
    marked = []
    stale_ids = list(DBTaskResult.objects.running().filter(started_at__lt=cutoff).values_list("pk", flat=True))
    for task_id in stale_ids:
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=task_id, status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
                .first()
            )
            if task is None or (still_alive is not None and still_alive(task)):
                continue
            task.set_failed(WorkerLost(WORKER_LOST))
            if recover is not None:
                recover(task)
        logger.warning("Task %s (%s) lost its worker: marked failed", task.pk, task.task_path)
        marked.append(task)
    return marked
