"""The suggested RAG rating: what the facts the app holds say about an action, in plain words.

A suggestion never changes a rating: the owner rates; the suggestion is shown beside their
choice (the update form asks for a reason when they choose differently), and the dashboard
lists the actions rated better than suggested for the chair. The rules (docs/suggested-rag.md):

1. Milestones overdue (not done, due date passed): one or more suggest Amber; the
   partnership's ``suggest_red_milestones`` or more, or one more than
   ``suggest_red_days_late`` days late, suggest Red.
2. Target date: passed (the action still open) suggests Red; within
   ``suggest_target_near_days`` days suggests Amber.
3. No update for longer than the partnership's ``update_interval_days`` suggests Amber.

The suggestion is the worst of what the rules say, Green when none says anything, and none
at all for an action that is not open. ``suggest`` is pure: the facts come from
``ActionQuerySet.with_suggestion_facts`` (a constant number of queries for any number of
actions) through ``facts_of``.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from .models import Rag, Status

# Worst first: a lower index is a worse rating. Blue (complete) is "better" than Green.
SEVERITY = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2, Rag.BLUE: 3}


@dataclass(frozen=True, slots=True)
class Thresholds:
    red_milestones: int = 3
    red_days_late: int = 28
    target_near_days: int = 28
    interval_days: int = 42

    @classmethod
    def of(cls, partnership):
        return cls(
            red_milestones=partnership.suggest_red_milestones,
            red_days_late=partnership.suggest_red_days_late,
            target_near_days=partnership.suggest_target_near_days,
            interval_days=partnership.update_interval_days,
        )


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read of one action."""

    status: str = Status.OPEN
    target_date: datetime.date | None = None
    last_update_on: datetime.date | None = None  # None: never updated (``created_on`` counts)
    created_on: datetime.date | None = None
    overdue_milestones: int = 0
    oldest_overdue_due: datetime.date | None = None  # the due date of the latest-running one


@dataclass(frozen=True, slots=True)
class Suggestion:
    rag: str
    reasons: list = field(default_factory=list)

    @property
    def label(self):
        return Rag(self.rag).label

    @property
    def summary(self):
        """ "Amber — 2 milestones overdue": the rating and its reasons, in words."""
        return f"{self.label} — {'; '.join(self.reasons)}" if self.reasons else self.label


def _days(n):
    return f"{n} day{'' if n == 1 else 's'}"


def suggest(facts, thresholds, today):
    """The suggested rating of an action with ``facts`` (``Facts``) under ``thresholds``
    (``Thresholds``) on ``today``, or None for an action that is not open."""
    if facts.status != Status.OPEN:
        return None
    said = []  # (rating, reason)
    n = facts.overdue_milestones
    if n:
        late = (today - facts.oldest_overdue_due).days if facts.oldest_overdue_due else 0
        overdue = f"{n} milestone{'' if n == 1 else 's'} overdue"
        if late > thresholds.red_days_late:
            said.append((Rag.RED, f"{overdue}, one {_days(late)} late"))
        elif n >= thresholds.red_milestones:
            said.append((Rag.RED, overdue))
        else:
            said.append((Rag.AMBER, overdue))
    if facts.target_date is not None:
        to_go = (facts.target_date - today).days
        if to_go < 0:
            said.append((Rag.RED, f"target date passed {_days(-to_go)} ago"))
        elif to_go <= thresholds.target_near_days:
            said.append((Rag.AMBER, "target date is today" if to_go == 0 else f"target date in {_days(to_go)}"))
    since = facts.last_update_on or facts.created_on
    if since is not None and (today - since).days > thresholds.interval_days:
        words = "no update for" if facts.last_update_on else "no update since it was added,"
        said.append((Rag.AMBER, f"{words} {_days((today - since).days)}"))
    if not said:
        return Suggestion(Rag.GREEN, [])
    said.sort(key=lambda pair: SEVERITY[pair[0]])  # stable: the rules' order within a rating
    return Suggestion(said[0][0], [reason for _, reason in said])


def facts_of(action, *, last_update_on=None):
    """The ``Facts`` of an action loaded with ``with_suggestion_facts``. ``last_update_on``
    stands in for its stored one (the update form asks "what if updated today?")."""
    return Facts(
        status=action.status,
        target_date=action.target_date,
        last_update_on=last_update_on or action.last_update_on,
        created_on=timezone.localdate(action.created_at),
        overdue_milestones=action.overdue_milestones,
        oldest_overdue_due=action.oldest_overdue_due,
    )


def is_better(rag, suggested):
    """True when the owner's ``rag`` is better than the ``suggested`` rating (Green against a
    suggested Amber, Blue against anything); "not yet rated" is neither better nor worse."""
    if rag not in SEVERITY or suggested not in SEVERITY:
        return False
    return SEVERITY[rag] > SEVERITY[suggested]
