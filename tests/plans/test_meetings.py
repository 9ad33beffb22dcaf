"""RAG meetings and the frozen packs produced for them."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Rag
from plans.models import Meeting, MeetingPack
from tests import factories as f

from .pdf_helpers import LAST_MEETING, build_plan, note, pdf_text


@pytest.fixture(autouse=True)
def _render_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True


@pytest.fixture
def built(plan, priority, issue, action, team):
    return build_plan(plan, priority, issue, action, team)


@pytest.fixture
def last_meeting(partnership):
    return f.MeetingFactory(partnership=partnership, title="RAG meeting, September", date=LAST_MEETING)


@pytest.fixture
def meeting(partnership, last_meeting):
    return f.MeetingFactory(partnership=partnership, title="RAG meeting, October", date=datetime.date(2025, 10, 1))


def meetings_url(plan):
    return reverse("plans:meetings", args=[plan.slug])


def meeting_url(plan, meeting):
    return reverse("plans:meeting", args=[plan.slug, meeting.pk])


def produce(client, plan, meeting, **data):
    data.setdefault("include_closed", "on")
    return client.post(reverse("plans:pack_create", args=[plan.slug, meeting.pk]), data)


def test_chair_adds_a_meeting(client_for, chair, plan):
    response = client_for(chair).post(meetings_url(plan), {"title": "RAG meeting, January", "date": "2026-01-27"})
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting_url(plan, meeting)
    assert (meeting.title, meeting.date, meeting.partnership) == (
        "RAG meeting, January",
        datetime.date(2026, 1, 27),
        plan.partnership,
    )


def test_admin_adds_a_meeting(client_for, admin, plan):
    client_for(admin).post(meetings_url(plan), {"title": "RAG", "date": "2026-01-27"})
    assert Meeting.objects.count() == 1


def test_officer_may_see_meetings_but_not_add_one(client_for, officer, plan, meeting):
    client = client_for(officer)
    assert client.get(meetings_url(plan)).status_code == 200
    assert client.post(meetings_url(plan), {"title": "RAG", "date": "2026-01-27"}).status_code == 403


def test_outsider_sees_no_meetings(client_for, outsider, plan, meeting):
    assert client_for(outsider).get(meetings_url(plan)).status_code == 404
    assert client_for(outsider).get(meeting_url(plan, meeting)).status_code == 404


def test_meeting_without_a_date_is_refused(client_for, chair, plan):
    response = client_for(chair).post(meetings_url(plan), {"title": "RAG", "date": "soon"})
    assert response.status_code == 400
    assert Meeting.objects.count() == 0


def test_meeting_of_another_partnership_is_not_found(client_for, chair, plan, other_partnership):
    theirs = f.MeetingFactory(partnership=other_partnership)
    assert client_for(chair).get(meeting_url(plan, theirs)).status_code == 404
    assert produce(client_for(chair), plan, theirs).status_code == 404


def test_since_defaults_to_the_previous_meeting(client_for, chair, plan, meeting):
    response = client_for(chair).get(meeting_url(plan, meeting))
    assert response.context["form"].initial["since"] == LAST_MEETING
    assert response.context["form"].initial["meeting_mode"] is True


def test_chair_downloads_a_pack_showing_changes_since_the_previous_meeting(client_for, chair, plan, built, meeting):
    client = client_for(chair)
    response = produce(client, plan, meeting, since=LAST_MEETING.isoformat(), meeting_mode="on")
    pack = MeetingPack.objects.get()
    assert response["Location"] == reverse("plans:pack", args=[plan.slug, meeting.pk, pack.pk])
    assert (pack.state, pack.progress, pack.marking) == (MeetingPack.State.DONE, 100, "OFFICIAL")
    page = client.get(response["Location"])
    assert b"Your pack is ready" in page.content
    download = client.get(reverse("plans:pack_download", args=[plan.slug, meeting.pk, pack.pk]))
    text = pdf_text(b"".join(download.streaming_content))
    assert "Changes since 1 September 2025" in text
    assert "Amber → Green" in text
    assert "RAG meeting, October" in text


def test_pack_is_frozen_when_the_plan_changes(client_for, chair, plan, built, meeting, action):
    client = client_for(chair)
    produce(client, plan, meeting)
    pack = MeetingPack.objects.get()
    url = reverse("plans:pack_download", args=[plan.slug, meeting.pk, pack.pk])
    before = b"".join(client.get(url).streaming_content)
    note(action, "A note written after the pack went out", datetime.date(2025, 10, 5), rag=Rag.RED)
    after = b"".join(client.get(url).streaming_content)
    assert after == before
    assert "written after the pack" not in pdf_text(after)
    import hashlib

    assert hashlib.sha256(after).hexdigest() == pack.sha256
    assert pack.options["include_closed"] is True
    assert pack.file.name.startswith(f"packs/{plan.partnership.slug}/{meeting.pk}/")


def test_officer_may_not_produce_a_pack(client_for, officer, plan, meeting):
    assert produce(client_for(officer), plan, meeting).status_code == 403
    assert MeetingPack.objects.count() == 0


def test_officer_downloads_an_official_pack_but_not_a_sensitive_one(client_for, chair, officer, plan, built, meeting):
    produce(client_for(chair), plan, meeting, include_sensitive="on")
    produce(client_for(chair), plan, meeting)
    sensitive, official = MeetingPack.objects.order_by("pk")
    assert (sensitive.marking, official.marking) == ("OFFICIAL-SENSITIVE", "OFFICIAL")
    client = client_for(officer)
    assert client.get(reverse("plans:pack_download", args=[plan.slug, meeting.pk, official.pk])).status_code == 200
    assert client.get(reverse("plans:pack_download", args=[plan.slug, meeting.pk, sensitive.pk])).status_code == 403


def test_outsider_gets_no_pack(client_for, chair, outsider, plan, built, meeting):
    produce(client_for(chair), plan, meeting)
    pack = MeetingPack.objects.get()
    client = client_for(outsider)
    assert client.get(reverse("plans:pack_download", args=[plan.slug, meeting.pk, pack.pk])).status_code == 404
    assert client.get(reverse("plans:pack", args=[plan.slug, meeting.pk, pack.pk])).status_code == 404


def test_pack_under_another_meeting_id_is_not_found(client_for, chair, plan, built, meeting, last_meeting):
    produce(client_for(chair), plan, meeting)
    pack = MeetingPack.objects.get()
    url = reverse("plans:pack_download", args=[plan.slug, last_meeting.pk, pack.pk])
    assert client_for(chair).get(url).status_code == 404


def test_pending_pack_page_follows_progress_without_reloading_itself(client_for, chair, plan, meeting):
    pack = MeetingPack.objects.create(meeting=meeting, plan=plan, options={})
    response = client_for(chair).get(reverse("plans:pack", args=[plan.slug, meeting.pk, pack.pk]))
    assert b"data-progress" in response.content
    assert b'http-equiv="refresh"' not in response.content
    assert b"Refresh" in response.content


def test_pack_whose_task_failed_outside_the_render_is_shown_as_failed(client_for, chair, plan, meeting, database_queue):
    from django_tasks_db.models import DBTaskResult

    produce(client_for(chair), plan, meeting)
    DBTaskResult.objects.update(status="FAILED")
    pack = MeetingPack.objects.get()
    response = client_for(chair).get(reverse("plans:pack", args=[plan.slug, meeting.pk, pack.pk]))
    assert b"could not be produced" in response.content
    pack.refresh_from_db()
    assert pack.state == MeetingPack.State.FAILED


def test_pack_is_queued_as_a_task_and_no_process_is_started(
    client_for, chair, plan, meeting, database_queue, monkeypatch
):
    import subprocess

    from django_tasks_db.models import DBTaskResult

    def no_process(*args, **kwargs):
        raise AssertionError("a view started a process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    produce(client_for(chair), plan, meeting)
    pack = MeetingPack.objects.get()
    task = DBTaskResult.objects.get()
    assert (task.task_path, task.args_kwargs["args"]) == ("plans.tasks.render_pack", [pack.pk, 1])
    assert (pack.state, pack.task_id) == (MeetingPack.State.PENDING, str(task.pk))
    page = client_for(chair).get(pack.get_absolute_url()).content.decode()
    assert "Waiting for a free worker: next in the queue." in page


def test_meeting_list_makes_the_same_queries_for_more_meetings(
    client_for, chair, plan, partnership, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(chair)
    f.MeetingFactory(partnership=partnership)
    with CaptureQueriesContext(connection) as few:
        client.get(meetings_url(plan))
    for _ in range(10):
        f.MeetingFactory(partnership=partnership)
    with django_assert_max_num_queries(len(few)):
        client.get(meetings_url(plan))


def test_since_date_field_carries_an_iso_value_for_the_date_picker(client_for, chair, plan, meeting):
    response = client_for(chair).get(meeting_url(plan, meeting))
    assert b'type="date" name="since" value="2025-09-01"' in response.content


def test_meeting_page_makes_the_same_queries_for_more_packs(
    client_for, chair, plan, meeting, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(chair)
    MeetingPack.objects.create(meeting=meeting, plan=plan, options={}, state="done", created_by=chair)
    with CaptureQueriesContext(connection) as few:
        client.get(meeting_url(plan, meeting))
    for _ in range(5):
        MeetingPack.objects.create(meeting=meeting, plan=plan, options={}, state="done", created_by=chair)
    with django_assert_max_num_queries(len(few)):
        client.get(meeting_url(plan, meeting))
