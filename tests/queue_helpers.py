"""Running queued tasks inside a test, as a ``db_worker`` would (the real command closes
database connections between tasks, which a test's transaction cannot survive)."""

from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_queued_tasks(worker_id="test-worker"):
    """Claim and run every ready task in the workers' order, with django-tasks-db's own
    ``Worker.run_task`` (which records success or failure); returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker_id)
        worker.run_task(task)
        ran += 1
    return ran
