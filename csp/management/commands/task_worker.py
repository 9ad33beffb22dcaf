"""Run a background task worker that outlives a database restart: task_worker [db_worker's options]

django-tasks-db's ``db_worker`` stops on the first database error it does not expect (the
database restarting, a failover, a dropped connection). Under systemd ``Restart=always``
starts it again; under honcho (``make run``) one process stopping stops them all. This is
``db_worker`` itself, started again in the same process after a database error, waiting
1, 2, 4 … up to 30 seconds while the database is away. A task that was running when the
connection went is failed and queued again once by the schedule's stale-task sweep.
"""

import logging
import time

from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

logger = logging.getLogger(__name__)

MAX_WAIT = 30.0


class Command(DbWorkerCommand):
    help = __doc__

    def handle(self, *args, **options):
        wait = 1.0
        while True:
            started = time.monotonic()
            try:
                return super().handle(*args, **options)
            except DatabaseError as error:
                if time.monotonic() - started > MAX_WAIT:
                    wait = 1.0  # it ran a while: a new outage, not the same one
                cause = f"{error.__class__.__name__}: {error}".strip()
                self.stderr.write(f"Database unreachable ({cause}); trying again in {wait:g} s")
                logger.warning("Task worker lost the database: %s", error)
                for connection in connections.all(initialized_only=True):
                    connection.close()
                self.sleep(wait)
                wait = min(wait * 2, MAX_WAIT)

    def sleep(self, seconds):  # a seam for tests
        time.sleep(seconds)
