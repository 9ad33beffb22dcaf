"""Run what must happen by itself: run_schedule [--interval 60] [--once] [--only JOB …]

Each tick runs the jobs that are due: reminders and round closing (send_reminders, when
that command exists), failing tasks whose worker died (and queuing their work again once),
removing old uploads, and pruning old task results. Loops every --interval seconds until
stopped (Ctrl-C, SIGTERM); --once runs one tick and exits, for cron or a systemd timer.
Two schedulers at once do no harm: every job is idempotent and runs once per period.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections, connections

from csp.schedule import JOBS, tick


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=60.0, help="Seconds between ticks (default 60).")
        parser.add_argument("--once", action="store_true", help="Run one tick and exit (cron, systemd timers).")
        parser.add_argument("--only", nargs="+", metavar="JOB", help="Run only these jobs.")

    def handle(self, *args, interval, once, only, **options):
        names = {job.name for job in JOBS}
        if only and not set(only) <= names:
            raise CommandError(f"Unknown job(s): {', '.join(sorted(set(only) - names))}. Jobs: {', '.join(names)}.")
        if interval <= 0:
            raise CommandError("--interval must be more than 0.")
        self.running = True
        if not once:
            signal.signal(signal.SIGTERM, self.stop)
            signal.signal(signal.SIGINT, self.stop)
        while True:
            try:
                for name, outcome in tick(only=only):
                    if options["verbosity"] >= 2 or outcome not in ("", "not due"):
                        self.stdout.write(f"{name}: {outcome or 'nothing to do'}")
            except DatabaseError as error:
                # The database restarting: say so and try again at the next tick, not stop.
                if once:
                    raise
                self.stderr.write(f"Database unreachable ({error.__class__.__name__}); trying again next tick")
                for connection in connections.all(initialized_only=True):
                    connection.close()
            if once:
                return
            # As after a request: drop a connection that is too old or broken (a database restart).
            close_old_connections()
            deadline = time.monotonic() + interval
            while self.running and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
            if not self.running:
                self.stdout.write("Schedule stopped.")
                return

    def stop(self, signum, frame):
        self.running = False
