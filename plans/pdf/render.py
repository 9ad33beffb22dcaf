"""Turn a plan's PDF data into HTML and PDF bytes, in this process or in a limited child.

No web view spawns a process. A small selection (within ``estimate_work``'s direct limits,
which bound its memory and time) renders in the web process itself (``render_direct``),
holding one of the machine's heavy-work slots (``partners.slots``) so that at most
``HEAVY_WORK_SLOTS`` render at once, each stopped by a ``RenderGuard`` past
``PDF_DIRECT_TIMEOUT`` or ``PDF_DIRECT_MAX_MEMORY_MB``. Anything bigger is a task: meeting packs and prepared
PDFs render in a task worker (``render_for_worker``), which runs ``manage.py
export_plan_pdf`` in a child process with a memory limit (``PDF_RENDER_MEMORY_MB``) and
``PDF_RENDER_TIMEOUT``; how many run at once is the number of workers. Tests set
``PDF_RENDER_IN_PROCESS = True`` to render the worker's PDFs in the test process.
"""

import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from partners.pdf import (
    MEMORY,
    RenderFailed,
    RenderGuard,
    StaticOnlyFetcher,
    child_command,
    render_pdf,
    run_child,
)
from partners.slots import heavy_work_slot

from .data import load_plan_data
from .html import build_html
from .parallel import render_parallel

DIRECT_MEMORY_MESSAGE = "The PDF needed more memory than the server had free."


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


def render_plan(plan, options, *, user=None, progress=None, parallel=True):
    """Render ``plan`` under ``options`` for ``user`` in this process. ``progress(percent)``
    is called at each stage. ``parallel=False`` renders in one piece whatever the size
    (a big plan's parts each run in a process of their own)."""
    progress = progress or (lambda percent: None)
    started = time.perf_counter()
    data = load_plan_data(plan, options, user=user)
    progress(15)
    return render_data(data, started=started, progress=progress, parallel=parallel)


def render_data(data, *, started, progress=None, parallel=True):
    """The PDF of loaded ``data`` (``load_plan_data``): no query is made from here on."""
    progress = progress or (lambda percent: None)
    threshold = settings.PDF_PARALLEL_MIN_ACTIONS
    if parallel and threshold and data.action_count >= threshold and len(data.priorities) > 1:
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


def render_direct(plan, options, *, user=None):
    """Render a small selection in this (the web) process while the browser waits; returns
    a ``RenderResult``. The caller has checked it is within ``estimate_work``'s direct limits.

    Takes a heavy-work slot without waiting: raises ``SlotsBusy`` when every slot is taken.
    The render (after the data is read: a query stopped half way would spoil the request's
    connection) runs under a ``RenderGuard``: ``RenderTimedOut`` past ``PDF_DIRECT_TIMEOUT``,
    ``RenderTooBig`` past ``PDF_DIRECT_MAX_MEMORY_MB``, and ``RenderFailed`` (MEMORY) when it
    ran out of memory; all three are ``RenderFailed``."""
    with heavy_work_slot(wait=False):
        started = time.perf_counter()
        data = load_plan_data(plan, options, user=user)
        try:
            with RenderGuard():
                return render_data(data, started=started, parallel=False)
        except MemoryError as error:
            raise RenderFailed(MEMORY, DIRECT_MEMORY_MESSAGE) from error


def render_for_worker(plan, options, *, user=None, progress=None):
    """Render in the task worker: in a limited child process with ``PDF_RENDER_TIMEOUT``
    (in this process with ``PDF_RENDER_IN_PROCESS``). Raises ``RenderFailed`` with the cause."""
    progress = progress or (lambda percent: None)
    if settings.PDF_RENDER_IN_PROCESS:
        return render_plan(plan, options, user=user, progress=progress)
    progress(10)
    return _render_in_child(plan, options, user=user, timeout=settings.PDF_RENDER_TIMEOUT)


def _render_in_child(plan, options, *, user, timeout):
    """Only ever called in a task worker: no web view spawns a process."""
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
