"""Writes to an action's milestones: add, change, delete, move up or down, tick off and undo.

Each runs in a transaction with the action row locked, so two editors changing the same
action's milestones at once keep the orders 1, 2, 3... without gaps or ties; every change is
recorded in the milestone's history with the editor. Nothing changes in an archived plan."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from .models import Action, Milestone


def _locked_action(action):
    locked = Action.objects.select_for_update().select_related("issue__priority__plan").get(pk=action.pk)
    plan = locked.issue.priority.plan
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived, so its actions can no longer change.")
    return locked


def _locked_milestone(milestone):
    _locked_action(milestone.action)
    return Milestone.objects.select_for_update().get(pk=milestone.pk)


def _save(milestone, editor, fields=None):
    milestone._history_user = editor
    milestone.save(update_fields=fields)
    return milestone


def _renumber(action_id, editor, ordered=None):
    """Number the action's milestones 1, 2, 3... in ``ordered`` (default: their present
    order); only the rows whose number changes are saved (and recorded)."""
    if ordered is None:
        ordered = list(
            Milestone.objects.select_for_update().filter(action_id=action_id).order_by("order", "due_date", "id")
        )
    for number, milestone in enumerate(ordered, start=1):
        if milestone.order != number:
            milestone.order = number
            _save(milestone, editor, ["order"])


@transaction.atomic
def milestone_add(*, action, editor, text, due_date, owner_team=None, owner_role="", done_on=None):
    """Add a milestone at the end of ``action``'s milestones. Returns it."""
    locked = _locked_action(action)
    last = Milestone.objects.filter(action=locked).aggregate(last=Max("order"))["last"] or 0
    milestone = Milestone(
        action=locked,
        text=text,
        due_date=due_date,
        owner_team=owner_team,
        owner_role=owner_role or "",
        done_on=done_on,
        order=last + 1,
    )
    return _save(milestone, editor)


@transaction.atomic
def milestone_edit(*, milestone, editor, due_date, owner_team=None, owner_role="", text=None):
    """Change a milestone's text (left alone when None: not offered to an editor who may not
    read the action's sensitive text), due date and owner. Returns the fields changed."""
    locked = _locked_milestone(milestone)
    wanted = {"due_date": due_date, "owner_team": owner_team, "owner_role": owner_role or ""}
    if text is not None:
        wanted["text"] = text
    changed = [name for name, value in wanted.items() if getattr(locked, name) != value]
    if changed:
        for name in changed:
            setattr(locked, name, wanted[name])
        _save(locked, editor, changed)
    return changed


@transaction.atomic
def milestone_delete(*, milestone, editor):
    """Delete a milestone (its history keeps it) and number the rest again without a gap."""
    locked = _locked_milestone(milestone)
    locked._history_user = editor
    locked.delete()
    _renumber(locked.action_id, editor)


@transaction.atomic
def milestone_move(*, milestone, editor, direction):
    """Swap a milestone with the one above (``direction="up"``) or below it."""
    locked = _locked_milestone(milestone)
    siblings = list(
        Milestone.objects.select_for_update().filter(action_id=locked.action_id).order_by("order", "due_date", "id")
    )
    index = next(i for i, m in enumerate(siblings) if m.pk == locked.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        first_or_last = "first" if direction == "up" else "last"
        raise ValidationError(f"The milestone is already the {first_or_last} of this action.")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    _renumber(locked.action_id, editor, siblings)
    return locked


@transaction.atomic
def milestone_done(*, milestone, editor, done_on):
    """Tick a milestone off as done on ``done_on``."""
    locked = _locked_milestone(milestone)
    if locked.done_on != done_on:
        locked.done_on = done_on
        _save(locked, editor, ["done_on"])
    return locked


@transaction.atomic
def milestone_undo(*, milestone, editor):
    """Mark a milestone as not done after all."""
    locked = _locked_milestone(milestone)
    if locked.done_on is not None:
        locked.done_on = None
        _save(locked, editor, ["done_on"])
    return locked
