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

from dataclasses import dataclass, field
from types import SimpleNamespace

from django.db.models import Count, Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import Action, ActionUpdate, PerformanceMeasure, Rag, Status
from actions.staleness import needs_update
from actions.suggestion import Thresholds, facts_of, is_better, suggest

from .dashboard import ActionLine, action_url_maker, withhold_lines
from .rounds import NO_CHANGE_TEXT

QUIET_ROUNDS = 3  # "no change" answers running before "its updates say something" fails
BETTER_ABLE = {Rag.GREEN, Rag.AMBER, Rag.BLUE}  # ratings that can be better than a suggestion

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
    # The open actions rated better than suggested: {"action", "rag", "suggestion", "reason"}.
    better_than_suggested: list = field(default_factory=list)

    @property
    def plan(self):
        return Share("The plan", len(self.actions), sum(1 for a in self.actions if a.well))

    @property
    def needing_attention(self):
        """The actions not well monitored, the lowest scores first."""
        return sorted((a for a in self.actions if not a.well), key=lambda a: (-len(a.failed), a.line.pk))


def _annotated(actions, today, *, reason=True):
    """``actions`` with what the checks and the suggestion read, as subqueries of one query.
    "No change" answers running: three or more run since the last update that said
    something exactly when the action's three newest live updates (in the updates' order:
    date, then order, then id) are all "no change" answers, so only those three are read."""
    live_notes = ActionUpdate.objects.filter(is_deleted=False, is_review=False)
    newest = live_notes.filter(action_id=OuterRef(OuterRef("pk"))).order_by("-date", "-order", "-pk")
    quiet = (
        live_notes.filter(pk__in=Subquery(newest.values("pk")[:QUIET_ROUNDS]), text__startswith=NO_CHANGE_TEXT)
        .order_by()
        .values("action")
        .annotate(n=Count("pk"))
        .values("n")
    )
    active_owner = Action.owner_teams.through.objects.filter(
        action_id=OuterRef("pk"), team__ended_on__isnull=True, team__members__is_active=True
    )
    annotated = actions.with_suggestion_facts(today).annotate(
        has_active_owner=Exists(active_owner),
        quiet_answers=Coalesce(Subquery(quiet), 0),
        priority_has_measures=Exists(PerformanceMeasure.objects.filter(priority_id=OuterRef("issue__priority_id"))),
        has_measure=Exists(Action.measures.through.objects.filter(action_id=OuterRef("pk"))),
    )
    if not reason:
        return annotated
    # The reason the owner gave with their latest update, for the ratings better than suggested.
    latest = live_notes.filter(action=OuterRef("pk")).order_by("-date", "-order", "-id")
    return annotated.annotate(reason=Subquery(latest.values("rating_reason")[:1]))


FIELDS = ("pk", "text", "marking", "status", "rag", "target_date", "last_update_on", "created_at")
ANNOTATIONS = (
    "overdue_milestones",
    "oldest_overdue_due",
    "has_active_owner",
    "quiet_answers",
    "priority_has_measures",
    "has_measure",
)


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
    # No reason: the action page shows the quality only, not the better-than-suggested list.
    row = _annotated(Action.objects.filter(pk=action.pk), today, reason=False).values(*FIELDS, *ANNOTATIONS).first()
    if row is None:
        return None
    return ActionQuality(None, *_checked(SimpleNamespace(**row), action.plan.partnership.update_interval_days, today))


def plan_quality(plan, user, *, today=None):
    """``PlanQuality`` of the plan's open actions (texts withheld as ``user`` may read them),
    with the actions rated better than suggested. One query for the actions (plain rows, no
    model instances) and one for their owning teams, whatever the plan's size."""
    today = today or timezone.localdate()
    interval = plan.partnership.update_interval_days
    thresholds = Thresholds.of(plan.partnership)
    url_for = action_url_maker()
    open_actions = Action.objects.in_plan(plan).filter(status=Status.OPEN)
    result = PlanQuality()
    by_pk = {}
    rows = _annotated(open_actions, today).order_by("issue__priority__number", "issue__order", "order", "pk")
    for row in rows.values(*FIELDS, *ANNOTATIONS, "reason"):
        action = SimpleNamespace(**row)
        line = ActionLine(action.pk, action.text, url_for(action.pk), marking=action.marking)
        quality = ActionQuality(line, *_checked(action, interval, today))
        result.actions.append(quality)
        by_pk[action.pk] = quality
        if action.rag in BETTER_ABLE:
            suggestion = suggest(facts_of(action), thresholds, today)
            if suggestion and is_better(action.rag, suggestion.rag):
                result.better_than_suggested.append(
                    {"action": line, "rag": action.rag, "suggestion": suggestion, "reason": action.reason or ""}
                )
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


def better_than_suggested(plan, user, *, today=None):
    """The plan's open actions whose owner's rating is better than the suggested one ("Rated
    Green; suggested Red: 3 milestones overdue"), for the chair's attention, with the reason
    the owner gave with their latest update (``plan_quality`` reads both at once)."""
    return plan_quality(plan, user, today=today).better_than_suggested
