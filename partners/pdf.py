"""PDF rendering shared by every PDF export (plans, meeting packs, contacts pages).

WeasyPrint may only read the app's own static files (CSS, fonts, images), named
``static:<path>`` in templates. Every other URL (file:, http:, data: that user text
could smuggle in) is refused and recorded, so no user text can make a render read
a file or call a server.
"""

import logging
import mimetypes

from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

STATIC_SCHEME = "static:"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``static:<path>`` from the static files finders; refuses anything else."""

    def __init__(self):
        super().__init__(allowed_protocols=[])
        self.refused = []
        self.served = []

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_SCHEME):
            relative = url.removeprefix(STATIC_SCHEME).lstrip("/")
            path = finders.find(relative) if ".." not in relative.split("/") else None
            if path:
                self.served.append(relative)
                with open(path, "rb") as handle:
                    body = handle.read()
                content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        self.refused.append(url)
        logger.warning("PDF render refused to fetch %r", url[:200])
        raise ValueError("Only the app's own static files may be used in a PDF.")


def render_pdf(html, *, fetcher=None, pdf_variant="pdf/ua-1", **options):
    """Render an HTML string to PDF bytes with the static-only fetcher.

    Default is a tagged PDF/UA-1 document (title and language come from the HTML's
    <title> and lang). Returns ``(pdf_bytes, document)`` so callers can count pages.
    """
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=STATIC_SCHEME, url_fetcher=fetcher).render(pdf_variant=pdf_variant, **options)
    return document.write_pdf(pdf_variant=pdf_variant, **options), document
