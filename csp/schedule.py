"""What must happen by itself, on a schedule: run by ``manage.py run_schedule`` (a loop, or
``--once`` from cron or a systemd timer).

Each job is idempotent, so two schedulers running at once do no harm; on top of that,
each job runs at most once per period across the installation: the first scheduler to
add the job's key to the database cache (``CACHES["throttle"]``, a table every machine
shares, whose primary key makes the add atomic) runs it, any other skips it.

It lives in ``csp/`` because it coordinates the apps.
"""

import io
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command

from partners.queue import fail_stale_tasks, uses_database_queue
from plans import tasks as plan_tasks
from plans.pdf.packs import remove_old_pdfs
from plans.transfer_services import remove_old_uploads

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every_seconds: int  # 0: every tick
    run: object  # () -> str, what it did in a few words

    def claim(self):
        """True for the one scheduler that runs this job in this period."""
        if not self.every_seconds:
            return True
        return caches["throttle"].add(f"schedule:{self.name}", time.time(), timeout=self.every_seconds)


def send_reminders():
    """Update rounds: reminders due now, and rounds past their deadline closed (their packs
    frozen); statutory duties: their owners reminded before the date."""
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    return out.getvalue().strip() or "done"


def deactivate_dormant():
    """Accounts nobody signed in to for DORMANT_AFTER_DAYS + DEACTIVATE_AFTER_DORMANT_DAYS."""
    out = io.StringIO()
    call_command("deactivate_dormant_accounts", stdout=out)
    return out.getvalue().strip()


def fail_stale():
    """Tasks whose worker died: marked failed, their pack or import queued again once."""
    if not uses_database_queue():
        return ""
    lost = fail_stale_tasks(
        older_than_seconds=settings.TASK_STALE_SECONDS,
        still_alive=plan_tasks.still_alive,
        recover=plan_tasks.recover_lost,
    )
    return f"{len(lost)} task(s) whose worker stopped marked failed" if lost else ""


def remove_uploads():
    """Uploads previewed but never confirmed, and those of finished imports."""
    removed = remove_old_uploads()
    return f"{removed} old upload file(s) removed" if removed else ""


def remove_pdfs():
    """PDFs prepared in the background for one person, PDF_REQUEST_KEEP_DAYS after they asked."""
    removed = remove_old_pdfs(keep_days=settings.PDF_REQUEST_KEEP_DAYS)
    return f"{removed} old prepared PDF(s) removed" if removed else ""


def prune_task_results():
    """Finished task results older than TASK_RESULTS_KEEP_DAYS."""
    if not uses_database_queue():
        return ""
    out = io.StringIO()
    call_command(
        "prune_db_task_results", queue_name="*", min_age_days=settings.TASK_RESULTS_KEEP_DAYS, stdout=out, verbosity=0
    )
    return "done"


JOBS = (
    Job("send_reminders", 0, send_reminders),
    Job("fail_stale_tasks", 0, fail_stale),
    Job("deactivate_dormant_accounts", 60 * 60, deactivate_dormant),
    Job("remove_old_uploads", 60 * 60, remove_uploads),
    Job("remove_old_pdfs", 60 * 60, remove_pdfs),
    Job("prune_task_results", 24 * 60 * 60, prune_task_results),
)


def tick(*, only=None):
    """Run every job that is due (and this scheduler won); returns ``[(name, outcome)]``,
    the outcome "" when there was nothing to do. One job failing is logged and does not
    stop the others."""
    done = []
    for job in JOBS:
        if only and job.name not in only:
            continue
        if not job.claim():
            done.append((job.name, "not due"))
            continue
        try:
            outcome = job.run()
        except Exception as error:
            logger.exception("Scheduled job %s failed", job.name)
            outcome = f"failed: {error}"
        done.append((job.name, outcome))
    return done
