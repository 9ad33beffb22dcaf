"""A direct PDF never holds a web worker for long: the size gate counts the work printed (a
bigger selection is offered "Prepare the PDF" instead), the machine's heavy-work slots
refuse a request at once when full (503, Retry-After), and a failed render says why. A
worker's render says why too (out of memory, timed out, an error), learnt from a real child
process with real limits."""

import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from csp import settings as configured
from partners.pdf import CRASHED, MEMORY, TIMEOUT, RenderFailed, failure_cause
from partners.slots import SlotsBusy, heavy_work_slot
from plans.pdf import render as render_module
from plans.pdf.data import estimate_work, load_plan_data
from plans.pdf.options import PdfOptions
from plans.pdf.render import DIRECT_MEMORY_MESSAGE, render_data, render_direct, render_for_worker
from tests import factories as f
from tests.render_helpers import heavier

from .pdf_helpers import LAST_MEETING, build_plan, pdf_text


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


@pytest.fixture
def in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


def download_url(plan, **params):
    return reverse("plans:pdf", args=[plan.slug]) + "?" + urlencode({"download": 1, "include_closed": "on", **params})


def _child_running(monkeypatch, code):
    """The render's child is a real process running ``code`` under the real limits."""
    monkeypatch.setattr(render_module, "child_command", lambda *args: [sys.executable, "-c", code])


# The size gate


def test_estimate_counts_actions_updates_and_characters_printed(plan, built, action):
    work = estimate_work(plan, PdfOptions())
    assert (work.actions, work.updates) == (3, 6)
    assert work.characters > len(action.text) + len("Event at Meryfield primary school with 140 people")


def test_estimate_follows_the_options(plan, built):
    assert estimate_work(plan, PdfOptions(priority=2)).updates == 1
    assert estimate_work(plan, PdfOptions(since=LAST_MEETING)).updates < estimate_work(plan, PdfOptions()).updates


def test_few_actions_with_many_updates_are_prepared_in_the_background(
    client_for, chair, plan, built, action, settings, in_process
):
    f.UpdateFactory.create_batch(20, action=action)
    settings.PDF_DIRECT_MAX_UPDATES = 10
    response = client_for(chair).get(download_url(plan))
    page = response.content.decode()
    assert response.status_code == 200
    assert "This PDF is too big to produce while you wait: it would print 26 updates (at most 10)." in page
    assert "Prepare the PDF" in page


def test_long_text_is_prepared_in_the_background(client_for, chair, plan, built, settings, in_process):
    settings.PDF_DIRECT_MAX_CHARACTERS = 100
    page = client_for(chair).get(download_url(plan)).content.decode()
    assert re.search(r"it would print [\d,]+ characters of text \(at most 100\)", page)


def test_a_selection_within_every_budget_renders(client_for, chair, plan, built, settings, in_process):
    settings.PDF_DIRECT_MAX_UPDATES = 6
    response = client_for(chair).get(download_url(plan))
    assert response.status_code == 200
    assert "Cowley Hill" in pdf_text(response.content)


# Slots


def test_direct_pdf_is_refused_at_once_when_every_slot_is_busy(client_for, chair, plan, built, settings, in_process):
    settings.HEAVY_WORK_SLOTS = 1
    with heavy_work_slot(wait=False):
        response = client_for(chair).get(download_url(plan))
    page = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.PDF_DIRECT_TIMEOUT)
    assert "Download the plan as a PDF" in page
    assert "Other PDFs are being produced right now. Try again in a minute" in page


def test_slots_are_shared_with_other_processes_and_freed_when_they_end(settings):
    settings.HEAVY_WORK_SLOTS = 1
    folder = Path(settings.MEDIA_ROOT) / "locks"
    folder.mkdir(parents=True)
    holder = subprocess.Popen(  # noqa: S603 - a test's own child
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time; h = open(sys.argv[1], 'a'); fcntl.flock(h, fcntl.LOCK_EX);"
            " print('held', flush=True); time.sleep(60)",
            str(folder / "heavy-work-0.lock"),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline() == b"held\n"
        with pytest.raises(SlotsBusy), heavy_work_slot(wait=False):
            pass
    finally:
        holder.kill()
        holder.wait()
    with heavy_work_slot(wait=False):
        pass


def _out_of_memory(*args, **kwargs):
    raise MemoryError


def test_a_slot_is_given_back_after_a_failed_render(plan, settings, monkeypatch):
    settings.HEAVY_WORK_SLOTS = 1
    monkeypatch.setattr(render_module, "render_data", _out_of_memory)
    for _ in range(2):
        with pytest.raises(RenderFailed):
            render_direct(plan, PdfOptions())


# The real cause, from a real child (of a task worker) with real limits


def test_child_hitting_its_memory_cap_is_reported_as_out_of_memory(plan, settings, monkeypatch):
    settings.PDF_RENDER_IN_PROCESS = False
    settings.PDF_RENDER_MEMORY_MB = 300
    _child_running(monkeypatch, "x = bytearray(600 * 1024 * 1024)")
    with pytest.raises(RenderFailed) as failed:
        render_for_worker(plan, PdfOptions())
    assert failed.value.cause == MEMORY
    assert str(failed.value) == "The PDF needed more memory than a render may use (300 MB)."


def test_child_over_its_time_is_reported_as_timed_out(plan, settings, monkeypatch):
    settings.PDF_RENDER_IN_PROCESS = False
    settings.PDF_RENDER_TIMEOUT = 1
    _child_running(monkeypatch, "import time; time.sleep(30)")
    with pytest.raises(RenderFailed) as failed:
        render_for_worker(plan, PdfOptions())
    assert failed.value.cause == TIMEOUT
    assert str(failed.value) == "The PDF took longer than 1 seconds to produce."


def test_child_that_crashes_is_reported_as_an_error(plan, settings, monkeypatch):
    settings.PDF_RENDER_IN_PROCESS = False
    _child_running(monkeypatch, "raise ValueError('no such font')")
    with pytest.raises(RenderFailed) as failed:
        render_for_worker(plan, PdfOptions())
    assert failed.value.cause == CRASHED
    assert "no such font" not in str(failed.value)


def test_cpu_limit_and_the_kernel_killer_are_told_apart():
    import signal

    assert failure_cause(-signal.SIGXCPU, b"") == TIMEOUT
    assert failure_cause(-signal.SIGKILL, b"") == MEMORY
    assert failure_cause(-signal.SIGSEGV, b"cairo: out of memory") == MEMORY
    assert failure_cause(1, b"Traceback ... KeyError") == CRASHED


def test_a_silent_crash_near_the_memory_cap_is_the_cap_and_far_from_it_a_crash():
    """A C library that dereferences the NULL malloc returned under RLIMIT_AS dies of SIGSEGV
    without a word (seen in CI at 152 MB resident under a 200 MB cap)."""
    import signal

    cap = 200 * 1024 * 1024
    assert failure_cause(-signal.SIGSEGV, b"", peak_bytes=152 * 1024 * 1024, cap_bytes=cap) == MEMORY
    assert failure_cause(-signal.SIGABRT, b"", peak_bytes=100 * 1024 * 1024, cap_bytes=cap) == MEMORY
    assert failure_cause(-signal.SIGSEGV, b"", peak_bytes=99 * 1024 * 1024, cap_bytes=cap) == CRASHED
    assert failure_cause(1, b"Traceback ... KeyError", peak_bytes=190 * 1024 * 1024, cap_bytes=cap) == CRASHED


def test_page_says_the_direct_render_ran_out_of_memory(client_for, chair, plan, built, monkeypatch):
    monkeypatch.setattr(render_module, "render_data", _out_of_memory)
    response = client_for(chair).get(download_url(plan))
    page = response.content.decode()
    assert response.status_code == 503
    assert "Download the plan as a PDF" in page
    assert DIRECT_MEMORY_MESSAGE in page
    assert "Prepare the PDF" in page


# The guard of a direct render (partners.pdf.RenderGuard), on the real render


def test_a_direct_render_past_its_time_is_stopped_and_offers_to_prepare_it(
    client_for, chair, plan, built, settings, in_process
):
    settings.PDF_DIRECT_TIMEOUT = 0.01
    response = client_for(chair).get(download_url(plan))
    page = response.content.decode()
    assert response.status_code == 503
    assert "The PDF took longer than 0.01 seconds to produce." in page
    assert "Prepare the PDF" in page


def test_a_direct_render_past_its_memory_is_stopped_and_offers_to_prepare_it(
    client_for, chair, plan, built, settings, in_process, monkeypatch
):
    settings.PDF_DIRECT_MAX_MEMORY_MB = 50
    monkeypatch.setattr(render_module, "render_pdf", heavier(render_module.render_pdf))
    response = client_for(chair).get(download_url(plan))
    page = response.content.decode()
    assert response.status_code == 503
    assert "The PDF needed more memory than a PDF produced while you wait may use (50 MB)." in page
    assert "Prepare the PDF" in page


@pytest.mark.parametrize("timeout", [0.05, 0.3, 0.8])
def test_after_a_stopped_render_the_same_process_renders_the_next_pdf(
    client_for, chair, plan, built, settings, in_process, timeout
):
    """Stopped at different points of WeasyPrint's work: nothing it leaves behind spoils the next."""
    client = client_for(chair)
    settings.PDF_DIRECT_TIMEOUT = timeout
    stopped = client.get(download_url(plan))
    settings.PDF_DIRECT_TIMEOUT = 120
    response = client.get(download_url(plan))
    assert stopped.status_code in (200, 503)  # a fast machine may finish within 0.8 s
    assert response.status_code == 200
    assert "Cowley Hill" in pdf_text(response.content)


def test_the_guarded_part_of_a_direct_render_asks_the_database_nothing(plan, built, django_assert_num_queries):
    """A query stopped half way would spoil the request's connection: reads come first."""
    data = load_plan_data(plan, PdfOptions())
    with django_assert_num_queries(0):
        render_data(data, started=0, parallel=False)


def test_pack_that_runs_out_of_memory_says_so(chair, plan, built, settings, monkeypatch):
    from plans.pdf import packs

    settings.PDF_RENDER_IN_PROCESS = True

    def out_of_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(packs, "render_for_worker", out_of_memory)
    meeting = f.MeetingFactory(partnership=plan.partnership)
    pack = packs.pack_request(meeting=meeting, plan=plan, options=PdfOptions(), user=chair)
    assert pack.state == pack.State.FAILED
    assert pack.error == (
        "The PDF needed more memory than a render may use (1500 MB)."
        " The plan is too big for one PDF: try one priority at a time."
    )
    assert pack.attempt == 1  # not tried again: it would need the same memory


def test_direct_render_gives_up_before_gunicorn_would_kill_the_worker():
    readme = (Path(django_settings.BASE_DIR) / "README.md").read_text()
    gunicorn_timeout = int(re.search(r"gunicorn csp\.wsgi .*--timeout (\d+)", readme)[1])
    # The configured value, not the tests' own (conftest raises it for a loaded machine).
    assert gunicorn_timeout > configured.PDF_DIRECT_TIMEOUT
