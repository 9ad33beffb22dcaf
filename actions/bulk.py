"""Bulk changes to a plan's actions: reassign owners, move to an issue, change the target
date, close with a reason.

``bulk_preview`` says what one change would do to each action (nothing is written);
``bulk_change`` does it after the user confirmed what they saw: one transaction, refused
as a whole when an action left the plan or changed since the preview (optimistic lock),
one history row per changed action. A constant number of queries whatever the number of
actions: Django's ``bulk_update`` does not write history, so the history rows (and the
owners each one records) are written in bulk here.
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, prefetch_related_objects

from .models import Action, Status

# The owner relations, each with its through table's column for the owner.
OWNER_RELATIONS = (
    ("owner_teams", "team_id"),
    ("owner_organisations", "organisation_id"),
    ("owner_groups", "governancegroup_id"),
)


class Change(models.TextChoices):
    OWNERS = "owners", "Reassign owners"
    ISSUE = "issue", "Move to another issue"
    TARGET_DATE = "target_date", "Change the target date"
    CLOSE = "close", "Close with a reason"


# "20 actions reassigned"
DONE = {
    Change.OWNERS: "reassigned",
    Change.ISSUE: "moved",
    Change.TARGET_DATE: "given a new target date",
    Change.CLOSE: "closed",
}


class OwnerMode(models.TextChoices):
    REPLACE = "replace", "Replace the current owners"
    ADD = "add", "Add to the current owners"


CLOSING_STATUSES = [
    (Status.COMPLETED, "Completed"),
    (Status.DISCHARGED, "Discharged from the plan"),
    (Status.CANCELLED, "Cancelled"),
]


@dataclass
class Outcome:
    """What one change does to one action: the ``before`` and ``after`` a reader sees, and
    the values written (``fields``; ``owners``: {relation: [owner]} when they change)."""

    action: Action
    before: str
    after: str
    fields: dict = field(default_factory=dict)
    owners: dict | None = None

    @property
    def changes(self):
        return bool(self.fields or self.owners is not None)


def _names(owners, role=""):
    names = [owner.name for relation, _ in OWNER_RELATIONS for owner in owners[relation]]
    return " / ".join([*names, *([role] if role else [])]) or "No owner"


def _date(day):
    return f"{day:%-d %B %Y}" if day else "No target date"


def _issue(issue):
    return f"{issue.priority.number}. {issue.title or '(no issue given)'}"


def _owners_outcome(action, *, owner_mode, owner_teams, owner_organisations, owner_groups):
    current = {relation: list(getattr(action, relation).all()) for relation, _ in OWNER_RELATIONS}
    chosen = {"owner_teams": owner_teams, "owner_organisations": owner_organisations, "owner_groups": owner_groups}
    if owner_mode == OwnerMode.REPLACE:
        after = {relation: list(chosen[relation]) for relation, _ in OWNER_RELATIONS}
        role = ""  # a named person belongs to the owners being replaced
    else:
        after = {}
        for relation, _ in OWNER_RELATIONS:
            have = {owner.pk for owner in current[relation]}
            after[relation] = current[relation] + [owner for owner in chosen[relation] if owner.pk not in have]
        role = action.owner_role
    before = action.owners_display()
    outcome = Outcome(action, before, _names(after, role))
    same_owners = all(
        {o.pk for o in current[relation]} == {o.pk for o in after[relation]} for relation, _ in OWNER_RELATIONS
    )
    if not same_owners:
        outcome.owners = after
    # The owner as the source document wrote it no longer describes the new owners.
    if action.owner_label and not same_owners:
        outcome.fields["owner_label"] = ""
    if role != action.owner_role:
        outcome.fields["owner_role"] = role
    return outcome


def bulk_preview(
    *,
    actions,
    change,
    owner_mode=None,
    owner_teams=(),
    owner_organisations=(),
    owner_groups=(),
    issue=None,
    target_date=None,
    status=None,
    status_reason="",
):
    """An ``Outcome`` per action (issue and priority selected, owners prefetched) of
    ``change`` with its choices, as the confirmation page shows them. Writes nothing."""
    outcomes = []
    for action in actions:
        if change == Change.OWNERS:
            outcome = _owners_outcome(
                action,
                owner_mode=owner_mode,
                owner_teams=owner_teams,
                owner_organisations=owner_organisations,
                owner_groups=owner_groups,
            )
        elif change == Change.ISSUE:
            outcome = Outcome(action, _issue(action.issue), _issue(issue))
            if action.issue_id != issue.pk:
                outcome.fields["issue"] = issue
        elif change == Change.TARGET_DATE:
            outcome = Outcome(action, _date(action.target_date), _date(target_date))
            if action.target_date != target_date:
                outcome.fields["target_date"] = target_date
        elif change == Change.CLOSE:
            label = dict(Status.choices)
            outcome = Outcome(action, label[action.status], f"{label[status]}: {status_reason}")
            if action.status != status or action.status_reason != status_reason:
                outcome.fields = {"status": status, "status_reason": status_reason}
        else:
            raise ValueError(f"Unknown bulk change {change!r}")
        outcomes.append(outcome)
    return outcomes


def _write_owners(changed):
    """Set the owners of the actions whose owners change: one delete and one insert per relation."""
    owning = [outcome for outcome in changed if outcome.owners is not None]
    for relation, column in OWNER_RELATIONS:
        through = getattr(Action, relation).through
        through.objects.filter(action_id__in=[o.action.pk for o in owning]).delete()
        through.objects.bulk_create(
            through(action_id=o.action.pk, **{column: owner.pk}) for o in owning for owner in o.owners[relation]
        )


def _write_owner_history(historical_rows):
    """The owners each new history row records, as simple-history records them for one save
    (``create_historical_record_m2ms``), for all rows at once."""
    ids = [row.id for row in historical_rows]
    for relation, column in OWNER_RELATIONS:
        m2m_history = apps.get_model("actions", f"HistoricalAction_{relation}")
        current = {}
        through = getattr(Action, relation).through
        for row_id, action_id, owner_id in through.objects.filter(action_id__in=ids).values_list(
            "id", "action_id", column
        ):
            current.setdefault(action_id, []).append((row_id, owner_id))
        m2m_history.objects.bulk_create(
            m2m_history(history=row, id=row_id, action_id=row.id, **{column: owner_id})
            for row in historical_rows
            for row_id, owner_id in current.get(row.id, [])
        )


@transaction.atomic
def bulk_change(*, plan, editor, versions, change, **choices):
    """Make ``change`` (with ``choices``, as ``bulk_preview`` takes them) to the actions of
    ``plan`` named by ``versions`` ({action id: the version the editor confirmed}).

    Refused as a whole (``ValidationError``, nothing written) when the plan is archived, an
    action is not in the plan, or one changed since the editor saw it. Actions the change
    leaves as they are keep their version and get no history row; each changed one gets
    its version bumped and one history row by ``editor``. Returns the changed actions."""
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived: its actions can no longer be changed.")
    if change == Change.ISSUE and choices["issue"].priority.plan_id != plan.pk:
        raise ValidationError("Actions move only to an issue of their own plan. Nothing was changed.")
    actions = list(
        Action.objects.select_for_update(of=("self",))
        .filter(issue__priority__plan=plan, pk__in=list(versions))
        .select_related("issue__priority")
        .order_by("pk")
    )
    missing = len(set(versions)) - len(actions)
    if missing:
        raise ValidationError(
            f"{missing} of the selected actions {'is' if missing == 1 else 'are'} not in this plan or "
            "may not be changed by you. Nothing was changed."
        )
    moved_on = [action for action in actions if action.version != versions[action.pk]]
    if moved_on:
        raise ValidationError(
            f"{len(moved_on)} of the selected actions changed since you checked them "
            f"({', '.join(action.reference for action in moved_on)}). Nothing was changed: check the "
            "changes again and confirm."
        )
    prefetch_related_objects(actions, *(relation for relation, _ in OWNER_RELATIONS))
    changed = [outcome for outcome in bulk_preview(actions=actions, change=change, **choices) if outcome.changes]
    if not changed:
        return []
    if change == Change.ISSUE:
        # Moved actions go after those already under the issue, in their plan order.
        target = choices["issue"]
        last = Action.objects.filter(issue=target).aggregate(last=Max("order"))["last"] or 0
        in_plan_order = sorted(
            changed,
            key=lambda o: (
                o.action.issue.priority.number,
                o.action.issue.order,
                o.action.issue_id,
                o.action.order,
                o.action.pk,
            ),
        )
        for number, outcome in enumerate(in_plan_order, start=1):
            outcome.fields["order"] = last + number
    fields = {"version"}
    for outcome in changed:
        for name, value in outcome.fields.items():
            setattr(outcome.action, name, value)
        fields |= set(outcome.fields)
        outcome.action.version += 1
    _write_owners(changed)
    changed_actions = [outcome.action for outcome in changed]
    Action.objects.bulk_update(changed_actions, sorted(fields))
    # simple-history's bulk_update_with_history does this too but does not return the rows,
    # which the owners they record need.
    historical = Action.history.bulk_history_create(changed_actions, update=True, default_user=editor)
    _write_owner_history(historical)
    return changed_actions
