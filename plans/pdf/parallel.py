"""Render a big plan on every core: the front and each priority in its own process, then
merge the parts and number the pages.

Why: WeasyPrint lays a multi-page table out in one process at about 0.1 s a page and keeps
every page in memory until it writes; a 500-action plan takes 500 pages, minutes and
700 MB. Each priority already starts on a new page, so the parts can be laid out apart
(each process holds one part, and is replaced after it) and joined with pypdf; "Page N
of M" is then stamped from a small overlay rendered once M is known.

Each part is a tagged PDF/UA-1 document; ``merge.merge_tagged`` joins their structure
trees into one, and the page numbers are stamped as pagination artifacts, so the merged
PDF is tagged like a plan rendered in one piece.
"""

import io
import multiprocessing
import os

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader

from partners.pdf import render_pdf

from .html import build_html
from .merge import artifact_page, merge_tagged, write_compact


def _render_part(html):
    pdf, document = render_pdf(html)
    return pdf, len(document.pages)


def _workers():
    return max(1, min(len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 2, 4))


def render_parallel(data, *, progress=None, workers=None):
    """PDF bytes and page count of ``data``, rendered in parts on ``workers`` processes."""
    progress = progress or (lambda percent: None)
    parts = [build_html(data, blocks=[], numbered=False)]
    parts += [build_html(data, front=False, blocks=[block], numbered=False) for block in data.priorities]
    # Biggest first, so the last part to finish is a small one.
    order = sorted(range(len(parts)), key=lambda i: -len(parts[i]))
    results = [None] * len(parts)
    context = multiprocessing.get_context("fork")
    with context.Pool(workers or _workers(), maxtasksperchild=1) as pool:
        pending = {index: pool.apply_async(_render_part, (parts[index],)) for index in order}
        for done, index in enumerate(order, start=1):
            # Bounded: a part that never returns (a worker stuck after fork) fails the render
            # instead of hanging it; the render's own limits apply on top.
            results[index] = pending[index].get(timeout=settings.PDF_RENDER_TIMEOUT)
            progress(20 + int(70 * done / len(parts)))

    writer = merge_tagged([pdf for pdf, _pages in results])
    total = len(writer.pages)
    overlay = PdfReader(io.BytesIO(render_pdf(_numbers_html(total), pdf_variant=None)[0]))
    for page, numbers in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(artifact_page(numbers))
        page.compress_content_streams()  # merging left the page's content uncompressed
    writer.add_metadata({"/Title": data.title, "/Author": data.plan.partnership.name})
    out = io.BytesIO()
    write_compact(writer, out)
    progress(95)
    return out.getvalue(), total


def _numbers_html(total):
    return render_to_string("plans/pdf/page_numbers.html", {"pages": range(total)})
