"""Turn a plan's PDF data into HTML and PDF bytes, in this process or in a limited child.

A render of a big plan takes tens of seconds and hundreds of megabytes, so the web
never renders in its own worker: ``render_in_child`` runs ``manage.py export_plan_pdf``
in a child process with a memory limit (``PDF_RENDER_MEMORY_MB``) and a short time limit
(``PDF_DIRECT_TIMEOUT``), holding one of the installation's heavy-work slots
(``partners.slots``). Background packs use the longer ``PDF_RENDER_TIMEOUT``. Tests set
``PDF_RENDER_IN_PROCESS = True``.
"""

import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from partners.pdf import StaticOnlyFetcher, render_pdf
from partners.slots import heavy_work_slot

from .data import load_plan_data
from .html import build_html
from .parallel import render_parallel

logger = logging.getLogger(__name__)


TIMEOUT = "timeout"
MEMORY = "memory"
CRASHED = "crashed"


class RenderFailed(Exception):
    """The render could not finish; ``cause`` is TIMEOUT, MEMORY or CRASHED and the message
    says so in users' words."""

    def __init__(self, cause, message):
        super().__init__(message)
        self.cause = cause


# What a child that ran out of memory leaves behind: Python's MemoryError, or a C library's
# own words when malloc failed under RLIMIT_AS (Pango, cairo, HarfBuzz, glibc).
MEMORY_SIGNS = (b"MemoryError", b"Cannot allocate memory", b"out of memory", b"bad_alloc")


def failure_cause(returncode, stderr):
    """TIMEOUT, MEMORY or CRASHED from how a render's child ended (its exit status and stderr)."""
    if returncode == -signal.SIGXCPU:
        return TIMEOUT  # RLIMIT_CPU
    # SIGKILL we did not send (our timeout is TimeoutExpired) is the kernel's out-of-memory killer.
    if returncode == -signal.SIGKILL or any(sign.lower() in stderr.lower() for sign in MEMORY_SIGNS):
        return MEMORY
    return CRASHED


def failure_message(cause, timeout):
    return {
        TIMEOUT: f"The PDF took longer than {timeout} seconds to produce.",
        MEMORY: f"The PDF needed more memory than a render may use ({settings.PDF_RENDER_MEMORY_MB} MB).",
        CRASHED: "The PDF could not be produced because of an error.",
    }[cause]


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
    threshold = getattr(settings, "PDF_PARALLEL_MIN_ACTIONS", 0)
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


def child_limits():
    """Run in the child before it starts: cap its address space and CPU time."""
    memory = settings.PDF_RENDER_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = settings.PDF_RENDER_TIMEOUT + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def child_command(*args):
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]


def child_env():
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    return env


def render_in_child(plan, options, *, user=None):
    """Render in a child process with the memory limit and the short ``PDF_DIRECT_TIMEOUT``;
    returns a ``RenderResult``.

    Takes a heavy-work slot without waiting: raises ``SlotsBusy`` when every slot is taken,
    and ``RenderFailed`` with the cause when the child fails."""
    with heavy_work_slot(wait=False):
        if settings.PDF_RENDER_IN_PROCESS:
            return render_plan(plan, options, user=user)
        return _render_in_child(plan, options, user=user, timeout=settings.PDF_DIRECT_TIMEOUT)


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
        try:
            completed = subprocess.run(  # noqa: S603 - our own manage.py, arguments are not shell-parsed
                child_command(*args),
                capture_output=True,
                timeout=timeout,
                preexec_fn=child_limits,  # noqa: PLW1509 - no threads are started before the fork
                env=child_env(),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise RenderFailed(TIMEOUT, failure_message(TIMEOUT, timeout)) from error
        if completed.returncode != 0 or not output.exists():
            cause = failure_cause(completed.returncode, completed.stderr)
            logger.warning(
                "PDF render of %s failed (%s, exit %s): %s",
                plan.slug,
                cause,
                completed.returncode,
                completed.stderr.decode(errors="replace")[-2000:],
            )
            raise RenderFailed(cause, failure_message(cause, timeout))
        info = json.loads(summary.read_text())
        return RenderResult(
            pdf=output.read_bytes(),
            pages=info["pages"],
            marking=info["marking"],
            seconds=time.perf_counter() - started,
            restricted_count=info.get("restricted_count", 0),
        )
