"""The dashboard's shortcuts give what the plain definitions give, on a plan with awkward
history: notes back-dated, dated before their action was created, deleted, restricted,
several on one day, actions created after the last month end."""

import datetime
import random

import pytest
import time_machine

from actions.models import Action, ActionUpdate, Marking, Rag
from plans.dashboard import NEWEST, RAG_ORDER, month_ends, newest_updates, rag_over_time
from tests import factories as f

TODAY = datetime.date(2025, 11, 15)
RATINGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]


@pytest.fixture
def tangled_plan(plan, issue, team, other_team):
    rnd = random.Random(20251115)
    with time_machine.travel(datetime.datetime(2025, 11, 15, 12, 0), tick=False):
        for n in range(24):
            created = datetime.datetime(2025, rnd.randint(1, 12), rnd.randint(1, 28), 9, 0, tzinfo=datetime.UTC)
            action = f.ActionFactory(issue=issue, owner_teams=[rnd.choice([team, other_team])], created_at=created)
            for _ in range(rnd.randint(0, 6)):
                day = datetime.date(2025, rnd.randint(1, 11), rnd.choice([1, 1, 14, 15]))  # shared days
                f.UpdateFactory(
                    action=action,
                    date=day,
                    written_on=TODAY,
                    rag=rnd.choice(RATINGS),
                    order=rnd.randint(0, 2),
                    marking=Marking.OFFICIAL_SENSITIVE if rnd.random() < 0.3 else Marking.OFFICIAL,
                    is_deleted=rnd.random() < 0.15,
                    created_at=datetime.datetime(2025, 11, rnd.randint(1, 14), n % 24, tzinfo=datetime.UTC),
                )
    return plan


def reference_series(plan, ends):
    """Counts at each month end, action by action, straight from the definition."""
    series = []
    for end in ends:
        counts = dict.fromkeys(RAG_ORDER, 0)
        for action in Action.objects.in_plan(plan):
            live = [u for u in action.updates.all() if not u.is_deleted and u.date <= end]
            if live:
                counts[max(live, key=lambda u: (u.date, u.order, u.id)).rag] += 1
            elif action.created_at.date() <= end:
                counts[Rag.NOT_RATED] += 1
        series.append((end, counts))
    return series


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (datetime.date(2025, 4, 1), datetime.date(2025, 11, 30)),  # a plan year so far
        (datetime.date(2024, 11, 1), datetime.date(2025, 12, 31)),  # months before any note
        (datetime.date(2025, 3, 1), datetime.date(2025, 6, 30)),  # notes and actions after the last end
    ],
)
def test_rag_over_time_equals_the_definition(tangled_plan, first, last):
    ends = month_ends(first, last)
    assert rag_over_time(Action.objects.in_plan(tangled_plan), ends) == reference_series(tangled_plan, ends)


@pytest.mark.parametrize("who", ["chair", "officer", "other_officer"])
def test_newest_updates_through_the_latest_dates_equal_a_read_of_the_whole_plan(tangled_plan, who, request):
    user = request.getfixturevalue(who)
    latest = dict(
        Action.objects.in_plan(tangled_plan).filter(last_update_on__isnull=False).values_list("pk", "last_update_on")
    )
    assert len(latest) >= 10
    quick = newest_updates(tangled_plan, user, latest_dates=latest)
    whole = newest_updates(tangled_plan, user)
    assert [u.pk for u in quick] == [u.pk for u in whole]
    assert len(whole) == 10


def test_newest_updates_are_the_newest_live_ones(tangled_plan, chair):
    expected = list(
        ActionUpdate.objects.live().filter(action__issue__priority__plan=tangled_plan).order_by(*NEWEST)[:10]
    )
    assert [u.pk for u in newest_updates(tangled_plan, chair)] == [u.pk for u in expected]
