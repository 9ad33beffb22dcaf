"""A PDF too big to render while the browser waits is prepared by a task for the person who
asked: its own page (place in the queue, progress, download, or the cause in words with "Try
again" only where it can help), seen by nobody else, removed after PDF_REQUEST_KEEP_DAYS.
No view starts a process: a small PDF renders in the web process."""

import datetime
import subprocess

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from csp import schedule
from partners import pdf as partners_pdf
from partners.models import Role
from partners.pdf import CRASHED, MEMORY, TIMEOUT, RenderFailed
from plans import tasks
from plans.models import PdfRequest
from plans.pdf import packs
from plans.pdf import render as render_module
from plans.pdf.options import PdfOptions
from plans.pdf.render import RenderResult
from tests.queue_helpers import run_queued_tasks

from .pdf_helpers import build_plan, pdf_text

GOOD = RenderResult(pdf=b"%PDF-1.7 prepared", pages=4, marking="OFFICIAL", seconds=1.0)
NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


@pytest.fixture
def too_big(settings):
    settings.PDF_DIRECT_MAX_ACTIONS = 1


def renders(*outcomes):
    """A stand-in for the worker's render: each call takes the next outcome."""
    calls = []

    def render(plan, options, *, user=None, progress=None):
        outcome = outcomes[len(calls)]
        calls.append(plan.pk)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    render.calls = calls
    return render


def download_url(plan, **params):
    from urllib.parse import urlencode

    return reverse("plans:pdf", args=[plan.slug]) + "?" + urlencode({"download": 1, "include_closed": "on", **params})


def prepare(client, plan, **data):
    return client.post(reverse("plans:pdf_prepare", args=[plan.slug]), {"include_closed": "on", **data})


def ask(plan, user, **options):
    return packs.pdf_request(plan=plan, options=PdfOptions(**options), user=user)


# No view starts a process


@pytest.fixture
def no_process(monkeypatch, settings):
    """Starting any process fails the test: the worker's path (not in process) is armed too."""
    settings.PDF_RENDER_IN_PROCESS = False

    def refuse(*args, **kwargs):
        raise AssertionError("a view started a process")

    monkeypatch.setattr(subprocess, "Popen", refuse)
    monkeypatch.setattr(partners_pdf, "run_child", refuse)
    monkeypatch.setattr(render_module, "run_child", refuse)


def test_a_small_pdf_renders_in_the_web_process_without_starting_one(client_for, chair, plan, built, no_process):
    response = client_for(chair).get(download_url(plan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Cowley Hill" in pdf_text(response.content)


def test_a_big_pdf_is_queued_without_starting_a_process(
    client_for, chair, plan, built, too_big, no_process, database_queue
):
    response = prepare(client_for(chair), plan)
    pdf = PdfRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pdf.get_absolute_url()
    assert (pdf.state, pdf.created_by, pdf.plan) == (PdfRequest.State.PENDING, chair, plan)
    assert DBTaskResult.objects.get(pk=pdf.task_id).task_path == tasks.render_pdf_request.module_path


# The too-big path


def test_a_big_selection_offers_to_prepare_the_pdf(client_for, officer, plan, built, too_big):
    page = client_for(officer).get(download_url(plan, priority=1)).content.decode()
    assert "This PDF is too big to produce while you wait" in page
    assert "Prepare the PDF" in page
    assert 'action="/plans/testshire-2025-2026/pdf/prepare/"' in page
    assert PdfRequest.objects.count() == 0


def test_a_prepared_pdf_keeps_the_options_chosen(client_for, chair, plan, built, database_queue):
    prepare(client_for(chair), plan, priority="2", since="1 September 2025", include_sensitive="on")
    options = PdfRequest.objects.get().options
    assert (options["priority"], options["since"], options["include_sensitive"]) == (2, "2025-09-01", True)


def test_bad_options_are_refused_and_nothing_is_queued(client_for, chair, plan, built):
    response = prepare(client_for(chair), plan, since="31 February 2025")
    assert response.status_code == 400
    assert "Download the plan as a PDF" in response.content.decode()
    assert PdfRequest.objects.count() == 0


def test_outsider_cannot_prepare_a_pdf_of_the_plan(client_for, outsider, plan, built):
    assert prepare(client_for(outsider), plan).status_code == 404
    assert PdfRequest.objects.count() == 0


# The status page


def test_a_waiting_pdf_shows_its_place_in_the_queue(client_for, chair, plan, built, database_queue):
    with time_machine.travel(NOW, tick=False):
        ask(plan, chair)
    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        second = ask(plan, chair)
    page = client_for(chair).get(second.get_absolute_url()).content.decode()
    assert "Your PDF of the plan" in page
    assert "Waiting for a free worker: number 2 in the queue." in page
    assert "data-progress" in page


def test_a_rendering_pdf_shows_its_progress(client_for, chair, plan, built, database_queue):
    pdf = ask(plan, chair)
    PdfRequest.objects.filter(pk=pdf.pk).update(state=PdfRequest.State.RUNNING, progress=40)
    page = client_for(chair).get(pdf.get_absolute_url()).content.decode()
    assert "Rendering: 40% done." in page


def test_the_requester_downloads_the_ready_pdf(client_for, chair, plan, built, too_big):
    client = client_for(chair)
    prepare(client, plan)
    pdf = PdfRequest.objects.get()
    page = client.get(pdf.get_absolute_url()).content.decode()
    assert "Your PDF is ready" in page
    response = client.get(pdf.get_download_url())
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "Cowley Hill" in pdf_text(b"".join(response.streaming_content))


def test_the_file_holds_only_what_the_requester_may_read(client_for, other_officer, chair, plan, built, too_big):
    officer_client = client_for(other_officer)
    prepare(officer_client, plan, include_sensitive="on")  # not offered to officers: ignored
    officers = PdfRequest.objects.get()
    assert (officers.options["include_sensitive"], officers.marking) == (False, "OFFICIAL")
    officer_text = pdf_text(b"".join(officer_client.get(officers.get_download_url()).streaming_content))
    assert "Cowley Hill" in officer_text
    assert "Named suspect" not in officer_text
    chairs = ask(plan, chair, include_sensitive=True)
    assert chairs.marking == "OFFICIAL-SENSITIVE"
    chair_text = pdf_text(b"".join(client_for(chair).get(chairs.get_download_url()).streaming_content))
    assert "Named suspect" in chair_text
    page = client_for(chair).get(chairs.get_absolute_url()).content.decode()
    assert "OFFICIAL-SENSITIVE" in page


def test_a_sensitive_pdf_is_refused_to_a_requester_no_longer_senior(client_for, chair, plan, built):
    pdf = ask(plan, chair, include_sensitive=True)
    chair.roles.filter(partnership=plan.partnership).update(role=Role.Kind.OFFICER)
    assert client_for(chair).get(pdf.get_download_url()).status_code == 403


@pytest.mark.parametrize("who", ["other_officer", "admin", "outsider"])
def test_nobody_but_the_requester_sees_or_downloads_it(request, client_for, chair, plan, built, who):
    pdf = ask(plan, chair)
    client = client_for(request.getfixturevalue(who))
    assert client.get(pdf.get_absolute_url()).status_code == 404
    assert client.get(pdf.get_download_url()).status_code == 404
    assert client.post(reverse("plans:pdf_request_try_again", args=[plan.slug, pdf.pk])).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, chair, plan, built):
    pdf = ask(plan, chair)
    for url in (pdf.get_absolute_url(), pdf.get_download_url()):
        response = client.get(url)
        assert response.status_code == 302
        assert "/sign-in/" in response["Location"]


def test_an_unknown_or_tampered_id_is_not_found(client_for, chair, plan, built, other_partnership):
    from tests import factories as f

    other_plan = f.PlanFactory(partnership=other_partnership, slug="elsewhere-2025-2026")
    theirs = ask(other_plan, chair)  # even one the same person asked for, under another plan's slug
    client = client_for(chair)
    assert client.get(reverse("plans:pdf_request", args=[plan.slug, theirs.pk])).status_code == 404
    assert client.get(reverse("plans:pdf_request", args=[plan.slug, 999999])).status_code == 404
    assert client.get(f"/plans/{plan.slug}/pdf/prepared/abc/").status_code == 404


def test_a_pdf_not_ready_is_not_downloaded(client_for, chair, plan, built, database_queue):
    pdf = ask(plan, chair)
    assert client_for(chair).get(pdf.get_download_url()).status_code == 404


# Failures in words, and "Try again" only where it can help


def test_too_big_for_the_memory_limit_says_so_and_offers_no_retry(client_for, chair, plan, built, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders(RenderFailed(MEMORY, "The PDF needed more memory.")))
    pdf = ask(plan, chair)
    assert (pdf.state, pdf.cause, pdf.attempt) == (PdfRequest.State.FAILED, MEMORY, 1)
    page = client_for(chair).get(pdf.get_absolute_url()).content.decode()
    assert "The PDF could not be produced" in page
    assert "too big for one PDF: try one priority at a time" in page
    assert "Try again</button>" not in page
    assert "Choose one priority or owner" in page


def test_a_render_timed_out_twice_says_so_and_offers_to_try_again(client_for, chair, plan, built, monkeypatch):
    timed_out = RenderFailed(TIMEOUT, "The PDF took longer than 300 seconds to produce.")
    monkeypatch.setattr(packs, "render_for_worker", renders(timed_out, timed_out, GOOD))
    pdf = ask(plan, chair)
    assert (pdf.state, pdf.attempt) == (PdfRequest.State.FAILED, 2)  # tried once more by itself
    client = client_for(chair)
    page = client.get(pdf.get_absolute_url()).content.decode()
    assert "The PDF took longer than 300 seconds to produce." in page
    assert "Try again</button>" in page
    response = client.post(reverse("plans:pdf_request_try_again", args=[plan.slug, pdf.pk]))
    assert response["Location"] == pdf.get_absolute_url()
    pdf.refresh_from_db()
    assert (pdf.state, pdf.attempt, pdf.error) == (PdfRequest.State.DONE, 3, "")


def test_a_crash_is_said_in_words_without_the_details(client_for, chair, plan, built, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders(KeyError("font"), KeyError("font")))
    pdf = ask(plan, chair)
    page = client_for(chair).get(pdf.get_absolute_url()).content.decode()
    assert "The PDF could not be produced because of an error." in page
    assert "KeyError" not in page
    assert "Try again</button>" in page


def test_trying_again_a_pdf_too_big_for_memory_queues_nothing(client_for, chair, plan, built, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders(RenderFailed(MEMORY, "Too much memory.")))
    pdf = ask(plan, chair)
    response = client_for(chair).post(reverse("plans:pdf_request_try_again", args=[plan.slug, pdf.pk]), follow=True)
    assert "cannot be tried again as it is" in response.content.decode()
    pdf.refresh_from_db()
    assert (pdf.state, pdf.attempt) == (PdfRequest.State.FAILED, 1)


def test_trying_again_a_pdf_still_waiting_queues_nothing(client_for, chair, plan, built, database_queue):
    pdf = ask(plan, chair)
    client_for(chair).post(reverse("plans:pdf_request_try_again", args=[plan.slug, pdf.pk]))
    assert DBTaskResult.objects.count() == 1


def test_a_pdf_whose_worker_died_is_queued_again(plan, chair, built, database_queue, settings, monkeypatch):
    settings.TASK_STALE_SECONDS = 600
    monkeypatch.setattr(packs, "render_for_worker", renders(GOOD))
    with time_machine.travel(NOW, tick=False):
        pdf = ask(plan, chair)
        DBTaskResult.objects.get().claim("worker-that-died")
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    pdf.refresh_from_db()
    assert (pdf.state, pdf.attempt) == (PdfRequest.State.PENDING, 2)
    assert run_queued_tasks() == 1
    pdf.refresh_from_db()
    assert pdf.state == PdfRequest.State.DONE


def test_a_task_run_twice_renders_once(plan, chair, built, database_queue, monkeypatch):
    render = renders(GOOD, GOOD)
    monkeypatch.setattr(packs, "render_for_worker", render)
    pdf = ask(plan, chair)
    tasks.render_pdf_request.call(pdf.pk, 1)
    tasks.render_pdf_request.call(pdf.pk, 1)
    assert len(render.calls) == 1


# My PDFs


def test_my_pdfs_lists_only_my_own(client_for, chair, admin, plan, built, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders(GOOD, GOOD))
    mine = ask(plan, chair, priority=2)
    theirs = ask(plan, admin)
    page = client_for(chair).get(reverse("plans:pdf", args=[plan.slug])).content.decode()
    assert "My PDFs" in page
    assert mine.get_download_url() in page
    assert "Priority 2" in page
    assert theirs.get_absolute_url() not in page


def test_my_pdfs_is_read_in_the_same_queries_whatever_its_length(
    client_for, chair, plan, built, django_assert_max_num_queries, database_queue
):
    client = client_for(chair)
    url = reverse("plans:pdf", args=[plan.slug])
    client.get(url)
    ask(plan, chair)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for _ in range(4):
        ask(plan, chair)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


# Files expire


def test_old_prepared_pdfs_are_removed_with_their_files(plan, chair, built, settings, monkeypatch):
    settings.PDF_REQUEST_KEEP_DAYS = 7
    monkeypatch.setattr(packs, "render_for_worker", renders(GOOD, GOOD))
    with time_machine.travel(NOW, tick=False):
        old = ask(plan, chair)
    with time_machine.travel(NOW + datetime.timedelta(days=6), tick=False):
        fresh = ask(plan, chair)
    with time_machine.travel(NOW + datetime.timedelta(days=8), tick=False):
        assert schedule.remove_pdfs() == "1 old prepared PDF(s) removed"
        assert schedule.remove_pdfs() == ""  # twice does no harm
    assert not default_storage.exists(old.file.name)
    assert list(PdfRequest.objects.all()) == [fresh]
    assert default_storage.exists(fresh.file.name)


def test_a_pdf_still_rendering_is_not_removed(plan, chair, built, database_queue):
    with time_machine.travel(NOW, tick=False):
        ask(plan, chair)
    with time_machine.travel(NOW + datetime.timedelta(days=30), tick=False):
        assert schedule.remove_pdfs() == ""
    assert PdfRequest.objects.count() == 1


def test_a_removed_file_leaves_nothing_to_download(client_for, chair, plan, built, settings):
    pdf = PdfRequest.objects.create(plan=plan, created_by=chair, state=PdfRequest.State.DONE, marking="OFFICIAL")
    pdf.file.save("gone.pdf", ContentFile(b"%PDF-1.7"), save=True)
    PdfRequest.objects.filter(pk=pdf.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    schedule.remove_pdfs()
    assert client_for(chair).get(reverse("plans:pdf_request_download", args=[plan.slug, pdf.pk])).status_code == 404


def test_the_schedule_removes_old_pdfs_once_an_hour(db):
    assert dict(schedule.tick(only=["remove_old_pdfs"]))["remove_old_pdfs"] != "not due"
    assert dict(schedule.tick(only=["remove_old_pdfs"]))["remove_old_pdfs"] == "not due"


def test_crashed_cause_is_kept_for_a_task_that_failed_outside_the_render(plan, chair, built, database_queue):
    pdf = ask(plan, chair)
    DBTaskResult.objects.filter(pk=pdf.task_id).update(status="FAILED")
    pdf = packs.pack_refresh(pdf)
    assert (pdf.state, pdf.cause, pdf.may_try_again) == (PdfRequest.State.FAILED, CRASHED, True)
