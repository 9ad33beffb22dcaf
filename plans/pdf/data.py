"""Load everything a plan PDF shows, in a fixed number of queries, into plain objects.

The template then only loops: no query is made while rendering, whatever the size of
the plan (``tests/plans/test_pdf_data.py`` counts them).
"""

import dataclasses
import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from actions.carried import last_updates_before_carry
from actions.models import (
    CLOSED_STATUSES,
    WITHHELD_TEXT,
    Action,
    ActionUpdate,
    Marking,
    Milestone,
    Rag,
    Status,
    user_owns,
)
from partners.access import PartnershipRights, partnership_role

from ..models import Issue, years_label
from ..rollup import plan_rollups

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]
RAG_LABELS = dict(Rag.choices)
OWNER_FIELDS = {"team": "owner_teams", "org": "owner_organisations", "group": "owner_groups"}


@dataclass
class UpdateRow:
    date: datetime.date
    text: str
    author: str
    rag: str
    previous_rag: str
    is_new: bool = False
    is_sensitive: bool = False
    is_review: bool = False
    status_change: str = ""
    pk: int | None = None  # the update's id: a pack flags updates that came late for a round
    continued: bool = False  # a later part of a note too long for one page

    @property
    def rag_change(self):
        """("amber", "green") when this note changed the rating, else None (a first rating is no change)."""
        if self.previous_rag and self.previous_rag != self.rag and self.previous_rag != Rag.NOT_RATED:
            return self.previous_rag, self.rag
        return None


@dataclass
class MilestoneRow:
    text: str
    due_date: datetime.date
    done_on: datetime.date | None
    days_overdue: int = 0


@dataclass
class ActionRow:
    pk: int
    reference: str
    text: str
    owners: str
    rag: str
    status: str
    target_date: datetime.date | None
    updates: list = field(default_factory=list)
    rag_before: str = ""
    is_new: bool = False
    closed_since: bool = False
    hidden_sensitive: int = 0
    older_hidden: int = 0
    before_carry: UpdateRow | None = None  # with the option: the predecessor's last update
    is_sensitive: bool = False  # the action's text is OFFICIAL-SENSITIVE (shown, or withheld)
    text_withheld: bool = False
    milestones: list = field(default_factory=list)  # with the option "Show milestones"

    @property
    def rag_changed(self):
        return bool(self.rag_before) and self.rag_before != self.rag

    @property
    def is_closed(self):
        return self.status in CLOSED_STATUSES

    @property
    def first_words(self):
        return _first_words(self.text)


@dataclass
class IssueRow:
    title: str
    actions: list

    @property
    def first_words(self):
        return _first_words(self.title)


@dataclass
class TableRow:
    """One row of a priority's table: an action, or a part of an action whose notes would
    not fit on one page. Rows are not split across pages (``plan.css``), so a page never
    starts with cells left empty: a later part repeats the issue, "continued: <first words>"
    of the action, its owner and its RAG word."""

    issue: IssueRow
    action: ActionRow
    updates: list
    first_of_issue: bool
    continued: bool = False
    last: bool = True  # the action's last part carries the notes left out and before carry-over


@dataclass
class PriorityBlock:
    number: int
    title: str
    issues: list
    counts: dict
    rollup: str = ""  # "Derived: Amber (worst of 12 actions) · ...": the whole priority's roll-up

    @property
    def action_count(self):
        return sum(len(issue.actions) for issue in self.issues)

    def rows(self):
        """(issue, action, is_first_of_issue) for the table; the first row carries the issue cell."""
        for issue in self.issues:
            for index, action in enumerate(issue.actions):
                yield issue, action, index == 0

    def table_rows(self):
        """The rows the PDF's table prints: each action in parts of at most ``PART_LINES``
        lines of notes (see ``TableRow``)."""
        for issue, action, first in self.rows():
            parts = _parts(action.updates)
            for index, updates in enumerate(parts):
                yield TableRow(
                    issue=issue,
                    action=action,
                    updates=updates,
                    first_of_issue=first and index == 0,
                    continued=index > 0,
                    last=index == len(parts) - 1,
                )


@dataclass
class PlanPdfData:
    plan: object
    options: object
    priorities: list
    aims: list
    aims_label: str
    top_risks: list
    emerging_risks: list
    assessment_label: str
    restricted_count: int
    marking: str
    produced_at: datetime.datetime
    new_actions: list = field(default_factory=list)
    closed_actions: list = field(default_factory=list)
    rag_changes: list = field(default_factory=list)

    @property
    def title(self):
        return self.plan.full_title

    @property
    def totals(self):
        totals = dict.fromkeys(RAG_ORDER, 0)
        for block in self.priorities:
            for rag, count in block.counts.items():
                totals[rag] += count
        return totals

    @property
    def action_count(self):
        return sum(block.action_count for block in self.priorities)

    @property
    def rated_count(self):
        """Actions with a RAG rating (not "not yet rated"): none, and the chart is left out."""
        return sum(count for rag, count in self.totals.items() if rag != Rag.NOT_RATED)

    @property
    def update_count(self):
        return sum(len(a.updates) for b in self.priorities for _, a, _ in b.rows())


# The Update column of an A4 landscape page holds about 85 characters a line and about 38
# lines below the repeated headings. A part of an action's notes is kept to about half a
# page, so that moving a whole row to the next page leaves little blank paper.
UPDATE_LINE_CHARS = 85
PART_LINES = 20
FIRST_WORDS = 8


def _first_words(text):
    words = text.split()
    return " ".join(words[:FIRST_WORDS]) + ("…" if len(words) > FIRST_WORDS else "")


def _wrapped(text, width=UPDATE_LINE_CHARS):
    """The text as the lines it would print on, each (line, ends a paragraph)."""
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            if line and len(line) + 1 + len(word) > width:
                lines.append((line, False))
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append((line, True))
    return lines


def _note_parts(update, limit):
    """The note as one or more UpdateRows of at most ``limit`` lines; the later ones are
    marked continued and repeat the date."""
    lines = _wrapped(f"{update.date:%d/%m/%Y} – {update.text}")
    if len(lines) <= limit:
        return [update]
    text_lines = _wrapped(update.text)
    parts = []
    for start in range(0, len(text_lines), limit):
        chunk = text_lines[start : start + limit]
        text = "".join(line + ("\n" if ends else " ") for line, ends in chunk).strip()
        parts.append(dataclasses.replace(update, text=text, continued=bool(parts)))
    return parts


def _parts(updates, limit=PART_LINES):
    """The notes of an action in parts of at most ``limit`` printed lines each (a note
    longer than that is cut between words). One part when they all fit."""
    notes = [part for update in updates for part in _note_parts(update, limit)]
    parts, current, used = [], [], 0
    for note in notes:
        size = len(_wrapped(f"{note.date:%d/%m/%Y} – {note.text}"))
        if current and used + size > limit:
            parts.append(current)
            current, used = [], 0
        current.append(note)
        used += size
    parts.append(current)
    return parts


def _is_new(update, since):
    # A note written after the meeting is new to the chair even when back-dated.
    return since is not None and (update.date >= since or update.written_on >= since)


def _sensitive_allowed(user, plan):
    """A function action -> bool: may this reader's PDF carry the action's sensitive notes and text?

    ``user=None`` is the command line, run by someone with the server's keys."""
    if user is None:
        return lambda action: True
    if PartnershipRights(partnership_role(user, plan.partnership_id)).is_senior:
        return lambda action: True
    return lambda action: user_owns(user, action, teams_only=True)


def load_plan_data(plan, options, *, user=None, now=None):
    """Everything the PDF of ``plan`` shows under ``options``, for ``user`` (None: the CLI)."""
    now = now or timezone.now()
    since = options.since
    actions = (
        Action.objects.agreed()
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        .order_by("order", "id")
    )
    if not options.include_closed:
        actions = actions.filter(status=Status.OPEN)
    owner = options.owner_filter()
    if owner:
        kind, pk = owner
        actions = actions.filter(**{OWNER_FIELDS[kind]: pk})
    priorities = plan.priorities.order_by("number").prefetch_related(
        Prefetch(
            "issues",
            queryset=Issue.objects.order_by("order", "id").prefetch_related(Prefetch("actions", queryset=actions)),
        )
    )
    if options.priority:
        priorities = priorities.filter(number=options.priority)
    priorities = list(priorities)

    action_ids = [a.pk for p in priorities for i in p.issues.all() for a in i.actions.all()]
    updates_by_action = {}
    for update in (
        ActionUpdate.objects.live()
        .filter(action_id__in=action_ids)
        .select_related("author")
        .order_by("date", "order", "id")
    ):
        updates_by_action.setdefault(update.action_id, []).append(update)

    # Only with the option: a plan PDF without it asks nothing more than before.
    milestones_by_action = _milestones(action_ids) if options.show_milestones else {}
    allowed = _sensitive_allowed(user, plan) if options.include_sensitive else (lambda action: False)
    restricted = 0
    any_sensitive = False
    before_carry = {}
    if options.before_carry:
        carried = [a for p in priorities for i in p.issues.all() for a in i.actions.all() if a.carried_from_id]
        last, restricted = last_updates_before_carry(carried, sensitive_allowed=allowed)
        before_carry = {pk: _update_row(update) for pk, update in last.items()}
    # The roll-up of each whole priority (whatever the options leave out): plans/rollup.py.
    found = plan_rollups(plan, today=timezone.localdate(now))
    blocks, new_actions, closed_actions, rag_changes = [], [], [], []
    for priority in priorities:
        counts = dict.fromkeys(RAG_ORDER, 0)
        issue_rows = []
        for issue in priority.issues.all():
            rows = []
            for action in issue.actions.all():
                row = _action_row(action, updates_by_action.get(action.pk, []), options, allowed(action))
                any_sensitive = any_sensitive or (row.is_sensitive and not row.text_withheld)
                row.before_carry = before_carry.get(action.pk)
                row.milestones = _milestone_rows(milestones_by_action.get(action.pk, []), row, now)
                any_sensitive = any_sensitive or bool(row.before_carry and row.before_carry.is_sensitive)
                restricted += row.hidden_sensitive
                any_sensitive = any_sensitive or any(u.is_sensitive for u in row.updates)
                counts[row.rag if row.rag in counts else Rag.NOT_RATED] += 1
                if since is not None:
                    # Imported actions are created today but carry old notes: not new.
                    row.is_new = timezone.localdate(action.created_at) >= since and not any(
                        not _is_new(u, since) for u in updates_by_action.get(action.pk, [])
                    )
                    if row.is_new:
                        new_actions.append((priority.number, row))
                    if row.closed_since:
                        closed_actions.append((priority.number, row))
                    if row.rag_changed:
                        rag_changes.append((priority.number, row))
                rows.append(row)
            if rows:
                issue_rows.append(IssueRow(title=issue.title, actions=rows))
        rollup = found.priorities.get(priority.pk)
        blocks.append(
            PriorityBlock(
                number=priority.number,
                title=priority.title,
                issues=issue_rows,
                counts=counts,
                rollup=rollup.describe() if rollup else "",
            )
        )

    aims, aims_label = [], ""
    if plan.strategy_id:
        strategy = plan.strategy
        aims = [aim.text for aim in strategy.aims.all()]
        aims_label = years_label(strategy.start_year, strategy.end_year)
    top_risks, emerging_risks, assessment_label = [], [], ""
    if plan.assessment_id:
        assessment = plan.assessment
        risks = list(assessment.risks.all())
        top_risks = [r.text for r in risks if r.kind == "top"]
        emerging_risks = [r.text for r in risks if r.kind == "emerging"]
        assessment_label = str(assessment)
    if not emerging_risks:
        # Plans without an assessment still say what their priorities are.
        emerging_risks = [p.title for p in priorities] if not options.priority else []

    return PlanPdfData(
        plan=plan,
        options=options,
        priorities=blocks,
        aims=aims,
        aims_label=aims_label,
        top_risks=top_risks,
        emerging_risks=emerging_risks,
        assessment_label=assessment_label,
        restricted_count=restricted,
        marking=Marking.OFFICIAL_SENSITIVE.label if any_sensitive else Marking.OFFICIAL.label,
        produced_at=now,
        new_actions=new_actions,
        closed_actions=closed_actions,
        rag_changes=rag_changes,
    )


def _milestones(action_ids):
    """The milestones of these actions, by action, in each action's order: one query."""
    by_action = {}
    for milestone in Milestone.objects.filter(action_id__in=action_ids).order_by("order", "due_date", "id"):
        by_action.setdefault(milestone.action_id, []).append(milestone)
    return by_action


def _milestone_rows(milestones, row, now):
    """What the PDF prints of an action's milestones; their text is withheld with the action's."""
    today = timezone.localdate(now)
    return [
        MilestoneRow(
            text=WITHHELD_TEXT if row.text_withheld else m.text,
            due_date=m.due_date,
            done_on=m.done_on,
            days_overdue=(today - m.due_date).days if m.is_overdue(today) else 0,
        )
        for m in milestones
    ]


def _action_row(action, updates, options, sensitive_allowed):
    """The row of ``action``; with ``sensitive_allowed`` False its OFFICIAL-SENSITIVE notes
    are left out and its OFFICIAL-SENSITIVE text is replaced by the placeholder."""
    since = options.since
    withheld = action.is_sensitive and not sensitive_allowed
    row = ActionRow(
        pk=action.pk,
        reference=action.reference,
        text=WITHHELD_TEXT if withheld else action.text,
        is_sensitive=action.is_sensitive,
        text_withheld=withheld,
        owners=action.owners_display(),
        rag=action.rag,
        status=action.status,
        target_date=action.target_date,
    )
    # The rating at the last meeting: the latest note before it, else what the first new note changed from.
    if since is not None:
        before = [u for u in updates if not _is_new(u, since)]
        after = [u for u in updates if _is_new(u, since)]
        if before:
            row.rag_before = before[-1].rag
        elif after:
            row.rag_before = after[0].previous_rag
        row.closed_since = action.status in CLOSED_STATUSES and any(u.status_change in CLOSED_STATUSES for u in after)
    for update in updates:
        is_new = _is_new(update, since)
        if since is not None and not options.meeting_mode and not is_new:
            row.older_hidden += 1
            continue
        if update.is_sensitive and not sensitive_allowed:
            row.hidden_sensitive += 1
            continue
        row.updates.append(_update_row(update, is_new=is_new and options.meeting_mode))
    return row


def _update_row(update, *, is_new=False):
    return UpdateRow(
        date=update.date,
        text=_without_leading_date(update.text, update.date),
        author=update.author_display,
        rag=update.rag,
        previous_rag=update.previous_rag,
        is_new=is_new,
        is_sensitive=update.is_sensitive,
        is_review=update.is_review,
        status_change=update.status_change,
        pk=update.pk,
    )


def _without_leading_date(text, date):
    """Imported notes often begin with their own date ("09/12/2019 - Since April…"), or are
    only a date (a meeting held); the PDF prints the date already, so it is not repeated."""
    prefix = f"{date:%d/%m/%Y}"
    if text.startswith(prefix):
        return text[len(prefix) :].lstrip(" -–:")
    return text


def plan_queryset():
    """The plan with what the title page needs, for ``get_plan_for_user(queryset=...)``."""
    from ..models import ActionPlan

    return ActionPlan.objects.select_related("partnership", "strategy", "assessment").prefetch_related(
        "strategy__aims", "assessment__risks"
    )


@dataclass(frozen=True)
class Work:
    """What a PDF would print: the size gate of renders made while the browser waits."""

    actions: int
    updates: int
    characters: int

    def over(self):
        """The limits this work passes, as (what, count, limit); empty when it may render now."""
        limits = (
            ("actions", self.actions, settings.PDF_DIRECT_MAX_ACTIONS),
            ("updates", self.updates, settings.PDF_DIRECT_MAX_UPDATES),
            ("characters of text", self.characters, settings.PDF_DIRECT_MAX_CHARACTERS),
        )
        return [(what, count, limit) for what, count, limit in limits if count > limit]


def estimate_work(plan, options):
    """Count, in two aggregate queries and without loading a row, the actions, updates and
    characters of text a PDF of ``plan`` under ``options`` would print. Sensitive notes are
    counted even when they would be left out: the estimate errs on the big side."""
    actions = Action.objects.in_plan(plan)
    if options.priority:
        actions = actions.filter(issue__priority__number=options.priority)
    if not options.include_closed:
        actions = actions.filter(status=Status.OPEN)
    owner = options.owner_filter()
    if owner:
        kind, pk = owner
        actions = actions.filter(**{OWNER_FIELDS[kind]: pk})
    action_totals = actions.aggregate(count=Count("pk", distinct=True), characters=Coalesce(Sum(Length("text")), 0))
    updates = ActionUpdate.objects.live().filter(action__in=actions.values("pk"))
    if options.since and not options.meeting_mode:
        updates = updates.filter(Q(date__gte=options.since) | Q(written_on__gte=options.since))
    update_totals = updates.aggregate(count=Count("pk"), characters=Coalesce(Sum(Length("text")), 0))
    return Work(
        actions=action_totals["count"],
        updates=update_totals["count"],
        characters=action_totals["characters"] + update_totals["characters"],
    )
