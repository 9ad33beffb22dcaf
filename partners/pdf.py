"""PDF rendering shared by every PDF export (plans, meeting packs, contacts pages), and the
limited child process a task worker's render runs in (no web view starts a process: small
PDFs render in the web process, holding a heavy-work slot and watched by ``RenderGuard``,
which stops them at ``PDF_DIRECT_TIMEOUT`` or ``PDF_DIRECT_MAX_MEMORY_MB``; big ones are tasks).

WeasyPrint may only read the app's own static files (CSS, fonts, images), named
``static:<path>`` in templates. Every other URL (file:, http:, data: that user text
could smuggle in) is refused and recorded, so no user text can make a render read
a file or call a server.

It lives in ``partners/``, the ground floor, because the contacts page (partners) and the
plans' PDFs and packs (plans) both render: plans imports it, partners never imports plans.
"""

import gc
import hashlib
import logging
import mimetypes
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
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


# The in-process render's guard. A render in the web worker cannot be given RLIMIT_AS or a
# kill -9 of its own (it is the worker), so a SIGALRM timer looks at it every WATCH_INTERVAL
# seconds and stops it by raising inside it, as Ctrl-C stops a script.


class RenderTimedOut(RenderFailed):
    """A render in the web worker ran past ``PDF_DIRECT_TIMEOUT`` seconds."""

    def __init__(self, seconds):
        super().__init__(TIMEOUT, f"The PDF took longer than {seconds:g} seconds to produce.")


class RenderTooBig(RenderFailed):
    """A render in the web worker grew the worker's memory by more than ``PDF_DIRECT_MAX_MEMORY_MB``."""

    def __init__(self, megabytes):
        super().__init__(
            MEMORY, f"The PDF needed more memory than a PDF produced while you wait may use ({megabytes:g} MB)."
        )


class _Stop(BaseException):  # noqa: N818 - not an error: the watchdog's order to stop
    """Raised inside the render by the SIGALRM handler. A BaseException, like KeyboardInterrupt,
    so that a library's ``except Exception`` (WeasyPrint logs and skips a broken image) does
    not swallow it; the guard turns it into ``RenderTimedOut`` or ``RenderTooBig``."""

    def __init__(self, cause):
        super().__init__(cause)
        self.cause = cause


WATCH_INTERVAL = 0.1
MB = 1024 * 1024
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes():
    """This process's resident memory now (Linux's /proc; elsewhere its peak so far)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE
    except OSError:
        return peak_resident_bytes()


def peak_resident_bytes():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux


class RenderGuard:
    """Stop a render in this process once it has run ``seconds`` or grown this process's
    resident memory by ``megabytes`` above what it was when the block began.

        with RenderGuard():
            pdf = render_pdf(html)[0]

    In the main thread (a gunicorn sync worker) a SIGALRM every ``interval`` seconds checks
    both and, past either, raises inside the render; the block then raises
    ``RenderTimedOut`` or ``RenderTooBig`` (``RenderFailed``, TIMEOUT or MEMORY), with the
    render's objects freed (``gc.collect()``). The previous SIGALRM handler and timer are put
    back on the way out. A long C call (one Pango layout) is only stopped when it returns.

    In any other thread (``runserver``'s threads) signals cannot be used: nothing interrupts
    the render, but a watcher thread samples the memory every ``interval`` meanwhile, and the
    same limits are checked when it ends (the time taken, the largest growth sampled, and the
    process's peak if it rose) so that a render past them is refused all the same.

    Keep database queries out of the block: a query stopped half way would leave the
    connection unusable for the rest of the request. ``growth`` and ``elapsed`` say what the
    render used (``growth`` from the samples and the process's peak)."""

    def __init__(self, *, seconds=None, megabytes=None, interval=WATCH_INTERVAL):
        self.seconds = settings.PDF_DIRECT_TIMEOUT if seconds is None else seconds
        self.megabytes = settings.PDF_DIRECT_MAX_MEMORY_MB if megabytes is None else megabytes
        self.interval = interval
        self.interrupts = threading.current_thread() is threading.main_thread()
        self.armed = False
        self.growth = 0
        self.elapsed = 0.0

    def over(self):
        """TIMEOUT or MEMORY when a limit has been passed, else None; records what was used."""
        self.elapsed = time.monotonic() - self.started
        self.growth = max(self.growth, resident_bytes() - self.start_bytes)
        if self.growth > self.megabytes * MB:
            return MEMORY
        if self.elapsed > self.seconds:
            return TIMEOUT
        return None

    def _tick(self, signum, frame):
        # Never raise inside the guard's own code: __exit__ must get to put the timer back.
        if self.armed and (frame is None or frame.f_code not in _GUARD_CODE) and (cause := self.over()):
            raise _Stop(cause)

    def __enter__(self):
        self.start_bytes = resident_bytes()
        self.start_peak = peak_resident_bytes()
        self.started = time.monotonic()
        if self.interrupts:
            self.previous_handler = signal.signal(signal.SIGALRM, self._tick)
            signal.siginterrupt(signal.SIGALRM, False)  # C libraries' reads restart, not fail with EINTR
            self.previous_timer = signal.setitimer(signal.ITIMER_REAL, self.interval, self.interval)
            self.armed = True
        else:
            # No signal here: sample the growth from a thread, to judge the render when it ends
            # (the process's peak alone misses a render that stays under an earlier peak).
            self.watching = threading.Event()
            self.watcher = threading.Thread(target=self._watch, name="render-guard", daemon=True)
            self.watcher.start()
        return self

    def _watch(self):
        while not self.watching.wait(self.interval):
            self.growth = max(self.growth, resident_bytes() - self.start_bytes)

    def __exit__(self, kind, error, trace):
        if self.interrupts:
            self._disarm()
        else:
            self.watching.set()
            self.watcher.join()
        if stop := _stop_in(error):
            cause = stop.cause
        elif kind is None:
            peak = peak_resident_bytes()
            if peak > self.start_peak:  # a new peak for this process was reached in this render
                self.growth = max(self.growth, peak - self.start_bytes)
            cause = self.over()
        else:
            return False
        if cause is None:
            return False
        if trace is not None:
            traceback.clear_frames(trace)  # the render's finished frames hold its documents
        gc.collect()
        logger.warning(
            "In-process PDF render refused (%s) after %.1f s, memory grown by %d MB",
            cause,
            self.elapsed,
            self.growth // MB,
        )
        raise (RenderTimedOut(self.seconds) if cause == TIMEOUT else RenderTooBig(self.megabytes)) from None

    def _disarm(self):
        self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self.previous_handler)
        delay, interval = self.previous_timer
        if delay:  # someone else's timer (pytest-timeout, say): give it back what is left
            left = delay - (time.monotonic() - self.started)
            signal.setitimer(signal.ITIMER_REAL, max(left, 0.001), interval)


def _stop_in(error, depth=10):
    """The watchdog's ``_Stop`` that ``error`` is, or was raised while handling (code that
    turns whatever it catches into an error of its own), else None."""
    while error is not None and depth:
        if isinstance(error, _Stop):
            return error
        error, depth = error.__cause__ or error.__context__, depth - 1
    return None


_GUARD_CODE = {
    function.__code__
    for function in (
        RenderGuard.__enter__,
        RenderGuard.__exit__,
        RenderGuard._disarm,
        _stop_in,
        RenderGuard.over,
        RenderGuard._tick,
        resident_bytes,
        peak_resident_bytes,
    )
}


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
    """The PDF of ``html``, rendered once (in this process) and kept in file storage as
    ``pdf/<key>-<digest of the HTML>.pdf``; later requests for the same HTML are served from
    that file. Whatever changes what the PDF prints changes the HTML and so the file name, so
    nothing has to remember to throw the old file away; older files of ``key`` are removed.

    For small pages only (the contacts page): no process is started. Rendering takes a
    heavy-work slot without waiting: ``SlotsBusy`` when none is free; ``RenderFailed``
    (MEMORY) when it ran out of memory, ``RenderTimedOut`` or ``RenderTooBig`` when its
    ``RenderGuard`` stopped it."""
    digest = hashlib.sha256(html.encode()).hexdigest()[:32]
    name = f"{STORED_FOLDER}/{key}-{digest}.pdf"
    if default_storage.exists(name):
        with default_storage.open(name) as stored:
            return stored.read()
    with heavy_work_slot(wait=False):
        try:
            with RenderGuard():
                pdf = render_pdf(html)[0]
        except MemoryError as error:
            raise RenderFailed(MEMORY, "The PDF needed more memory than the server had free.") from error
    if not default_storage.exists(name):  # another request may have stored it meanwhile
        default_storage.save(name, ContentFile(pdf))
    _, files = default_storage.listdir(STORED_FOLDER)
    for old in files:
        if old.startswith(f"{key}-") and f"{STORED_FOLDER}/{old}" != name:
            default_storage.delete(f"{STORED_FOLDER}/{old}")
    return pdf
