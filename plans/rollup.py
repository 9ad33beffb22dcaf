"""Roll-up: the picture of each issue, priority and plan from its actions and milestones.

For each: the number of actions at each rating, how many are complete (status completed, or
rated Blue), the milestones done of those due by today, and a *derived* rating by the
partnership's rule (``Partnership.rollup_rule``):

- "worst": the worst rating among its rated actions (Red, then Amber, Green, Blue);
- "majority": the rating most of them have, the worse one on a tie.

Rated actions are those rated Red, Amber, Green or Blue and still part of the plan (not
discharged, carried forward or cancelled). With none, the derived rating is "not yet rated".
A derived rating is computed on every read, always shown as "Derived", never stored as if
someone rated it. Two grouped queries whatever the number of plans, issues or actions
(``rollups``). The rules in plain words: docs/suggested-rag.md.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from actions.models import Action, Milestone, Rag, Status
from actions.suggestion import SEVERITY

from .models import Issue

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]
# Actions no longer part of the plan's work: counted by rating, never in the derived rating.
LEFT_THE_PLAN = {Status.DISCHARGED, Status.CARRIED_FORWARD, Status.CANCELLED}
RULE_WORDS = {"worst": "worst of", "majority": "majority of"}


@dataclass
class Rollup:
    rule: str = "worst"
    counts: Counter = field(default_factory=Counter)  # rating -> actions
    rated: Counter = field(default_factory=Counter)  # rating -> actions the derived rating reads
    complete: int = 0
    milestones_due: int = 0
    milestones_done: int = 0  # of those due

    def add(self, other):
        self.counts.update(other.counts)
        self.rated.update(other.rated)
        self.complete += other.complete
        self.milestones_due += other.milestones_due
        self.milestones_done += other.milestones_done

    @property
    def total(self):
        return sum(self.counts.values())

    @property
    def rated_total(self):
        return sum(self.rated.values())

    @property
    def share_complete(self):
        """Per cent of the actions complete, rounded down; None with no actions."""
        return self.complete * 100 // self.total if self.total else None

    @property
    def derived(self):
        return derive(self.rated, self.rule)

    @property
    def rule_words(self):
        return RULE_WORDS.get(self.rule, self.rule)

    def cells(self):
        return [(rag, self.counts.get(rag, 0)) for rag in RAG_ORDER]

    def counts_text(self):
        """ "2 Red, 3 Amber, 1 Not yet rated": the ratings present, in the usual order."""
        return ", ".join(f"{n} {Rag(rag).label}" for rag, n in self.cells() if n)

    def describe(self):
        """One line for text outputs (PDF, feed): "Derived: Amber (worst of 12 actions) · 3 of
        5 milestones done"."""
        n = self.rated_total
        words = f"Derived: {Rag(self.derived).label} ({self.rule_words} {n} action{'' if n == 1 else 's'})"
        if self.total:
            words += f" · {self.complete} of {self.total} complete"
        if self.milestones_due:
            words += f" · {self.milestones_done} of {self.milestones_due} milestones done"
        return words


def derive(rated, rule):
    """The derived rating of actions rated ``rated`` ({rating: count}) by ``rule``."""
    present = [rag for rag in SEVERITY if rated.get(rag)]
    if not present:
        return Rag.NOT_RATED
    if rule == "majority":
        # Most actions first; on a tie the worse (lower severity) rating.
        return min(present, key=lambda rag: (-rated[rag], SEVERITY[rag]))
    return min(present, key=SEVERITY.__getitem__)


@dataclass
class Rollups:
    plans: dict = field(default_factory=dict)
    priorities: dict = field(default_factory=dict)
    issues: dict = field(default_factory=dict)

    def plan(self, plan):
        return self.plans.get(plan.pk) or Rollup(rule=plan.partnership.rollup_rule)


def rollups(plans, *, today=None, plans_only=False):
    """``Rollups`` of ``plans`` (ActionPlan objects, their partnership selected) and of their
    priorities and issues: two grouped queries (actions by issue, rating and status; the
    milestones by issue), whatever the number of plans or actions. With ``plans_only`` (the
    county view) the queries group by plan alone and only ``plans`` is filled."""
    today = today or timezone.localdate()
    rules = {plan.pk: plan.partnership.rollup_rule for plan in plans}
    result = Rollups()
    if not rules:
        return result
    actions = Action.objects.filter(issue__priority__plan_id__in=rules).agreed().order_by()
    levels = ["issue_id", "issue__priority_id", "issue__priority__plan_id"]
    if plans_only:
        levels = levels[2:]
    found = {}  # (issue id, priority id, plan id), None where not grouped by -> Rollup

    def rollup_of(where):
        place = (None,) * (3 - len(where)) + tuple(where)
        if place not in found:
            found[place] = Rollup(rule=rules[place[2]])
        return found[place]

    for *where, rag, status, n in actions.values_list(*levels, "rag", "status").annotate(n=Count("pk")):
        rollup = rollup_of(where)
        rollup.counts[rag] += n
        if status not in LEFT_THE_PLAN and rag in SEVERITY:
            rollup.rated[rag] += n
        if status == Status.COMPLETED or rag == Rag.BLUE:
            rollup.complete += n
    due = Q(due_date__lte=today)
    milestones = (
        Milestone.objects.filter(action__in=actions.values("pk"))
        .order_by()
        .values_list(*(f"action__{level}" for level in levels))
        .annotate(due=Count("pk", filter=due), done=Count("pk", filter=due & Q(done_on__isnull=False)))
    )
    for *where, n_due, n_done in milestones:
        rollup = rollup_of(where)
        rollup.milestones_due += n_due
        rollup.milestones_done += n_done
    for (issue_id, priority_id, plan_id), rollup in found.items():
        if issue_id is not None:
            result.issues[issue_id] = rollup
            result.priorities.setdefault(priority_id, Rollup(rule=rules[plan_id])).add(rollup)
            result.plans.setdefault(plan_id, Rollup(rule=rules[plan_id])).add(rollup)
        else:
            result.plans[plan_id] = rollup
    return result


def plan_rollups(plan, *, today=None):
    """``rollups`` of one plan."""
    return rollups([plan], today=today)


def rollup_rows(plan, *, today=None):
    """The roll-up of a plan as rows for the analyst feed: the plan, each priority and each
    issue, with their counts, complete, milestones and derived rating (labelled derived)."""
    found = plan_rollups(plan, today=today)
    rows = []

    def row(level, number, title, rollup):
        return {
            "level": level,
            "number": number,
            "title": title,
            **{f"actions_{rag}": rollup.counts.get(rag, 0) for rag in RAG_ORDER},
            "actions": rollup.total,
            "complete": rollup.complete,
            "milestones_due": rollup.milestones_due,
            "milestones_done": rollup.milestones_done,
            "derived_rag": rollup.derived,
            "derived_rule": rollup.rule,
            "derived_from_actions": rollup.rated_total,
        }

    rows.append(row("plan", "", plan.full_title, found.plan(plan)))
    empty = Rollup(rule=plan.partnership.rollup_rule)
    issues = defaultdict(list)
    for issue in Issue.objects.filter(priority__plan=plan).order_by("order", "pk"):
        issues[issue.priority_id].append(issue)
    for priority in plan.priorities.order_by("number"):
        rows.append(row("priority", str(priority.number), priority.title, found.priorities.get(priority.pk, empty)))
        for position, issue in enumerate(issues[priority.pk], start=1):
            rows.append(row("issue", f"{priority.number}.{position}", issue.title, found.issues.get(issue.pk, empty)))
    return rows


ROLLUP_COLUMNS = [
    "level",
    "number",
    "title",
    *(f"actions_{rag}" for rag in RAG_ORDER),
    "actions",
    "complete",
    "milestones_due",
    "milestones_done",
    "derived_rag",
    "derived_rule",
    "derived_from_actions",
]
