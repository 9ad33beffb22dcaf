"""A reduced ``make bench-heavy``: gunicorn with 3 workers on a temporary SQLite database,
PDFs and hostile imports fired at once while /healthz is polled. Statuses only, no timings:
/healthz answered 200 throughout and every heavy request got a deliberate answer (a PDF,
the too-big or busy page, the file's refusal), never a 500 or a dropped connection."""

import shutil
from pathlib import Path

import pytest

from tests.benchmarks import bench_heavy

pytestmark = pytest.mark.skipif(
    shutil.which("gunicorn", path=str(Path(bench_heavy.sys.executable).parent)) is None, reason="needs gunicorn"
)


def test_healthz_answers_while_heavy_requests_run():
    # A loaded CI machine may take more than the default 20 s for even a small render: this
    # test is about the web staying up, so the render gets gunicorn's time less a margin.
    results = bench_heavy.run(
        sqlite=True,
        actions=10,
        updates=3,
        copies=1,
        seconds=90,
        out=lambda *args: None,
        extra_env={"PDF_DIRECT_TIMEOUT": "50"},
    )
    assert results["healthz"]
    assert {status for status, _seconds in results["healthz"]} == {200}
    assert {status for status, _seconds in results["page"]} == {200}
    outcomes = {label: (status, text) for label, status, _seconds, text in results["heavy"]}
    assert outcomes["PDF, whole plan"][0] == 200, outcomes["PDF, whole plan"]
    assert outcomes["PDF, priority 1"][0] in (200, 503)
    for name in ("declares A1:XFD1048576", "1.2 million rows", "zip bomb"):
        status, text = outcomes[f"import, {name}"]
        assert status == 400, text


@pytest.mark.parametrize(
    ("limit", "words"),
    [
        ({"PDF_DIRECT_MAX_MEMORY_MB": "1"}, "more memory than a PDF produced while you wait may use (1 MB)"),
        ({"PDF_DIRECT_TIMEOUT": "0"}, "The PDF took longer than 0 seconds to produce."),
    ],
    ids=["memory", "time"],
)
def test_a_render_stopped_in_a_gunicorn_worker_answers_and_the_worker_serves_the_next_request(limit, words):
    """A sync worker's main thread: the SIGALRM guard stops the render, the page says why, and
    the same worker (booted once) answers /healthz and the plan's page next."""
    results = bench_heavy.stopped_render(extra_env=limit)
    status, seconds, outcome = results["pdf"]
    assert status == 503, outcome
    assert words in outcome
    assert seconds < 30
    assert (results["healthz"], results["page"]) == (200, 200)
    assert results["workers booted"] == 1
