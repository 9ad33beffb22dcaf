"""Two people adding updates to one action at the same moment both succeed (row lock, not version check)."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection, connections

from actions import models
from actions.models import Rag, month_number
from actions.services import action_add_update, update_edit, update_version


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)")
def test_two_simultaneous_updates_both_succeed_and_chain_their_ratings(action, officer, admin):
    start = threading.Barrier(2)
    errors = []

    def add(author, rag):
        try:
            start.wait()
            action_add_update(action=type(action).objects.get(pk=action.pk), author=author, text=str(rag), rag=rag)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=add, args=(officer, Rag.AMBER)),
        threading.Thread(target=add, args=(admin, Rag.GREEN)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    updates = list(action.updates.order_by("created_at", "id"))
    assert len(updates) == 2
    # The second writer waited for the first, so it records the first one's rating as "changed from".
    assert updates[1].previous_rag == updates[0].rag


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real row locks (PostgreSQL)")
def test_two_simultaneous_corrections_leave_the_actions_summary_right(action, officer, admin, monkeypatch):
    """Each correction refreshes the action's summary of its updates; both read the updates
    at the same moment unless the action's row lock makes the second wait for the first."""
    first = action_add_update(action=action, author=officer, text="One", rag=Rag.RED, date=datetime.date(2026, 1, 5))
    second = action_add_update(action=action, author=officer, text="Two", rag=Rag.AMBER, date=datetime.date(2026, 2, 5))
    both_read = threading.Barrier(2, timeout=2)

    def summary_after_both_read(updates):
        # Without the lock both get here, each without the other's change; with it the
        # second waits for the first to commit, and the first waits here in vain.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return models.rating_history.__wrapped__(updates)

    summary_after_both_read.__wrapped__ = models.rating_history
    monkeypatch.setattr(models, "rating_history", summary_after_both_read)
    errors = []

    def correct(update, day):
        try:
            update_edit(
                update=update,
                editor=admin,
                version=update_version(update),
                text=update.text,
                date=day,
                rag=update.rag,
                marking=update.marking,
            )
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=correct, args=(first, datetime.date(2026, 3, 5))),
        threading.Thread(target=correct, args=(second, datetime.date(2026, 4, 5))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    action.refresh_from_db()
    assert action.last_update_on == datetime.date(2026, 4, 5)
    assert action.rating_history == [
        [month_number(datetime.date(2026, 3, 5)), Rag.RED],
        [month_number(datetime.date(2026, 4, 5)), Rag.AMBER],
    ]
