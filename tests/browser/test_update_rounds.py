"""An update round in a real browser (issue 13): the chair opens it from the meeting, the officer
follows the digest's links, answers one action "no change" and one with an update, signs off;
the tracker shows it; the controlled clock passes the deadline and the frozen pack's link goes
to the group. Every new page passes axe.

With SCREENSHOTS=1 it also refreshes docs/img/round-tracker.png and docs/img/round-digest.png.
"""

import datetime
import os
import re
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Rag
from plans.models import MeetingPack, UpdateRound
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture(autouse=True)
def _render_in_process(settings, live_server):
    settings.PDF_RENDER_IN_PROCESS = True
    settings.SITE_URL = live_server.url


@pytest.fixture
def meeting(partnership, council):
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire Responsible Authorities Group")
    group.members.add(council)
    f.MeetingFactory(
        partnership=partnership, title="RAG meeting, autumn", date=timezone.localdate() - datetime.timedelta(days=90)
    )
    return f.MeetingFactory(
        partnership=partnership,
        group=group,
        title="RAG meeting, winter",
        date=timezone.localdate() + datetime.timedelta(days=21),
    )


def _links(message, text):
    body = message.get_body(("plain",)).get_content()
    block = body.split(text, 1)[1]
    update = re.search(r"Add an update: (\S+)", block).group(1)
    no_change = re.search(r"No change since the last update: (\S+)", block).group(1)
    return update, no_change


def test_a_round_from_opening_to_the_frozen_pack(
    page, sign_in, assert_accessible, smtp_server, live_server, chair, officer, admin, plan, issue, team, meeting
):
    first = f.ActionFactory(
        issue=issue, text="Deliver Safer Streets events in the town centre", owner_teams=[team], rag=Rag.AMBER
    )
    second = f.ActionFactory(issue=issue, text="Run knife-crime sessions in secondary schools", owner_teams=[team])
    deadline_day = timezone.localdate() + datetime.timedelta(days=10)
    for person, first_name, last_name in ((chair, "Charles", "Harper"), (officer, "Olivia", "Okafor")):
        person.first_name, person.last_name = first_name, last_name
        person.save()

    # The chair opens the round from the meeting page.
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Ask owners for updates").click()
    assert_accessible(page, "Ask for updates before RAG meeting, winter (" + meeting.date.strftime("%d %B %Y") + ")")
    page.get_by_label("Deadline", exact=True).fill(deadline_day.isoformat())
    page.get_by_label("Message to owners (optional)").fill("Please update before the winter RAG.")
    page.get_by_role("button", name="Open the round").click()
    assert_accessible(page, re.compile("Updates for RAG meeting, winter"))
    update_round = UpdateRound.objects.get()
    page.get_by_role("link", name="Change the deadline").click()
    assert_accessible(page, "Change the deadline")
    page.goto(f"/plans/{plan.slug}/rounds/{update_round.pk}/close/")
    assert_accessible(page, "Close the update round now")

    # The opening digest reaches the officer.
    call_command("send_reminders", stdout=StringIO())
    digest = next(m for m in smtp_server.messages if str(m["To"]) == officer.email)
    update_link, _ = _links(digest, second.text)
    _, no_change_link = _links(digest, first.text)
    assert update_link.startswith(live_server.url)

    # The officer answers: "no change" on one, an update on the other; then signs off.
    page.context.clear_cookies()
    sign_in(officer)
    expect(page.get_by_role("link", name="See your actions in this round")).to_be_visible()
    assert_accessible(page, "My actions")
    page.goto(no_change_link)
    assert_accessible(page, "No change since the last update")
    page.get_by_role("button", name="Confirm no change").click()
    assert_accessible(page, re.compile("Your updates for RAG meeting, winter"))
    page.goto(update_link)
    page.get_by_label("What has happened").fill("Two sessions held; 140 pupils took part.")
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save update").click()
    page.goto(f"/plans/{plan.slug}/rounds/{update_round.pk}/mine/")
    page.get_by_role("button", name="I have updated all my actions").click()
    page.get_by_role("heading", name="Signed off").wait_for()
    assert_accessible(page, re.compile("Your updates for RAG meeting, winter"))
    page.goto("/account/")
    assert_accessible(page, "Your account")
    page.get_by_role("link", name="Change emails about your actions").click()
    assert_accessible(page, "Emails about your actions")

    # The tracker shows it.
    page.context.clear_cookies()
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/rounds/{update_round.pk}/")
    assert "2 of 2 actions" in page.locator("#round-progress").inner_text()
    expect(page.get_by_role("row", name=re.compile(str(officer))).get_by_text("Signed off")).to_be_visible()
    if os.environ.get("SCREENSHOTS"):
        page.set_viewport_size({"width": 1200, "height": 900})
        page.screenshot(path=IMG / "round-tracker.png", full_page=True)
        page.set_content(digest.get_body(("html",)).get_content())
        page.screenshot(path=IMG / "round-digest.png", full_page=True)

    # The deadline passes: the round closes, the pack is frozen and its link goes to the group.
    before = len(smtp_server.messages)
    with time_machine.travel(update_round.deadline + datetime.timedelta(minutes=5), tick=False):
        call_command("send_reminders", stdout=StringIO())
    pack = MeetingPack.objects.get(meeting=meeting)
    notices = smtp_server.messages[before:]
    assert pack.state == MeetingPack.State.DONE
    assert {str(m["To"]) for m in notices} == {chair.email, admin.email, officer.email}
    assert all(live_server.url + pack.get_absolute_url() in m.get_body(("plain",)).get_content() for m in notices)
