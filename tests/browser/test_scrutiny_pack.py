"""A chair produces and downloads the scrutiny pack in a real browser; the pages pass axe-core."""

import datetime

import pytest

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def rated(action, priority):
    day = datetime.date(2025, 6, 1)
    action_add_update(action=action, text="Event held in June", rag=Rag.AMBER, date=day, written_on=day)
    measure = f.MeasureFactory(priority=priority, name="ASB incidents reported", target=100)
    f.MeasureValueFactory(measure=measure, period_start=datetime.date(2025, 9, 1), value=90)
    return action


def test_chair_produces_and_downloads_the_scrutiny_pack(page, sign_in, chair, plan, rated, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/")
    page.get_by_role("link", name="Scrutiny pack").click()
    assert_accessible(page, "Scrutiny pack")
    page.get_by_label("Committee (optional)").fill("Overview and Scrutiny Committee")
    page.get_by_label("Date the committee meets (optional)").fill("27/1/2026")
    page.get_by_role("button", name="Produce the scrutiny pack").click()
    page.get_by_text("Your scrutiny pack is ready").wait_for()
    assert_accessible(page, "Scrutiny pack")
    assert "Tuesday 27 January 2026" in page.content()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.startswith(f"{plan.slug}-scrutiny-")


def test_a_bad_date_is_shown_in_the_error_summary(page, sign_in, chair, plan, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/scrutiny/")
    page.get_by_label("Date the committee meets (optional)").fill("next Tuesday")
    page.get_by_role("button", name="Produce the scrutiny pack").click()
    page.get_by_text("There is a problem").wait_for()
    assert_accessible(page, "Scrutiny pack")


def test_a_rendering_scrutiny_pack_updates_in_place(page, sign_in, officer, plan, assert_accessible):
    from plans.models import MeetingPack

    pack = MeetingPack.objects.create(kind=MeetingPack.Kind.SCRUTINY, plan=plan, state=MeetingPack.State.RUNNING)
    sign_in(officer)
    page.goto(f"/plans/{plan.slug}/scrutiny/{pack.pk}/")
    assert page.get_by_role("status").inner_text() == "Rendering: 0% done."
    assert_accessible(page, "Scrutiny pack")
    MeetingPack.objects.filter(pk=pack.pk).update(progress=40)
    page.get_by_role("status").filter(has_text="40% done").wait_for()
