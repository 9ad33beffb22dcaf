"""PDF rendering shared by every PDF export (plans, meeting packs, contacts pages), and the
limited child process a render runs in, so that no web worker renders.

WeasyPrint may only read the app's own static files (CSS, fonts, images), named
``static:<path>`` in templates. Every other URL (file:, http:, data: that user text
could smuggle in) is refused and recorded, so no user text can make a render read
a file or call a server.

It lives in ``partners/``, the ground floor, because the contacts page (partners) and the
plans' PDFs and packs (plans) both render: plans imports it, partners never imports plans.
"""

import hashlib
import logging
import mimetypes
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .slots import heavy_work_slot

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
# own words when malloc failed under RLIMIT_AS (Pango, cairo, HarfBuzz, glibc). GLib aborts
# with "Error creating thread" when a new thread's stack no longer fits in the address space.
MEMORY_SIGNS = (b"MemoryError", b"Cannot allocate memory", b"out of memory", b"bad_alloc", b"Error creating thread")


# A child that dies of a signal of its own (a C library dereferencing the NULL that malloc
# returned under RLIMIT_AS, or aborting) after its resident memory reached this share of the
# cap was stopped by the cap: its address space, always larger than what is resident, was full.
CRASH_NEAR_CAP = 0.5
CRASH_SIGNALS = {-signal.SIGSEGV, -signal.SIGBUS, -signal.SIGABRT, -signal.SIGTRAP}


def failure_cause(returncode, stderr, *, peak_bytes=0, cap_bytes=0):
    """TIMEOUT, MEMORY or CRASHED from how a render's child ended: its exit status, its stderr,
    and its peak resident memory against its address-space cap."""
    if returncode == -signal.SIGXCPU:
        return TIMEOUT  # RLIMIT_CPU
    # SIGKILL we did not send (our timeout is TimeoutExpired) is the kernel's out-of-memory killer.
    if returncode == -signal.SIGKILL or any(sign.lower() in stderr.lower() for sign in MEMORY_SIGNS):
        return MEMORY
    if returncode in CRASH_SIGNALS and cap_bytes and peak_bytes >= CRASH_NEAR_CAP * cap_bytes:
        return MEMORY
    return CRASHED


def failure_message(cause, timeout):
    return {
        TIMEOUT: f"The PDF took longer than {timeout} seconds to produce.",
        MEMORY: f"The PDF needed more memory than a render may use ({settings.PDF_RENDER_MEMORY_MB} MB).",
        CRASHED: "The PDF could not be produced because of an error.",
    }[cause]


def child_limits():
    """Run in the child before it starts: cap its address space and CPU time, and let the
    web workers have the processor first (a render may wait; /healthz and pages should not)."""
    os.nice(10)
    memory = settings.PDF_RENDER_MEMORY_MB * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = settings.PDF_RENDER_TIMEOUT + 5
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))


def child_command(*args):
    """``manage.py <args>`` run by this Python."""
    return [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *args]


def child_env():
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    return env


def run_child(command, *, output, timeout, label):
    """Run ``command`` (from ``child_command``) under ``child_limits`` for at most ``timeout``
    seconds; it must write ``output``. Raises ``RenderFailed`` with the cause otherwise."""
    with tempfile.TemporaryFile() as stderr:
        child = subprocess.Popen(  # noqa: S603 - our own manage.py, arguments are not shell-parsed
            command,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            preexec_fn=child_limits,  # noqa: PLW1509 - no threads are started before the fork
            env=child_env(),
        )
        returncode, peak_bytes = _reap(child, timeout)
        if returncode is None:
            raise RenderFailed(TIMEOUT, failure_message(TIMEOUT, timeout))
        stderr.seek(0)
        errors = stderr.read()
    if returncode != 0 or not Path(output).exists():
        cap_bytes = settings.PDF_RENDER_MEMORY_MB * 1024 * 1024
        cause = failure_cause(returncode, errors, peak_bytes=peak_bytes, cap_bytes=cap_bytes)
        logger.warning(
            "PDF render of %s failed (%s, exit %s, peak %d MB): %s",
            label,
            cause,
            returncode,
            peak_bytes // (1024 * 1024),
            errors.decode(errors="replace")[-2000:],
        )
        raise RenderFailed(cause, failure_message(cause, timeout))


def _reap(child, timeout, *, poll=0.02):
    """Wait for ``child`` at most ``timeout`` seconds: ``(exit code, peak resident bytes)``,
    or ``(None, 0)`` after killing it when time ran out. ``os.wait4`` reports the child's own
    peak memory, which ``subprocess`` does not."""
    deadline = time.monotonic() + timeout
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
            return child.returncode, usage.ru_maxrss * 1024  # kilobytes on Linux
        if time.monotonic() >= deadline:
            child.kill()
            child.wait()
            return None, 0
        time.sleep(poll)


STORED_FOLDER = "pdf"


def stored_pdf(html, *, key):
    """The PDF of ``html``, rendered once in a limited child and kept in file storage as
    ``pdf/<key>-<digest of the HTML>.pdf``; later requests for the same HTML are served from
    that file. Whatever changes what the PDF prints changes the HTML and so the file name, so
    nothing has to remember to throw the old file away; older files of ``key`` are removed.

    Rendering takes a heavy-work slot without waiting: ``SlotsBusy`` when none is free."""
    digest = hashlib.sha256(html.encode()).hexdigest()[:32]
    name = f"{STORED_FOLDER}/{key}-{digest}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name) as stored:
            return stored.read()
    with heavy_work_slot(wait=False):
        if settings.PDF_RENDER_IN_PROCESS:
            pdf = render_pdf(html)[0]
        else:
            with tempfile.TemporaryDirectory(prefix="csp-pdf-") as tmp:
                source, output = Path(tmp) / "page.html", Path(tmp) / "page.pdf"
                source.write_text(html, encoding="utf-8")
                command = child_command("render_html_pdf", str(source), str(output))
                run_child(command, output=output, timeout=settings.PDF_DIRECT_TIMEOUT, label=key)
                pdf = output.read_bytes()
    if not default_storage.exists(name):  # another request may have stored it meanwhile
        default_storage.save(name, ContentFile(pdf))
    _, files = default_storage.listdir(STORED_FOLDER)
    for old in files:
        if old.startswith(f"{key}-") and f"{STORED_FOLDER}/{old}" != name:
            default_storage.delete(f"{STORED_FOLDER}/{old}")
    return pdf
