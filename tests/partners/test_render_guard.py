"""The guard of a render in the web worker (``partners.pdf.RenderGuard``): a SIGALRM timer
stops it past its time or its memory growth, in users' words, frees what it held and puts
back whatever used SIGALRM before; outside the main thread it cannot interrupt, so it
refuses the finished render instead."""

import signal
import threading
import time
import weakref

import pytest

from partners import pdf as pdf_module
from partners.pdf import MEMORY, TIMEOUT, RenderFailed, RenderGuard, RenderTimedOut, RenderTooBig

CHUNK = 40 * 1024 * 1024  # above glibc's largest mmap threshold: each chunk is fresh resident memory


def sleeps(seconds):
    time.sleep(seconds)


def loops(seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def allocates(chunks, done):
    held = []
    for _ in range(chunks):
        held.append(b"x" * CHUNK)
        done.append(len(held))
        time.sleep(0.05)


@pytest.mark.parametrize("render", [sleeps, loops])
def test_a_render_past_its_time_is_stopped_in_time(render):
    started = time.monotonic()
    guard = RenderGuard(seconds=0.3, megabytes=10_000)
    with pytest.raises(RenderTimedOut) as stopped, guard:
        render(10)
    # Stopped at a tick just past its 0.3 s (the guard's own clock at the stop), not when
    # the ten-second render ended; then freed what it held (a full gc.collect(), which in
    # a test process holding thousands of tests' objects can take a second or two).
    assert guard.elapsed < 1
    assert time.monotonic() - started < 5
    assert stopped.value.cause == TIMEOUT
    assert str(stopped.value) == "The PDF took longer than 0.3 seconds to produce."


def test_a_library_catching_every_exception_does_not_keep_the_render_going():
    def stubborn():
        for _ in range(100):
            try:
                time.sleep(0.1)
            except Exception:  # noqa: BLE001 - what a library's "log and carry on" does
                pdf_module.logger.debug("carrying on")

    started = time.monotonic()
    guard = RenderGuard(seconds=0.3, megabytes=10_000)
    with pytest.raises(RenderTimedOut), guard:
        stubborn()  # ten seconds if nothing stopped it
    assert guard.elapsed < 1
    assert time.monotonic() - started < 5


def test_a_stop_turned_into_another_error_by_the_render_is_still_a_stop():
    def wraps():
        try:
            time.sleep(10)
        except BaseException as error:
            raise ValueError("could not lay out the table") from error

    with pytest.raises(RenderTimedOut), RenderGuard(seconds=0.2, megabytes=10_000):
        wraps()


def test_other_errors_of_the_render_are_left_to_the_caller():
    with pytest.raises(MemoryError), RenderGuard(seconds=5, megabytes=10_000):
        raise MemoryError


def test_a_render_past_its_memory_is_stopped_before_it_takes_more():
    done = []
    with pytest.raises(RenderTooBig) as stopped, RenderGuard(seconds=60, megabytes=100):
        allocates(12, done)
    assert stopped.value.cause == MEMORY
    assert str(stopped.value) == "The PDF needed more memory than a PDF produced while you wait may use (100 MB)."
    assert len(done) < 12  # interrupted, not refused at the end
    assert isinstance(stopped.value, RenderFailed)


def test_a_render_within_its_limits_is_left_alone_and_measured():
    with RenderGuard(seconds=5, megabytes=500) as guard:
        held = b"x" * CHUNK
        time.sleep(0.25)
    assert len(held) == CHUNK
    assert guard.growth >= CHUNK * 0.9
    assert 0.25 <= guard.elapsed < 5


def test_what_a_stopped_render_held_is_freed():
    left = []

    def render():
        document = type("Document", (), {})()
        document.itself = document  # a cycle: only the garbage collector frees it
        left.append(weakref.ref(document))
        time.sleep(10)

    with pytest.raises(RenderTimedOut), RenderGuard(seconds=0.2, megabytes=10_000):
        render()
    assert left[0]() is None


@pytest.fixture
def someone_elses_alarm():
    """A SIGALRM handler and timer set before the render (pytest-timeout's, say)."""
    calls = []

    def theirs(signum, frame):
        calls.append(signum)

    previous = signal.signal(signal.SIGALRM, theirs)
    signal.setitimer(signal.ITIMER_REAL, 50)
    yield theirs
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    assert calls == []


@pytest.mark.parametrize("seconds", [5, 0.2], ids=["finished", "stopped"])
def test_the_previous_alarm_is_put_back(someone_elses_alarm, seconds):
    try:
        with RenderGuard(seconds=seconds, megabytes=10_000):
            time.sleep(0.4)
    except RenderTimedOut:
        assert seconds == 0.2
    assert signal.getsignal(signal.SIGALRM) is someone_elses_alarm
    assert 48 < signal.getitimer(signal.ITIMER_REAL)[0] <= 50


def test_no_timer_is_left_running_after_the_render():
    previous = signal.getsignal(signal.SIGALRM)
    with pytest.raises(RenderTimedOut), RenderGuard(seconds=0.1, megabytes=10_000):
        time.sleep(5)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGALRM) is previous


def test_the_next_render_after_a_stopped_one_runs_normally():
    with pytest.raises(RenderTimedOut), RenderGuard(seconds=0.1, megabytes=10_000):
        time.sleep(5)
    with RenderGuard(seconds=5, megabytes=10_000):
        time.sleep(0.3)


def _in_a_thread(work):
    outcome = {}

    def run():
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return outcome


def test_outside_the_main_thread_the_render_finishes_and_is_then_refused_for_its_time():
    finished = []

    def work():
        with RenderGuard(seconds=0.1, megabytes=10_000):
            time.sleep(0.4)
            finished.append(True)

    outcome = _in_a_thread(work)
    assert finished == [True]
    assert isinstance(outcome["error"], RenderTimedOut)


def test_outside_the_main_thread_the_peak_memory_is_checked_after_the_render():
    """The memory a render held for a while (sampled by the watcher thread), whatever the
    process's earlier peak: a test before this one in the same worker may have used more."""

    def work():
        with RenderGuard(seconds=60, megabytes=50, interval=0.02):
            held = b"x" * (3 * CHUNK)
            time.sleep(0.3)  # a render holds its documents for seconds
            del held

    outcome = _in_a_thread(work)
    assert isinstance(outcome.get("error"), RenderTooBig)


def test_outside_the_main_thread_signals_are_not_touched(monkeypatch):
    def no_signals(*args):
        raise AssertionError("signal.signal called outside the main thread")

    monkeypatch.setattr(pdf_module.signal, "signal", no_signals)
    outcome = _in_a_thread(lambda: RenderGuard(seconds=5, megabytes=500).__enter__())
    assert "error" not in outcome
