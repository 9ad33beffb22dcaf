"""Render an HTML file to a PDF file with the app's static-only fetcher (run by the web app
in a limited child process): render_html_pdf page.html page.pdf
"""

from pathlib import Path

from django.core.management.base import BaseCommand

from partners.pdf import render_pdf


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("html", help="The HTML file to render")
        parser.add_argument("output", help="The PDF file to write")

    def handle(self, *args, html, output, **options):
        pdf, document = render_pdf(Path(html).read_text(encoding="utf-8"))
        Path(output).write_bytes(pdf)
        self.stdout.write(f"Wrote {output}: {len(document.pages)} pages")
