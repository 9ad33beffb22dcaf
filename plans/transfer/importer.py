"""Plan an import (what will be created and changed: the preview), then apply it in one transaction.

``plan_import`` reads the database but never writes; ``apply_import`` writes everything or
nothing. The preview's ``digest`` names exactly the changes shown, so a confirm applies
what was previewed or refuses ("the plan changed since you previewed it").

Matching, so that importing the same file twice changes nothing:

- an action row matches the plan's action with the same reference; a row without a
  reference matches the action with the same priority number, issue and text;
- an update matches an existing update of its action with the same date and text;
- a milestone matches an existing milestone of its action with the same text;
- a blank cell never clears a value (RAG, status, target date, owners of an existing action).
"""

import datetime
import difflib
import hashlib
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from actions.models import WITHHELD_TEXT, Action, ActionUpdate, Marking, Milestone, Rag, Status
from actions.owners import owner_choices
from actions.services import action_add_update
from partners.models import GovernanceGroup, Organisation, Team, normalise_name
from plans.models import ActionPlan, Issue, Priority

from . import columns as c
from .rows import ERROR, WARNING, Problem

ROLE_TITLES = (
    "di",
    "ds",
    "dc",
    "dci",
    "dsupt",
    "supt",
    "ch supt",
    "insp",
    "ch insp",
    "ci",
    "sgt",
    "ps",
    "pc",
    "pcso",
    "cllr",
    "councillor",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "head of",
    "manager",
    "officer",
    "lead",
)


@dataclass
class Owners:
    team_ids: list = field(default_factory=list)
    organisation_ids: list = field(default_factory=list)
    group_ids: list = field(default_factory=list)
    role: str = ""
    names: list = field(default_factory=list)

    def same_as(self, action):
        return (
            sorted(self.team_ids) == sorted(t.id for t in action.owner_teams.all())
            and sorted(self.organisation_ids) == sorted(o.id for o in action.owner_organisations.all())
            and sorted(self.group_ids) == sorted(g.id for g in action.owner_groups.all())
            and self.role == action.owner_role
        )

    @property
    def display(self):
        return c.OWNER_SEPARATOR.join(self.names)


@dataclass
class NewAction:
    row: object
    reference: str
    owners: Owners
    status: str
    rag: str


@dataclass
class ActionChange:
    row: object
    action: Action
    fields: dict  # name -> (old display, new value)
    owners: Owners | None
    move_to_issue: str | None = None


@dataclass
class NewUpdate:
    row: object
    action_key: str
    date: datetime.date
    text: str
    author: str
    rag: str
    marking: str
    source_note: str


@dataclass
class NewMilestone:
    row: object
    action_key: str
    owner_team: Team | None


@dataclass
class MilestoneChange:
    row: object
    milestone: Milestone
    fields: dict  # name -> (old display, new value)


@dataclass
class ImportPlan:
    plan: ActionPlan | None
    partnership: object
    new_plan: dict | None = None
    problems: list = field(default_factory=list)
    new_priorities: list = field(default_factory=list)
    priority_changes: list = field(default_factory=list)
    new_issues: list = field(default_factory=list)
    new_actions: list = field(default_factory=list)
    action_changes: list = field(default_factory=list)
    new_updates: list = field(default_factory=list)
    new_milestones: list = field(default_factory=list)
    milestone_changes: list = field(default_factory=list)
    unchanged_actions: int = 0
    unchanged_updates: int = 0
    unchanged_milestones: int = 0

    @property
    def errors(self):
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self):
        return [p for p in self.problems if p.level == WARNING]

    @property
    def has_changes(self):
        return bool(
            self.new_plan
            or self.new_priorities
            or self.priority_changes
            or self.new_actions
            or self.action_changes
            or self.new_updates
            or self.new_milestones
            or self.milestone_changes
        )

    @property
    def digest(self):
        """A fingerprint of exactly the changes this plan would make."""
        payload = {
            "plan": self.plan.pk if self.plan else None,
            "new_plan": self.new_plan,
            "priorities": [(n, t) for n, t in self.new_priorities] + [list(x) for x in self.priority_changes],
            "new": [
                (
                    a.reference,
                    a.row.priority_number,
                    a.row.issue,
                    a.row.text,
                    a.owners.display,
                    str(a.row.target_date),
                    a.status,
                    a.rag,
                    a.row.marking,
                )
                for a in self.new_actions
            ],
            "changed": [
                (ch.action.pk, ch.action.version, sorted((k, str(v[1])) for k, v in ch.fields.items()))
                for ch in self.action_changes
            ],
            "updates": [(u.action_key, str(u.date), u.text, u.author, u.rag, u.marking) for u in self.new_updates],
            "milestones": [
                (
                    m.action_key,
                    m.row.text,
                    str(m.row.due_date),
                    m.owner_team and m.owner_team.pk,
                    m.row.owner_role,
                    str(m.row.done_on),
                )
                for m in self.new_milestones
            ],
            "milestone_changes": [
                (ch.milestone.pk, sorted((k, str(v[1])) for k, v in ch.fields.items())) for ch in self.milestone_changes
            ],
        }
        return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()

    def summary_lines(self):
        """The preview as plain text lines (the command line prints these)."""
        lines = []
        if self.new_plan:
            lines.append(
                f"Create the plan {self.new_plan['title']} {self.new_plan['start_year']}-{self.new_plan['end_year']}"
                f" ({self.new_plan['slug']})"
            )
        for number, title in self.new_priorities:
            lines.append(f"Create priority {number}. {title}")
        for number, old, new in self.priority_changes:
            lines.append(f"Change priority {number} title from '{old}' to '{new}'")
        for new in self.new_actions:
            lines.append(
                f"{new.row.sheet}, row {new.row.row}: create action {new.reference or '(new reference)'}:"
                f" {new.row.text[:80]}"
            )
        for change in self.action_changes:
            for name, (old, value) in change.fields.items():
                lines.append(
                    f"{change.row.sheet}, row {change.row.row}: action {change.action.reference}:"
                    f" {name} from '{old}' to '{value}'"
                )
        lines.append(f"Add {len(self.new_updates)} update{'s' if len(self.new_updates) != 1 else ''}")
        if self.new_milestones:
            lines.append(f"Add {len(self.new_milestones)} milestone{'s' if len(self.new_milestones) != 1 else ''}")
        for change in self.milestone_changes:
            for name, (old, value) in change.fields.items():
                lines.append(
                    f"{change.row.sheet}, row {change.row.row}: milestone '{change.milestone.text[:40]}':"
                    f" {name} from '{old}' to '{value}'"
                )
        lines.append(
            f"Unchanged: {self.unchanged_actions} actions, {self.unchanged_updates} updates"
            + (f", {self.unchanged_milestones} milestones" if self.unchanged_milestones else "")
        )
        return lines


def _looks_like_role(key):
    """'di macbeth', 'sgt vaughan', 'head of community safety': a person or role, not a team name."""
    words = key.replace(".", " ").split()
    return bool(words) and (words[0] in ROLE_TITLES or " ".join(words[:2]) in ROLE_TITLES)


class OwnerIndex:
    """Teams, organisations and the partnership's governance groups by normalised name."""

    def __init__(self, partnership):
        self.partnership = partnership
        self.teams = {}
        for team in Team.objects.select_related("organisation"):
            self.teams.setdefault(normalise_name(team.name), []).append(team)
        self.organisations = {normalise_name(o.name): o for o in Organisation.objects.all()}
        groups = GovernanceGroup.objects.filter(Q(partnership=partnership) | Q(partnerships=partnership)).distinct()
        self.groups = {}
        for group in groups:
            self.groups.setdefault(normalise_name(group.name), group)
            if group.abbreviation:
                self.groups.setdefault(normalise_name(group.abbreviation), group)
        self.names = {}
        for collection in (self.teams, self.organisations, self.groups):
            for key, value in collection.items():
                first = value[0] if isinstance(value, list) else value
                self.names.setdefault(key, first.name)

    def resolve(self, text, problem):
        """Owners from "Hertsmere SNT / DI Macbeth"; ``problem(message, level)`` records what is wrong."""
        owners = Owners()
        roles = []
        for part in [p.strip() for p in text.split("/")]:
            if not part:
                continue
            key = normalise_name(part)
            teams = self.teams.get(key, [])
            if len(teams) > 1:
                local = [t for t in teams if t.partnership_id == self.partnership.pk]
                teams = local if len(local) == 1 else teams
            if len(teams) == 1:
                owners.team_ids.append(teams[0].id)
                owners.names.append(teams[0].name)
            elif len(teams) > 1:
                orgs = ", ".join(sorted(t.organisation.name for t in teams))
                problem(f"'{part}' is the name of several teams ({orgs}); rename one of them first.", ERROR)
            elif key in self.organisations:
                owners.organisation_ids.append(self.organisations[key].id)
                owners.names.append(self.organisations[key].name)
            elif key in self.groups:
                owners.group_ids.append(self.groups[key].id)
                owners.names.append(self.groups[key].name)
            else:
                close = difflib.get_close_matches(key, list(self.names), n=1, cutoff=0.85)
                if close:
                    problem(f"no team or organisation called '{part}'; did you mean '{self.names[close[0]]}'?", ERROR)
                else:
                    roles.append(part)
                    if not _looks_like_role(key):
                        problem(
                            f"no team, organisation or group called '{part}'; it will be kept as a named "
                            "owner (a person or role). Add the team first if it is one.",
                            WARNING,
                        )
        owners.role = c.OWNER_SEPARATOR.join(roles)[:200]
        owners.names.extend(roles)
        return owners


def _owners_text(action):
    return c.OWNER_SEPARATOR.join(action.owner_names())


def plan_import(parsed, *, plan=None, partnership=None, new_plan=None):
    """Compare parsed rows with ``plan`` (or a plan to create, ``new_plan`` = dict of title, start_year,
    end_year, slug) and return an ImportPlan listing creations, changes and problems. Reads only."""
    partnership = plan.partnership if plan else partnership
    result = ImportPlan(plan=plan, partnership=partnership, new_plan=new_plan, problems=list(parsed.problems))

    def problem(row, column, message, level=ERROR):
        result.problems.append(Problem(message, sheet=row.sheet, row=row.row, column=column, level=level))

    if plan is not None and plan.is_archived:
        result.problems.append(Problem("The plan is archived; nothing can be imported into it."))
    if new_plan and ActionPlan.objects.filter(slug=new_plan["slug"]).exists():
        result.problems.append(Problem(f"A plan called {new_plan['slug']} exists already; import into it instead."))

    sources = {row.plan for row in parsed.actions if row.plan}
    target_slug = plan.slug if plan else (new_plan or {}).get("slug")
    if plan is not None and len(sources) == 1 and target_slug not in sources:
        result.problems.append(
            Problem(
                f"The file was exported from the plan {sources.pop()}, and you are importing it into "
                f"{target_slug}. Check this is the plan you mean.",
                sheet=c.ACTIONS_SHEET,
                column=c.PLAN,
                level=WARNING,
            )
        )
    existing = []
    if plan is not None:
        existing = list(
            Action.objects.in_plan(plan)
            .select_related("issue__priority")
            .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        )
    by_reference = {a.reference.upper(): a for a in existing}
    by_text = {}
    for a in existing:
        by_text.setdefault((a.issue.priority.number, normalise_name(a.issue.title), normalise_name(a.text)), a)
    priorities = {p.number: p for p in plan.priorities.all()} if plan is not None else {}

    file_references = {r.reference.upper() for r in parsed.actions if r.reference}
    taken = {
        ref.upper()
        for ref in Action.objects.filter(reference__in=file_references | {r.lower() for r in file_references})
        .exclude(pk__in=[a.pk for a in existing])
        .values_list("reference", flat=True)
    }
    owner_index = OwnerIndex(partnership)

    seen_keys = {}
    moved_rows = []
    priority_titles = {}
    known_keys = {}  # action key -> Action or None (new)
    new_issue_keys = set()
    for row in parsed.actions:
        if row.key in seen_keys:
            problem(row, c.REFERENCE, f"the reference {row.reference} is also used on row {seen_keys[row.key]}.")
            continue
        seen_keys[row.key] = row.row
        if row.priority_number is not None:
            if row.priority_number in priority_titles:
                first_row, title = priority_titles[row.priority_number]
                if row.priority_title and normalise_name(title) != normalise_name(row.priority_title):
                    problem(
                        row,
                        c.PRIORITY,
                        f"priority {row.priority_number} is called '{title}' on row {first_row}; "
                        "each priority number needs one title.",
                    )
            elif row.priority_title:
                priority_titles[row.priority_number] = (row.row, row.priority_title)
                current = priorities.get(row.priority_number)
                if current is None:
                    result.new_priorities.append((row.priority_number, row.priority_title))
                elif current.title != row.priority_title:
                    result.priority_changes.append((row.priority_number, current.title, row.priority_title))
            elif row.priority_number not in priorities:
                problem(row, c.PRIORITY, f"priority {row.priority_number} is new, so it needs a title.")
                priority_titles[row.priority_number] = (row.row, "")

        owners = owner_index.resolve(row.owners, lambda message, level, row=row: problem(row, c.OWNERS, message, level))
        action = by_reference.get(row.key) if row.reference else None
        if action is None and row.priority_number is not None:
            candidate = by_text.get((row.priority_number, normalise_name(row.issue), normalise_name(row.text)))
            if candidate is not None and (not row.reference or candidate.reference.upper() not in file_references):
                action = candidate
        if action is None:
            reference = row.reference
            if reference and reference.upper() in taken:
                moved_rows.append(row.row)
                reference = ""
            if not row.owners:
                problem(row, c.OWNERS, "no owner given; the action will have no owner.", WARNING)
            result.new_actions.append(
                NewAction(
                    row=row,
                    reference=reference.upper() if reference else "",
                    owners=owners,
                    status=row.status or Status.OPEN,
                    rag=row.rag or Rag.NOT_RATED,
                )
            )
            issue_key = (row.priority_number, normalise_name(row.issue))
            exists = any(
                a.issue.priority.number == row.priority_number and normalise_name(a.issue.title) == issue_key[1]
                for a in existing
            )
            if not exists and issue_key not in new_issue_keys:
                new_issue_keys.add(issue_key)
                result.new_issues.append(issue_key)
            known_keys[row.key] = None
            continue
        known_keys[row.key] = action
        changes = {}
        if row.text and row.text != action.text and row.text != WITHHELD_TEXT:  # an export withheld it
            changes["Action"] = (action.text, row.text)
        if row.marking and row.marking != action.marking:
            changes["Marking"] = (c.MARKING_WORDS[action.marking], c.MARKING_WORDS[row.marking])
        if row.owners and not owners.same_as(action):
            changes["Owners"] = (_owners_text(action), owners.display)
        if row.target_date and row.target_date != action.target_date:
            changes["Target date"] = (c.iso(action.target_date), row.target_date)
        if row.status and row.status != action.status:
            changes["Status"] = (c.STATUS_WORDS[action.status], row.status)
        if row.rag and row.rag != action.rag:
            changes["RAG"] = (c.RAG_WORDS[action.rag], row.rag)
        move = None
        if row.priority_number is not None and (
            row.priority_number != action.issue.priority.number
            or normalise_name(row.issue) != normalise_name(action.issue.title)
        ):
            move = row.issue
            changes["Issue"] = (
                f"{action.issue.priority.number}: {action.issue.title}",
                f"{row.priority_number}: {row.issue}",
            )
            issue_key = (row.priority_number, normalise_name(row.issue))
            exists = any(
                a.issue.priority.number == row.priority_number and normalise_name(a.issue.title) == issue_key[1]
                for a in existing
            )
            if not exists and issue_key not in new_issue_keys:
                new_issue_keys.add(issue_key)
                result.new_issues.append(issue_key)
        if changes:
            result.action_changes.append(
                ActionChange(
                    row=row,
                    action=action,
                    fields=changes,
                    owners=owners if "Owners" in changes else None,
                    move_to_issue=move,
                )
            )
        else:
            result.unchanged_actions += 1

    if moved_rows:
        # Typical when a plan's export is imported as a new plan: one line, not one per row.
        shown = ", ".join(map(str, moved_rows[:10])) + (", ..." if len(moved_rows) > 10 else "")
        result.problems.append(
            Problem(
                f"{len(moved_rows)} reference(s) belong to actions in another plan (rows {shown}); "
                "those actions get new references here.",
                sheet=c.ACTIONS_SHEET,
                column=c.REFERENCE,
                level=WARNING,
            )
        )
    _plan_updates(parsed, result, known_keys, by_reference, problem)
    _plan_milestones(parsed, result, known_keys, by_reference, problem)
    result.problems.sort(key=_problem_order)
    return result


def _problem_order(problem):
    """Errors first, then by sheet (Actions, Updates, Milestones, Word tables in order) and row."""
    number = re.search(r"\d+$", problem.sheet)
    sheet = (
        problem.sheet != c.ACTIONS_SHEET,
        int(number[0]) if number else 0,
        problem.sheet == c.MILESTONES_SHEET,
        problem.sheet,
    )
    return (problem.level != ERROR, sheet, problem.row or 0)


def _plan_updates(parsed, result, known_keys, by_reference, problem):
    today = timezone.localdate()
    existing_actions = [a for a in known_keys.values() if a is not None]
    extra_refs = {u.action_key for u in parsed.updates if u.action_key and u.action_key not in known_keys}
    for ref in extra_refs:
        if ref in by_reference:
            existing_actions.append(by_reference[ref])
            known_keys[ref] = by_reference[ref]
    seen = set(
        ActionUpdate.objects.filter(action__in=existing_actions, is_deleted=False).values_list(
            "action__reference", "date", "text"
        )
    )
    seen = {(ref.upper(), date, normalise_name(text)) for ref, date, text in seen}
    start_year = result.plan.start_year if result.plan else (result.new_plan or {}).get("start_year")
    plan_start = min(datetime.date(start_year, 4, 1), today) if start_year else today
    for update in parsed.updates:
        if update.date is None and update.date_note == "start":
            update.date = plan_start
        if not update.action_key or update.date is None or not update.text:
            continue  # already reported by the parser
        if update.action_key not in known_keys:
            problem(
                update,
                c.ACTION_REFERENCE,
                f"no action with the reference {update.action_key} in this file or in the plan.",
            )
            continue
        if update.date > today:
            problem(update, c.DATE, f"{update.date:%d/%m/%Y} is in the future; an update records what has happened.")
            continue
        action = known_keys[update.action_key]
        reference = action.reference.upper() if action is not None else update.action_key
        key = (reference, update.date, normalise_name(update.text))
        if key in seen:
            result.unchanged_updates += 1
            continue
        seen.add(key)
        result.new_updates.append(
            NewUpdate(
                row=update,
                action_key=update.action_key,
                date=update.date,
                text=update.text,
                author=update.author,
                rag=update.rag,
                marking=update.marking or Marking.OFFICIAL,
                source_note=update.source_note,
            )
        )


def _plan_milestones(parsed, result, known_keys, by_reference, problem):
    """New and changed milestones. A row matches a milestone of its action with the same text
    (the first not matched yet); a blank owner or done date never clears one."""
    if not parsed.milestones:
        return
    today = timezone.localdate()
    for ref in {m.action_key for m in parsed.milestones if m.action_key and m.action_key not in known_keys}:
        if ref in by_reference:
            known_keys[ref] = by_reference[ref]
    existing = [a for a in known_keys.values() if a is not None]
    unmatched = {}
    for milestone in Milestone.objects.filter(action__in=existing).select_related("owner_team").order_by("order", "id"):
        unmatched.setdefault((milestone.action_id, normalise_name(milestone.text)), []).append(milestone)
    teams = {normalise_name(t.name): t for t in owner_choices(result.partnership).teams}
    for row in parsed.milestones:
        if not row.action_key or not row.text or row.due_date is None:
            continue  # already reported by the parser
        if row.text == WITHHELD_TEXT:
            continue  # an export withheld it: nothing to compare or create
        if row.action_key not in known_keys:
            problem(
                row, c.ACTION_REFERENCE, f"no action with the reference {row.action_key} in this file or in the plan."
            )
            continue
        team = None
        if row.owner_team:
            team = teams.get(normalise_name(row.owner_team))
            if team is None:
                problem(row, c.OWNING_TEAM, f"no current team of this partnership called '{row.owner_team}'.")
                continue
        if row.done_on is not None and row.done_on > today:
            problem(row, c.DONE_ON, f"{row.done_on:%d/%m/%Y} is in the future; a milestone is done when it is done.")
            continue
        action = known_keys[row.action_key]
        matches = unmatched.get((action.pk, normalise_name(row.text)), []) if action is not None else []
        if not matches:
            result.new_milestones.append(NewMilestone(row=row, action_key=row.action_key, owner_team=team))
            continue
        milestone = matches.pop(0)
        changes = {}
        if row.due_date != milestone.due_date:
            changes[c.DUE_DATE] = (c.iso(milestone.due_date), row.due_date)
        if team is not None and team.pk != milestone.owner_team_id:
            changes[c.OWNING_TEAM] = (milestone.owner_team.name if milestone.owner_team else "", team)
        if row.owner_role and row.owner_role != milestone.owner_role:
            changes[c.NAMED_OWNER] = (milestone.owner_role, row.owner_role)
        if row.done_on is not None and row.done_on != milestone.done_on:
            changes[c.DONE_ON] = (c.iso(milestone.done_on), row.done_on)
        if changes:
            result.milestone_changes.append(MilestoneChange(row=row, milestone=milestone, fields=changes))
        else:
            result.unchanged_milestones += 1


def _apply_milestones(import_plan, plan, by_key, user, tick):
    """Create the new milestones (after their action's present ones, in the file's order) and
    change the matched ones, each recorded in history."""
    attributes = {
        c.DUE_DATE: "due_date",
        c.OWNING_TEAM: "owner_team",
        c.NAMED_OWNER: "owner_role",
        c.DONE_ON: "done_on",
    }
    for change in import_plan.milestone_changes:
        milestone = Milestone.objects.select_for_update().get(pk=change.milestone.pk)
        for name, (_old, value) in change.fields.items():
            setattr(milestone, attributes[name], value)
        milestone._history_user = user
        milestone.save()
        tick()
    if not import_plan.new_milestones:
        return
    actions = dict(by_key)
    missing = {m.action_key for m in import_plan.new_milestones} - set(actions)
    for action in Action.objects.in_plan(plan).filter(reference__in=missing | {r.lower() for r in missing}):
        actions[action.reference.upper()] = action
    last = dict(
        Milestone.objects.filter(action__in=[a.pk for a in actions.values()])
        .values_list("action")
        .annotate(last=Max("order"))
        .values_list("action", "last")
    )
    created = []
    for new in import_plan.new_milestones:
        action = actions[new.action_key]
        last[action.pk] = last.get(action.pk, 0) + 1
        created.append(
            Milestone(
                action=action,
                text=new.row.text,
                due_date=new.row.due_date,
                owner_team=new.owner_team,
                owner_role=new.row.owner_role,
                done_on=new.row.done_on,
                order=last[action.pk],
            )
        )
        tick()
    bulk_create_with_history(created, Milestone, batch_size=500, default_user=user)


class ImportFailed(Exception):
    pass


def apply_import(import_plan, *, user, progress=None):
    """Make every change of ``import_plan`` in one transaction and return the plan.

    Refuses (ImportFailed) when the plan has errors. ``progress(done, total)`` is called as
    actions and updates are saved, for the command line's progress line.
    """
    if import_plan.errors:
        raise ImportFailed("The file has problems; nothing was saved.")
    total = (
        len(import_plan.new_actions)
        + len(import_plan.action_changes)
        + len(import_plan.new_updates)
        + len(import_plan.new_milestones)
        + len(import_plan.milestone_changes)
    )
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)

    with transaction.atomic():
        plan = import_plan.plan
        if plan is None:
            plan = ActionPlan.objects.create(partnership=import_plan.partnership, **import_plan.new_plan)
        priorities = {p.number: p for p in plan.priorities.all()}
        for number, title in import_plan.new_priorities:
            priorities[number] = Priority.objects.create(plan=plan, number=number, title=title)
        for number, _old, title in import_plan.priority_changes:
            priorities[number].title = title
            priorities[number].save(update_fields=["title"])
        issues = {}
        for issue in Issue.objects.filter(priority__plan=plan).select_related("priority"):
            issues.setdefault((issue.priority.number, normalise_name(issue.title)), issue)
        issue_titles = {}
        for row in [a.row for a in import_plan.new_actions] + [ch.row for ch in import_plan.action_changes]:
            issue_titles.setdefault((row.priority_number, normalise_name(row.issue)), row.issue)
        issue_order = {}
        for number, key in import_plan.new_issues:
            if (number, key) in issues:
                continue  # an issue with no actions yet: reuse it
            priority = priorities[number]
            if priority.pk not in issue_order:
                issue_order[priority.pk] = (priority.issues.aggregate(m=Max("order"))["m"] or 0) + 1
            title = issue_titles[(number, key)]
            issues[(number, key)] = Issue.objects.create(priority=priority, title=title, order=issue_order[priority.pk])
            issue_order[priority.pk] += 1

        by_key = {}
        action_order = {}
        final = []
        with_updates = {u.action_key for u in import_plan.new_updates}
        created = []
        for new in import_plan.new_actions:
            issue = issues[(new.row.priority_number, normalise_name(new.row.issue))]
            if issue.pk not in action_order:
                action_order[issue.pk] = (issue.actions.aggregate(m=Max("order"))["m"] or 0) + 1
            fields = {}
            if new.reference:
                fields["reference"] = new.reference
            later = new.row.key in with_updates
            action = Action(
                issue=issue,
                text=new.row.text,
                marking=new.row.marking or Marking.OFFICIAL,
                order=action_order[issue.pk],
                owner_role=new.owners.role,
                owner_label=new.row.owner_label,
                target_date=new.row.target_date,
                # With updates to add, the rating and status are set after them (so each
                # update records the rating it changed from); otherwise straight away.
                rag=Rag.NOT_RATED if later else new.rag,
                status=Status.OPEN if later else new.status,
                **fields,
            )
            action_order[issue.pk] += 1
            created.append((action, new))
        # Thousands of rows: create in bulk, with history; owners through their link tables.
        bulk_create_with_history([a for a, _ in created], Action, batch_size=500)
        links = {"owner_teams": [], "owner_organisations": [], "owner_groups": []}
        for action, new in created:
            by_key[new.row.key] = action
            if new.row.key in with_updates:
                final.append((action, new.status, new.rag))
            for field_name, ids in (
                ("owner_teams", new.owners.team_ids),
                ("owner_organisations", new.owners.organisation_ids),
                ("owner_groups", new.owners.group_ids),
            ):
                through = getattr(Action, field_name).through
                target = getattr(Action, field_name).field.m2m_reverse_field_name()
                links[field_name] += [through(action_id=action.pk, **{f"{target}_id": i}) for i in dict.fromkeys(ids)]
            tick()
        for field_name, rows in links.items():
            getattr(Action, field_name).through.objects.bulk_create(rows, batch_size=500)
        for change in import_plan.action_changes:
            action = Action.objects.select_for_update().get(pk=change.action.pk)
            if action.version != change.action.version:
                raise ImportFailed(f"The action {action.reference} changed while the import ran; preview again.")
            fields = change.fields
            if "Action" in fields:
                action.text = fields["Action"][1]
            if "Marking" in fields:
                action.marking = change.row.marking
            if "Target date" in fields:
                action.target_date = fields["Target date"][1]
            if "Issue" in fields:
                action.issue = issues[(change.row.priority_number, normalise_name(change.row.issue))]
            if change.owners is not None:
                action.owner_role = change.owners.role
                _set_owners(action, change.owners)
            action.version = F("version") + 1
            action.save()
            action.refresh_from_db()
            by_key[change.row.key] = action
            final.append((action, fields.get("Status", (None, None))[1], fields.get("RAG", (None, None))[1]))
            tick()

        new_keys = {new.row.key for new in import_plan.new_actions}
        references = {}
        chain = {}  # new action pk -> its rating as the updates are added, oldest first
        bulk = []
        for update in sorted(import_plan.new_updates, key=lambda u: (u.date, u.row.row)):
            action = by_key.get(update.action_key)
            if action is None:
                action = references.get(update.action_key)
                if action is None:
                    action = Action.objects.in_plan(plan).get(reference__iexact=update.action_key)
                    references[update.action_key] = action
            source_note = update.source_note or (f"Imported by {user}" if user else "Imported")
            if update.action_key in new_keys:
                # Actions created by this import: nobody else can be adding notes, so the
                # ratings chain is computed here and the notes inserted in bulk.
                previous = chain.get(action.pk, Rag.NOT_RATED)
                rag = update.rag or previous
                chain[action.pk] = rag
                same_day = sum(1 for u in bulk if u.action_id == action.pk and u.date == update.date)
                bulk.append(
                    ActionUpdate(
                        action=action,
                        date=update.date,
                        written_on=update.date,
                        author_name=update.author,
                        text=update.text,
                        rag=rag,
                        previous_rag=previous,
                        marking=update.marking,
                        source_note=source_note[:300],
                        order=same_day,
                    )
                )
            else:
                action_add_update(
                    action=action,
                    author=None,
                    author_name=update.author,
                    text=update.text,
                    rag=update.rag or None,
                    date=update.date,
                    written_on=update.date,
                    marking=update.marking,
                    source_note=source_note[:300],
                )
            tick()
        bulk_create_with_history(bulk, ActionUpdate, batch_size=500)

        settled = []
        created_pks = {a.pk for a, _ in created}
        for action, status, rag in final:
            if action.pk in created_pks:
                action.rag = rag or chain.get(action.pk, action.rag)
                action.status = status or action.status
                settled.append(action)
                continue
            action.refresh_from_db(fields=["rag", "status", "version"])
            changed = []
            if status and status != action.status:
                action.status = status
                changed.append("status")
            if rag and rag != action.rag:
                action.rag = rag
                changed.append("rag")
            if "status" in changed:  # the rating is not on the action's edit form (see action_add_update)
                action.version = F("version") + 1
                changed.append("version")
            if changed:
                action.save(update_fields=changed)
        bulk_update_with_history(settled, Action, ["rag", "status"], batch_size=500)
        _apply_milestones(import_plan, plan, by_key, user, tick)
        Action.objects.in_plan(plan).refresh_update_summary()  # the bulk-created notes send no signals
    return plan


def _set_owners(action, owners):
    action.owner_teams.set(owners.team_ids)
    action.owner_organisations.set(owners.organisation_ids)
    action.owner_groups.set(owners.group_ids)
