"""Monitoring quality: how well each open action of a plan is monitored, with its reasons.

An open action is *well monitored* when every check that applies to it passes:

1. an owner who is an active user: one of its owning teams (not ended) has an active member;
2. it has a target date;
3. it was updated within the partnership's interval (``actions.staleness.needs_update``);
4. its updates say something: not three or more "no change" answers (the round's
   ``NO_CHANGE_TEXT``) running since the last update that said something;
5. none of its milestones is overdue;
6. it is linked to a performance measure, when its priority has measures (else the check
   does not apply).

Its score is the checks passed of those that apply. Per team (each owning team) and per plan:
the share of open actions well monitored. For chairs and administrators only (the dashboard,
the round tracker, the action page), never shown to officers as a league table. One query for
the actions and one for their owning teams, whatever the plan's size (``plan_quality``); one
for a single action (``action_quality``).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DateField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import Action, ActionUpdate, PerformanceMeasure, Status
from actions.staleness import needs_update

from .dashboard import ActionLine, action_url_maker, withhold_lines
from .rounds import NO_CHANGE_TEXT

NEVER = datetime.date(1900, 1, 1)  # before any update: every "no change" answer counts
QUIET_ROUNDS = 3  # "no change" answers running before "its updates say something" fails

# What each check asks, as the dashboard lists them.
CHECKS = {
    "owner": "an owning team with an active member",
    "target": "a target date",
    "recent": "an update within the partnership's interval",
    "says": f"updates that say something (not {QUIET_ROUNDS} “no change” answers running)",
    "milestones": "no milestone overdue",
    "measure": "linked to a measure, where its priority has measures",
}
# Why an action fails each check.
REASONS = {
    "owner": "no owning team with an active member",
    "target": "no target date",
    "recent": "no update within the interval",
    "says": f"{QUIET_ROUNDS} or more “no change” answers running",
    "milestones": "milestones overdue",
    "measure": "not linked to any of its priority's measures",
}


@dataclass
class ActionQuality:
    line: ActionLine | None  # None on the action's own page
    failed: list  # keys of CHECKS
    applicable: int

    @property
    def score(self):
        return self.applicable - len(self.failed)

    @property
    def well(self):
        return not self.failed

    @property
    def reasons(self):
        return [REASONS[key] for key in self.failed]


@dataclass
class Share:
    name: str
    open: int = 0
    well: int = 0

    @property
    def percent(self):
        return self.well * 100 // self.open if self.open else None


@dataclass
class PlanQuality:
    actions: list = field(default_factory=list)  # ActionQuality of every open action
    teams: list = field(default_factory=list)  # Share per owning team, by name

    @property
    def plan(self):
        return Share("The plan", len(self.actions), sum(1 for a in self.actions if a.well))

    @property
    def needing_attention(self):
        """The actions not well monitored, the lowest scores first."""
        return sorted((a for a in self.actions if not a.well), key=lambda a: (-len(a.failed), a.line.pk))


def _annotated(actions):
    """``actions`` with what the checks read, as subqueries of one query. The "no change"
    answers running are those after the last update that said something (in the updates'
    order: date, then order, then id), found once per action rather than once per answer."""
    live_notes = ActionUpdate.objects.filter(is_deleted=False, is_review=False)
    said = live_notes.filter(action_id=OuterRef("pk")).exclude(text__startswith=NO_CHANGE_TEXT)
    quiet = (
        live_notes.filter(action=OuterRef("pk"), text__startswith=NO_CHANGE_TEXT)
        .filter(
            Q(date__gt=OuterRef("said_date"))
            | Q(date=OuterRef("said_date"), order__gt=OuterRef("said_order"))
            | Q(date=OuterRef("said_date"), order=OuterRef("said_order"), pk__gt=OuterRef("said_pk"))
        )
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    active_owner = Action.owner_teams.through.objects.filter(
        action_id=OuterRef("pk"), team__ended_on__isnull=True, team__members__is_active=True
    )
    last_said = said.order_by("-date", "-order", "-pk")
    return (
        actions.with_suggestion_facts()
        .annotate(
            said_date=Coalesce(Subquery(last_said.values("date")[:1]), Value(NEVER), output_field=DateField()),
            said_order=Coalesce(Subquery(last_said.values("order")[:1]), 0),
            said_pk=Coalesce(Subquery(last_said.values("pk")[:1]), 0),
        )
        .annotate(
            has_active_owner=Exists(active_owner),
            quiet_answers=Coalesce(Subquery(quiet), 0),
            priority_has_measures=Exists(PerformanceMeasure.objects.filter(priority_id=OuterRef("issue__priority_id"))),
            has_measure=Exists(Action.measures.through.objects.filter(action_id=OuterRef("pk"))),
        )
    )


FIELDS = ("pk", "text", "marking", "status", "target_date", "last_update_on", "created_at")


def _checked(action, interval, today):
    """``(failed, applicable)`` of an action loaded by ``_annotated``: the keys of the checks
    it fails, and how many apply to it."""
    failed = []
    if not action.has_active_owner:
        failed.append("owner")
    if action.target_date is None:
        failed.append("target")
    if needs_update(action, interval_days=interval, today=today):
        failed.append("recent")
    if action.quiet_answers >= QUIET_ROUNDS:
        failed.append("says")
    if action.overdue_milestones:
        failed.append("milestones")
    if action.priority_has_measures and not action.has_measure:
        failed.append("measure")
    return failed, 5 + action.priority_has_measures


def action_quality(action, *, today=None):
    """``ActionQuality`` of one open action (its ``line`` None), or None when it is not open:
    one query, whatever its updates, milestones and measures. For the action page, shown to
    chairs and administrators only, like the dashboard's."""
    if action.status != Status.OPEN:
        return None
    today = today or timezone.localdate()
    row = _annotated(Action.objects.filter(pk=action.pk)).only(*FIELDS).first()
    if row is None:
        return None
    return ActionQuality(None, *_checked(row, action.plan.partnership.update_interval_days, today))


def plan_quality(plan, user, *, today=None):
    """``PlanQuality`` of the plan's open actions (texts withheld as ``user`` may read them)."""
    today = today or timezone.localdate()
    interval = plan.partnership.update_interval_days
    url_for = action_url_maker()
    open_actions = Action.objects.in_plan(plan).filter(status=Status.OPEN)
    result = PlanQuality()
    by_pk = {}
    rows = _annotated(open_actions).order_by("issue__priority__number", "issue__order", "order", "pk")
    for action in rows.only(*FIELDS):
        line = ActionLine(action.pk, action.text, url_for(action.pk), marking=action.marking)
        quality = ActionQuality(line, *_checked(action, interval, today))
        result.actions.append(quality)
        by_pk[action.pk] = quality
    withhold_lines(user, [a.line for a in result.actions])
    teams = {}
    owning = Action.owner_teams.through.objects.filter(action__in=open_actions.values("pk")).values_list(
        "team_id", "team__name", "action_id"
    )
    for team_id, name, action_id in owning.order_by():
        share = teams.setdefault(team_id, Share(name))
        share.open += 1
        share.well += by_pk[action_id].well
    result.teams = sorted(teams.values(), key=lambda share: share.name)
    return result
