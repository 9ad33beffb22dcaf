"""``send_reminders`` run as it runs from cron: two copies at once, as separate processes
against the same database, each email sent once and each round closed once.

The children need to see the test database: these tests commit their data
(``transaction=True``) and point the children's DATABASE_URL at it. SQLite's test database
lives in memory, where no other process sees it, so they run on PostgreSQL only (as CI does).
The children use the real clock, so the round is set up around now.
"""

import datetime
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from actions.models import Action
from partners.models import Role
from plans.models import MeetingPack, SentEmail, UpdateRound
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the child processes cannot see SQLite's in-memory test database; run with DATABASE_URL=postgres://…",
    ),
]

ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 8


def _database_url():
    db = connection.settings_dict
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


@pytest.fixture
def owners(partnership, plan, issue, council):
    """``PEOPLE`` officers, each in a team owning one action."""
    people = []
    for n in range(PEOPLE):
        team = f.TeamFactory(name=f"Team {n}", organisation=council, partnership=partnership)
        person = f.UserFactory(username=f"owner{n}", teams=[team])
        f.RoleFactory(user=person, partnership=partnership, role=Role.Kind.OFFICER)
        f.ActionFactory(issue=issue, owner_teams=[team])
        people.append(person)
    return people


def _round(partnership, plan, *, opened_at, deadline):
    meeting = f.MeetingFactory(partnership=partnership, date=timezone.localdate() + datetime.timedelta(days=20))
    update_round = UpdateRound.objects.create(meeting=meeting, deadline=deadline, opened_at=opened_at)
    update_round.plans.add(plan)
    update_round.actions.set(Action.objects.filter(issue__priority__plan=plan))
    return update_round


def _run_two_at_once(smtp_server, settings):
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
        "SITE_URL": "https://csp.example.org",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    env["PDF_RENDER_IN_PROCESS"] = "1"  # the pack renders inside the command, not in a grandchild
    command = [sys.executable, "manage.py", "send_reminders"]
    children = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # noqa: S603
        for _ in range(2)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    assert [child.returncode for child in children] == [0, 0], outputs
    return [out for out, _ in outputs]


def _sent(output):
    last = output.strip().splitlines()[-1]  # "Sent N emails to M people"
    return int(last.split()[1])


def test_two_copies_at_once_send_each_digest_once(smtp_server, settings, partnership, plan, owners):
    now = timezone.now()
    _round(partnership, plan, opened_at=now - datetime.timedelta(minutes=1), deadline=now + datetime.timedelta(days=10))
    outputs = _run_two_at_once(smtp_server, settings)
    outputs += _run_two_at_once(smtp_server, settings)
    received = Counter(str(message["To"]) for message in smtp_server.messages)
    assert received == {person.email: 1 for person in owners}
    assert sum(_sent(out) for out in outputs) == PEOPLE
    assert SentEmail.objects.count() == PEOPLE


def test_two_copies_at_the_deadline_close_the_round_once(smtp_server, settings, partnership, plan, owners, chair):
    now = timezone.now()
    update_round = _round(
        partnership, plan, opened_at=now - datetime.timedelta(days=3), deadline=now - datetime.timedelta(minutes=1)
    )
    _run_two_at_once(smtp_server, settings)
    update_round.refresh_from_db()
    pack_notices = [m for m in smtp_server.messages if "pack" in str(m["Subject"])]
    assert update_round.state == UpdateRound.State.CLOSED
    assert MeetingPack.objects.filter(meeting=update_round.meeting).count() == 1
    assert [str(m["To"]) for m in pack_notices] == [chair.email]
