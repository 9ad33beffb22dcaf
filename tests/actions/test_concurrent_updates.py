"""Two people adding updates to one action at the same moment both succeed (row lock, not version check)."""

import threading

import pytest
from django.db import connection, connections

from actions.models import Rag
from actions.services import action_add_update


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
