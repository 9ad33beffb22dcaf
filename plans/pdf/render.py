"""Turn a plan's PDF data into HTML and PDF bytes, in this process or in a limited child.

A render of a big plan takes tens of seconds and hundreds of megabytes, so the web
never renders in its own worker: ``render_in_child`` runs ``manage.py export_plan_pdf``
in a child process with a memory limit (``PDF_RENDER_MEMORY_MB``) and a short time limit
(``PDF_DIRECT_TIMEOUT``), holding one of the installation's heavy-work slots
(``partners.slots``). Meeting packs render in a task worker (``render_for_worker``), in the
same limited child with the longer ``PDF_RENDER_TIMEOUT`` and no slot: how many run at once
is the number of workers. Tests set ``PDF_RENDER_IN_PROCESS = True``.
"""

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from partners.pdf import StaticOnlyFetcher, child_command, render_pdf, run_child
from partners.slots import heavy_work_slot

from .data import load_plan_data
from .html import build_html
from .parallel import render_parallel


@dataclass
class RenderResult:
    pdf: bytes
    pages: int
    marking: str
    seconds: float
    restricted_count: int = 0
    refused: tuple = ()

    @property
    def size(self):
        return len(self.pdf)


def render_plan(plan, options, *, user=None, progress=None):
    """Render ``plan`` under ``options`` for ``user`` in this process. ``progress(percent)``
    is called at each stage."""
    progress = progress or (lambda percent: None)
    started = time.perf_counter()
    data = load_plan_data(plan, options, user=user)
    progress(15)
    threshold = settings.PDF_PARALLEL_MIN_ACTIONS
    if threshold and data.action_count >= threshold and len(data.priorities) > 1:
        pdf, pages = render_parallel(data, progress=progress)
        return RenderResult(
            pdf=pdf,
            pages=pages,
            marking=data.marking,
            seconds=time.perf_counter() - started,
            restricted_count=data.restricted_count,
        )
    html = build_html(data)
    progress(25)
    fetcher = StaticOnlyFetcher()
    pdf, document = render_pdf(html, fetcher=fetcher)
    progress(95)
    return RenderResult(
        pdf=pdf,
        pages=len(document.pages),
        marking=data.marking,
        seconds=time.perf_counter() - started,
        restricted_count=data.restricted_count,
        refused=tuple(fetcher.refused),
    )


def render_in_child(plan, options, *, user=None):
    """Render in a child process with the memory limit and the short ``PDF_DIRECT_TIMEOUT``;
    returns a ``RenderResult``.

    Takes a heavy-work slot without waiting: raises ``SlotsBusy`` when every slot is taken,
    and ``RenderFailed`` with the cause when the child fails."""
    with heavy_work_slot(wait=False):
        if settings.PDF_RENDER_IN_PROCESS:
            return render_plan(plan, options, user=user)
        return _render_in_child(plan, options, user=user, timeout=settings.PDF_DIRECT_TIMEOUT)


def render_for_worker(plan, options, *, user=None, progress=None):
    """Render in the task worker: in a limited child process with ``PDF_RENDER_TIMEOUT``
    (in this process with ``PDF_RENDER_IN_PROCESS``). Raises ``RenderFailed`` with the cause."""
    progress = progress or (lambda percent: None)
    if settings.PDF_RENDER_IN_PROCESS:
        return render_plan(plan, options, user=user, progress=progress)
    progress(10)
    return _render_in_child(plan, options, user=user, timeout=settings.PDF_RENDER_TIMEOUT)


def _render_in_child(plan, options, *, user, timeout):
    with tempfile.TemporaryDirectory(prefix="csp-pdf-") as tmp:
        output = Path(tmp) / "plan.pdf"
        summary = Path(tmp) / "summary.json"
        args = [
            "export_plan_pdf",
            plan.slug,
            "--output",
            str(output),
            "--options-json",
            json.dumps(options.to_dict()),
            "--summary-json",
            str(summary),
        ]
        if user is not None:
            args += ["--as-user", str(user.pk)]
        started = time.perf_counter()
        run_child(child_command(*args), output=output, timeout=timeout, label=f"the plan {plan.slug}")
        info = json.loads(summary.read_text())
        return RenderResult(
            pdf=output.read_bytes(),
            pages=info["pages"],
            marking=info["marking"],
            seconds=time.perf_counter() - started,
            restricted_count=info.get("restricted_count", 0),
        )
