"""Two roll-overs of one plan confirmed at the same moment, each in its own connection: one
job is queued, and every action is carried once.

PostgreSQL only: SQLite has no row locks (its writers wait for the whole database) and its
test database lives in memory, out of the threads' reach.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from actions.models import Action
from plans import roll_over_jobs
from plans.models import RollOverJob
from tests import factories as f
from tests.queue_helpers import run_queued_tasks

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and several connections: run with DATABASE_URL=postgres://…",
    ),
]


@pytest.fixture
def choices(plan, team, partnership):
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1))
    actions = [f.ActionFactory(issue=issue, owner_teams=[team]) for _ in range(3)]
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    return {"plan": plan, "target": target, "actions": actions, "mapping": {}, "archive": False}


def at_once(*calls):
    """Run ``calls`` in threads released together; what each returned or the refusal it met."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except ValidationError as error:
            outcomes[index] = error.messages[0]
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_large_roll_overs_confirmed_at_once_queue_one_job(choices, admin, database_queue):
    def start():
        return roll_over_jobs.job_start(**choices, total=3, user=admin)

    outcomes = at_once(start, start)
    assert RollOverJob.objects.count() == 1
    assert sum(isinstance(o, str) and "is already under way" in o for o in outcomes) == 1


def test_a_small_and_a_large_roll_over_at_once_carry_each_action_once(choices, admin, database_queue):
    outcomes = at_once(
        lambda: roll_over_jobs.job_start(**choices, total=3, user=admin),
        lambda: roll_over_jobs.roll_over_now(**choices),
    )
    run_queued_tasks()
    assert Action.objects.in_plan(choices["target"]).count() == 3
    assert all(o is not None for o in outcomes)
