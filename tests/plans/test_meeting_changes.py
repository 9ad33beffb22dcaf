"""Meetings across a partnership's plans: pack links built from the pack's own plan, and
meetings changed and deleted (never one with packs)."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from plans.models import ActionPlan, Meeting, MeetingPack
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(partnership):
    return f.MeetingFactory(partnership=partnership, title="RAG meeting, October", date=datetime.date(2025, 10, 1))


@pytest.fixture
def next_plan(partnership):
    return f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027, slug="testshire-2026-2027")


@pytest.fixture
def pack(meeting, plan, chair):
    """A finished OFFICIAL pack of ``plan`` for ``meeting``."""
    pack = MeetingPack.objects.create(
        meeting=meeting, plan=plan, options={}, state="done", marking="OFFICIAL", pages=1, size=8, created_by=chair
    )
    pack.file.save("pack.pdf", ContentFile(b"%PDF-1.7"))
    return pack


def meeting_url(name, plan, meeting):
    return reverse(f"plans:{name}", args=[plan.slug, meeting.pk])


# Pack links ----------------------------------------------------------------------------


def test_pack_links_under_another_plan_lead_to_the_packs_own_plan(client_for, officer, next_plan, pack, meeting):
    client = client_for(officer)
    page = client.get(meeting_url("meeting", next_plan, meeting))
    assert page.status_code == 200
    assert pack.get_absolute_url() in page.text
    assert pack.get_download_url() in page.text
    assert f"/plans/{next_plan.slug}/meetings/{meeting.pk}/packs/" not in page.text
    assert client.get(pack.get_absolute_url()).status_code == 200
    download = client.get(pack.get_download_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.7"


def test_a_pack_opened_under_another_plan_is_still_not_found(client_for, officer, next_plan, pack, meeting):
    url = reverse("plans:pack", args=[next_plan.slug, meeting.pk, pack.pk])
    assert client_for(officer).get(url).status_code == 404


def test_a_pack_of_a_draft_plan_is_not_listed_for_officers(client_for, officer, chair, plan, next_plan, meeting):
    draft_pack = MeetingPack.objects.create(meeting=meeting, plan=next_plan, options={}, state="done")
    ActionPlan.objects.filter(pk=next_plan.pk).update(status=ActionPlan.Status.DRAFT)
    page = client_for(officer).get(meeting_url("meeting", plan, meeting))
    assert page.status_code == 200
    assert "RAG meeting, October" in page.text
    assert draft_pack.get_absolute_url() not in page.text
    assert draft_pack.get_absolute_url() in client_for(chair).get(meeting_url("meeting", plan, meeting)).text


# Changing a meeting --------------------------------------------------------------------


def test_chair_changes_a_meeting(client_for, chair, plan, meeting):
    page = client_for(chair).get(meeting_url("meeting", plan, meeting))
    assert meeting_url("meeting_edit", plan, meeting) in page.text
    response = client_for(chair).post(
        meeting_url("meeting_edit", plan, meeting), {"title": " RAG meeting, November ", "date": "2025-11-05"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.date) == ("RAG meeting, November", datetime.date(2025, 11, 5))
    assert meeting.history.count() == 2


def test_a_meeting_without_a_date_is_refused_with_an_error_summary(client_for, admin, plan, meeting):
    response = client_for(admin).post(meeting_url("meeting_edit", plan, meeting), {"title": "RAG", "date": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    meeting.refresh_from_db()
    assert meeting.title == "RAG meeting, October"


@pytest.mark.parametrize("name", ["meeting_edit", "meeting_delete"])
@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("outsider", 404)])
def test_officers_and_outsiders_do_not_change_meetings(request, client_for, plan, meeting, name, who, status):
    client = client_for(request.getfixturevalue(who))
    assert client.get(meeting_url(name, plan, meeting)).status_code == status
    assert client.post(meeting_url(name, plan, meeting), {"title": "X", "date": "2025-11-05"}).status_code == status
    assert Meeting.objects.get().title == "RAG meeting, October"


@pytest.mark.parametrize("name", ["meeting_edit", "meeting_delete"])
def test_a_meeting_of_another_partnership_is_not_found(client_for, admin, plan, other_partnership, name):
    elsewhere = f.MeetingFactory(partnership=other_partnership)
    assert client_for(admin).get(meeting_url(name, plan, elsewhere)).status_code == 404


# Deleting a meeting --------------------------------------------------------------------


def test_admin_deletes_a_meeting_without_packs_after_confirming(client_for, admin, plan, meeting):
    confirm = client_for(admin).get(meeting_url("meeting_delete", plan, meeting))
    assert confirm.status_code == 200
    assert "Delete the meeting</button>" in confirm.text
    assert Meeting.objects.exists()  # nothing happens before confirmation
    response = client_for(admin).post(meeting_url("meeting_delete", plan, meeting))
    assert response.status_code == 302
    assert not Meeting.objects.exists()


def test_a_meeting_with_packs_is_kept_and_the_page_says_why(client_for, admin, plan, meeting, pack):
    page = client_for(admin).get(meeting_url("meeting_delete", plan, meeting))
    assert page.status_code == 200
    assert "has 1 pack (produced" in page.text
    assert "Delete the meeting</button>" not in page.text
    response = client_for(admin).post(meeting_url("meeting_delete", plan, meeting), follow=True)
    assert "a meeting with packs is kept" in response.text
    assert Meeting.objects.filter(pk=meeting.pk).exists()
    assert MeetingPack.objects.filter(pk=pack.pk).exists()
