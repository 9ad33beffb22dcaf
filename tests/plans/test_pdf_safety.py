"""User text cannot make a PDF render read a file or call a server, and renders are limited."""

import datetime
import socket
import subprocess
import sys

import pytest

from partners.pdf import RenderFailed, StaticOnlyFetcher, child_limits, render_pdf
from plans.pdf import render as render_module
from plans.pdf.data import load_plan_data
from plans.pdf.html import build_html
from plans.pdf.options import PdfOptions
from plans.pdf.render import render_for_worker, render_plan

from .pdf_helpers import column_texts, note, pdf_text, squash

HOSTILE = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="http://127.0.0.1:{port}/x">',
    '<span style="background: url(http://127.0.0.1:{port}/style)">styled</span>',
    "<style>@import url(http://127.0.0.1:{port}/import);</style>",
    '<object data="file:///etc/shadow"></object>',
    '<svg><image href="file:///etc/hostname"/></svg>',
    "<iframe src=\"data:text/html,<img src='http://127.0.0.1:{port}/frame'>\"></iframe>",
]


@pytest.fixture
def listener():
    """A socket on 127.0.0.1 that records whether anything connected."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.setblocking(False)
    yield server
    server.close()


def connected(server):
    try:
        server.accept()
    except BlockingIOError:
        return False
    return True


@pytest.fixture
def hostile_plan(plan, action, issue, listener):
    port = listener.getsockname()[1]
    for index, template in enumerate(HOSTILE):
        note(action, template.format(port=port), datetime.date(2025, 5, 1 + index))
    issue.title = f'<img src="http://127.0.0.1:{port}/issue">'
    issue.save()
    action.text = "<b>bold</b> & <script>alert(1)</script>"
    action.save()
    return plan


def test_hostile_update_text_is_escaped_in_the_html(hostile_plan):
    html = build_html(load_plan_data(hostile_plan, PdfOptions()))
    assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in html
    assert "<img src=" not in html
    assert "<script>" not in html


def test_hostile_text_fetches_nothing_and_appears_as_text(hostile_plan, listener, monkeypatch):
    fetchers = []
    real = StaticOnlyFetcher

    def recording():
        fetcher = real()
        fetchers.append(fetcher)
        return fetcher

    monkeypatch.setattr(render_module, "StaticOnlyFetcher", recording)
    result = render_plan(hostile_plan, PdfOptions())
    (fetcher,) = fetchers
    assert fetcher.refused == []
    assert all(path.startswith(("pdf/", "fonts/")) for path in fetcher.served)
    assert not connected(listener)
    text = squash(pdf_text(result.pdf))
    assert squash('<img src="file:///etc/passwd">') in text
    assert squash("<b>bold</b> & <script>alert(1)</script>") in column_texts(result.pdf)["Action"]


def test_fetcher_refuses_files_servers_and_climbing_out_of_static():
    fetcher = StaticOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "https://example.org/",
        "static:../../etc/passwd",
        "static:pdf/../../manage.py",
        "data:text/plain,hello",
    ):
        with pytest.raises(ValueError, match="static files"):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 6


def test_raw_html_with_hostile_urls_renders_without_fetching(listener):
    port = listener.getsockname()[1]
    fetcher = StaticOnlyFetcher()
    html = (
        f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="http://127.0.0.1:{port}/a.css"></head>'
        f'<body><img src="file:///etc/passwd" alt="x"><p style="background:url(http://127.0.0.1:{port}/b)">x</p></body></html>'
    )
    render_pdf(html, fetcher=fetcher)
    assert not connected(listener)
    assert any("etc/passwd" in url for url in fetcher.refused)


def test_a_workers_render_child_stops_at_the_time_limit(settings, plan, monkeypatch):
    settings.PDF_RENDER_IN_PROCESS = False
    settings.PDF_RENDER_TIMEOUT = 1
    monkeypatch.setattr(
        render_module, "child_command", lambda *args: [sys.executable, "-c", "import time; time.sleep(30)"]
    )
    with pytest.raises(RenderFailed, match="longer than 1 seconds"):
        render_for_worker(plan, PdfOptions())


def test_child_limits_stop_a_render_that_eats_memory(settings):
    settings.PDF_RENDER_MEMORY_MB = 300
    completed = subprocess.run(
        [sys.executable, "-c", "x = bytearray(600 * 1024 * 1024)"],
        preexec_fn=child_limits,
        capture_output=True,
        check=False,
    )
    assert completed.returncode != 0
    assert b"MemoryError" in completed.stderr
