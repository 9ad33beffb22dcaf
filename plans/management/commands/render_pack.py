"""Render one meeting pack (started by the web app in a child process): render_pack <pack id>

Gives up after PDF_RENDER_TIMEOUT seconds and marks the pack failed.
"""

import signal

from django.conf import settings
from django.core.management.base import BaseCommand

from plans.pdf.packs import pack_render


class RenderTimeout(Exception):
    pass


def _timeout(signum, frame):
    raise RenderTimeout(f"The PDF took longer than {settings.PDF_RENDER_TIMEOUT} seconds.")


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("pack_id", type=int)

    def handle(self, *args, pack_id, **options):
        signal.signal(signal.SIGALRM, _timeout)
        signal.alarm(settings.PDF_RENDER_TIMEOUT)
        try:
            pack = pack_render(pack_id)
        finally:
            signal.alarm(0)
        self.stdout.write(f"Pack {pack.pk}: {pack.get_state_display()}, {pack.pages or 0} pages")
