"""The demo data's open update round: `make run` then `send_reminders --dry-run` shows what would go out."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from plans.models import UpdateRound
from plans.rounds import round_progress

TODAY = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)  # a Monday


@pytest.fixture
def demo(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(TODAY, tick=False):
        call_command("load_demo", stdout=StringIO())
        yield


def test_the_demo_has_an_open_round_a_week_long_with_the_officer_owing_several_actions(demo):
    update_round = UpdateRound.objects.get()
    officer = round_progress(update_round).person_named("officer")
    assert update_round.is_open
    assert update_round.deadline.date() == datetime.date(2026, 11, 30)
    assert update_round.meeting.date > TODAY.date()
    assert len(officer.owing) >= 3


def test_loading_the_demo_again_keeps_the_one_round(demo):
    with time_machine.travel(TODAY + datetime.timedelta(hours=1), tick=False):
        call_command("load_demo", stdout=StringIO())
    assert UpdateRound.objects.count() == 1


def test_a_dry_run_after_loading_shows_the_officers_digest(demo):
    out = StringIO()
    with time_machine.travel(TODAY + datetime.timedelta(minutes=5), tick=False):
        call_command("send_reminders", "--dry-run", stdout=out)
    assert (
        "Would send to officer@exampleshire.example: Exampleshire CSP needs your updates by Monday 30" in out.getvalue()
    )
