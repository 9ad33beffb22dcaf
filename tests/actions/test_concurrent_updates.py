"""Two people writing to one action at the same moment both succeed (row lock, not version check).

The race is made certain, not left to timing: the first writer holds its transaction open,
with the action's row locked, until PostgreSQL shows the second writer waiting for that lock.
"""

import datetime
import threading
import time

import pytest
from django.db import connection, connections

from actions import models
from actions.models import Rag, month_number
from actions.services import action_add_update, update_edit, update_version

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)"),
]

WAIT_SECONDS = 20


def _hold_until_another_connection_waits_for_me():
    """Poll pg_locks (live, unlike pg_stat_activity inside a transaction) for a lock request
    that this connection's transaction blocks."""
    deadline = time.monotonic() + WAIT_SECONDS
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))"
            )
            if cursor.fetchone()[0]:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"the second writer did not wait for the first's lock within {WAIT_SECONDS} s")
            time.sleep(0.05)


def _first_writer_holds_its_lock(monkeypatch):
    """The first call to ``rating_history`` (made while the action's row is locked, when the
    summary of its updates is refreshed) holds until a second writer waits. Returns an
    event set once the first writer holds the lock."""
    holding = threading.Event()
    original = models.rating_history

    def held(updates):
        if not holding.is_set():
            holding.set()
            _hold_until_another_connection_waits_for_me()
        return original(updates)

    monkeypatch.setattr(models, "rating_history", held)
    return holding


def _race(monkeypatch, first, second):
    """Run ``first`` until it holds the lock, then ``second``; return the errors of both."""
    holding = _first_writer_holds_its_lock(monkeypatch)
    errors = []

    def run(work):
        try:
            work()
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(first,)), threading.Thread(target=run, args=(second,))]
    threads[0].start()
    started = holding.wait(WAIT_SECONDS)
    threads[1].start()
    for thread in threads:
        thread.join()
    assert started, "the first writer never reached the locked section"
    return errors


def test_two_simultaneous_updates_both_succeed_and_chain_their_ratings(action, officer, admin, monkeypatch):
    def add(author, rag):
        return lambda: action_add_update(
            action=type(action).objects.get(pk=action.pk), author=author, text=str(rag), rag=rag
        )

    assert _race(monkeypatch, add(officer, Rag.AMBER), add(admin, Rag.GREEN)) == []
    updates = list(action.updates.order_by("created_at", "id"))
    assert [u.text for u in updates] == [str(Rag.AMBER), str(Rag.GREEN)]
    # The second writer waited for the first, so it records the first one's rating as "changed from".
    assert updates[1].previous_rag == Rag.AMBER


def test_two_simultaneous_corrections_leave_the_actions_summary_right(action, officer, admin, monkeypatch):
    """Each correction refreshes the action's summary of its updates; the second must read
    the updates only after the first has committed, or one of the two changes is lost."""
    first = action_add_update(action=action, author=officer, text="One", rag=Rag.RED, date=datetime.date(2026, 1, 5))
    second = action_add_update(action=action, author=officer, text="Two", rag=Rag.AMBER, date=datetime.date(2026, 2, 5))

    def correct(update, day):
        return lambda: update_edit(
            update=update,
            editor=admin,
            version=update_version(update),
            text=update.text,
            date=day,
            rag=update.rag,
            marking=update.marking,
        )

    errors = _race(monkeypatch, correct(first, datetime.date(2026, 3, 5)), correct(second, datetime.date(2026, 4, 5)))
    assert errors == []
    action.refresh_from_db()
    assert action.last_update_on == datetime.date(2026, 4, 5)
    assert action.rating_history == [
        [month_number(datetime.date(2026, 3, 5)), Rag.RED],
        [month_number(datetime.date(2026, 4, 5)), Rag.AMBER],
    ]
