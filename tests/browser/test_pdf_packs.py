"""A chair produces and downloads a meeting pack in a real browser; the pages pass axe-core."""

import datetime

import pytest
from playwright.sync_api import expect

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def meetings(partnership, action):
    day = datetime.date(2025, 6, 1)
    action_add_update(action=action, text="Event held in June", rag=Rag.AMBER, date=day, written_on=day)
    day = datetime.date(2025, 9, 10)
    action_add_update(action=action, text="Second event in September", rag=Rag.GREEN, date=day, written_on=day)
    f.MeetingFactory(partnership=partnership, title="RAG meeting, September", date=datetime.date(2025, 9, 1))
    return f.MeetingFactory(partnership=partnership, title="RAG meeting, October", date=datetime.date(2025, 10, 1))


def test_chair_produces_and_downloads_a_meeting_pack(page, sign_in, chair, plan, meetings, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/meetings/")
    assert_accessible(page, "Meetings")
    page.get_by_role("link", name="RAG meeting, October").click()
    assert page.get_by_label("Only updates since").input_value() == "1/9/2025"
    assert_accessible(page, "RAG meeting, October")
    page.get_by_role("button", name="Produce pack").click()
    page.get_by_text("Your pack is ready").wait_for()
    assert_accessible(page, "Meeting pack")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.endswith(".pdf")


def test_plan_pdf_options_page_is_accessible(page, sign_in, chair, plan, meetings, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/pdf/")
    assert_accessible(page, "Download the plan as a PDF")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download PDF").click()
    assert download.value.suggested_filename.startswith(plan.slug)


def test_a_rendering_pack_updates_its_progress_in_place_and_shows_the_pack_when_ready(
    page, sign_in, chair, plan, meetings, assert_accessible
):
    from django.core.files.base import ContentFile

    from plans.models import MeetingPack

    pack = MeetingPack.objects.create(meeting=meetings, plan=plan, options={}, state=MeetingPack.State.RUNNING)
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/meetings/{meetings.pk}/packs/{pack.pk}/")
    assert page.get_by_role("status").inner_text() == "Rendering: 0% done."
    assert_accessible(page, "Meeting pack")  # no meta refresh: the page is not reloaded under the reader

    MeetingPack.objects.filter(pk=pack.pk).update(progress=60)
    page.get_by_role("status").filter(has_text="60% done").wait_for()

    pack.refresh_from_db()
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    pack.state, pack.pages, pack.size, pack.marking = MeetingPack.State.DONE, 1, 13, "OFFICIAL"
    pack.save()
    page.get_by_text("Your pack is ready").wait_for()
    assert_accessible(page, "Meeting pack")


def test_a_queued_pack_says_its_place_in_the_queue_until_a_worker_renders_it(
    page, sign_in, chair, plan, meetings, database_queue, assert_accessible
):
    from tests.queue_helpers import run_queued_tasks

    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/meetings/{meetings.pk}/")
    page.get_by_role("button", name="Produce pack").click()
    page.get_by_text("Waiting for a free worker: next in the queue.").wait_for()
    assert_accessible(page, "Meeting pack")
    run_queued_tasks()
    page.get_by_text("Your pack is ready").wait_for()


def test_a_big_pdf_is_prepared_in_the_background_and_downloaded_from_its_page(
    page, sign_in, chair, plan, meetings, settings, database_queue, assert_accessible
):
    from tests.queue_helpers import run_queued_tasks

    settings.PDF_DIRECT_MAX_ACTIONS = 0
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/pdf/")
    page.get_by_role("button", name="Download PDF").click()
    page.get_by_text("This PDF is too big to produce while you wait").wait_for()
    assert_accessible(page, "Download the plan as a PDF")
    page.get_by_role("button", name="Prepare the PDF").click()
    page.get_by_text("Waiting for a free worker: next in the queue.").wait_for()
    assert_accessible(page, "Your PDF of the plan")
    run_queued_tasks()
    page.get_by_text("Your PDF is ready").wait_for()
    assert_accessible(page, "Your PDF of the plan")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.startswith(plan.slug)
    page.goto(f"/plans/{plan.slug}/pdf/")
    expect(page.get_by_role("table", name="PDFs of this plan prepared for you")).to_be_visible()


def test_a_failed_pdf_says_why_and_offers_to_try_again(page, sign_in, chair, plan, meetings, assert_accessible):
    from plans.models import PdfRequest

    pdf = PdfRequest.objects.create(
        plan=plan,
        created_by=chair,
        state=PdfRequest.State.FAILED,
        cause="timeout",
        attempt=2,
        error="The PDF took longer than 300 seconds to produce.",
    )
    sign_in(chair)
    page.goto(pdf.get_absolute_url())
    assert_accessible(page, "Your PDF of the plan")
    expect(page.get_by_text("The PDF took longer than 300 seconds to produce.")).to_be_visible()
    page.get_by_role("button", name="Try again").click()
    page.get_by_text("Your PDF is ready").wait_for()
