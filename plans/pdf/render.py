"""Turn a plan's PDF data into HTML and PDF bytes, in this process or in a limited child.

A render of a big plan takes tens of seconds and hundreds of megabytes, so the web
never renders in its own worker: ``render_in_child`` runs ``manage.py export_plan_pdf``
in a child process with a memory limit (``PDF_RENDER_MEMORY_MB``) and a time limit
(``PDF_RENDER_TIMEOUT``). Tests set ``PDF_RENDER_IN_PROCESS = True``.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from partners.pdf import StaticOnlyFetcher, render_pdf

from .data import load_plan_data
from .html import build_html
from .parallel import render_parallel


class RenderFailed(Exception):
    """The render ran out of time or memory, or crashed."""


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
    """Render in a child process with the memory and time limits; returns a ``RenderResult``.

    Blocks the caller until the child finishes (at most ``PDF_RENDER_TIMEOUT`` seconds)."""
    if getattr(settings, "PDF_RENDER_IN_PROCESS", False):
        return render_plan(plan, options, user=user)
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
                timeout=settings.PDF_RENDER_TIMEOUT,
                preexec_fn=child_limits,  # noqa: PLW1509 - no threads are started before the fork
                env=child_env(),
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise RenderFailed(f"The PDF took longer than {settings.PDF_RENDER_TIMEOUT} seconds.") from error
        if completed.returncode != 0 or not output.exists():
            raise RenderFailed(completed.stderr.decode(errors="replace")[-2000:] or "The PDF render failed.")
        info = json.loads(summary.read_text())
        return RenderResult(
            pdf=output.read_bytes(),
            pages=info["pages"],
            marking=info["marking"],
            seconds=time.perf_counter() - started,
            restricted_count=info.get("restricted_count", 0),
        )
