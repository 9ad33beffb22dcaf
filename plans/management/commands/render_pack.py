"""Render one meeting pack (started by the web app in a child process): render_pack <pack id>

Waits for one of the installation's heavy-work slots (HEAVY_WORK_SLOTS), then gives up after
PDF_RENDER_TIMEOUT seconds and marks the pack failed.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from partners.pdf import TIMEOUT, RenderFailed, failure_message
from partners.slots import heavy_work_slot
from plans.pdf.packs import pack_render


def _timeout(signum, frame):
    raise RenderFailed(TIMEOUT, failure_message(TIMEOUT, settings.PDF_RENDER_TIMEOUT))


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("pack_id", type=int)

    def handle(self, *args, pack_id, **options):
        with heavy_work_slot(wait=True):
            signal.signal(signal.SIGALRM, _timeout)
            signal.alarm(settings.PDF_RENDER_TIMEOUT)
            try:
                pack = pack_render(pack_id)
            finally:
                signal.alarm(0)
        self.stdout.write(f"Pack {pack.pk}: {pack.get_state_display()}, {pack.pages or 0} pages")
