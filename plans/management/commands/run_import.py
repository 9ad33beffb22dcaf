"""Apply one confirmed import (started by the web app in a child process): run_import <upload id>

Waits for one of the installation's heavy-work slots (HEAVY_WORK_SLOTS), then reads the
upload kept under MEDIA_ROOT/imports/, checks it is still the previewed import, saves it in
one transaction and writes its progress to <upload id>.status.json.
"""

from django.core.management.base import BaseCommand, CommandError

from partners.slots import heavy_work_slot
from plans.transfer.jobs import ID_PATTERN, job_run


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("upload_id")

    def handle(self, *args, upload_id, **options):
        if not ID_PATTERN.match(upload_id):
            raise CommandError("Not an import id.")
        with heavy_work_slot(wait=True):
            status = job_run(upload_id)
        if status is None:
            raise CommandError(f"No import {upload_id} waiting to run.")
        self.stdout.write(f"Import {upload_id}: {status['state']}, {status.get('done', 0)}/{status.get('total', 0)}")
        if status["state"] == "failed":
            raise CommandError("; ".join(status.get("errors", [])))
