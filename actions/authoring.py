"""Writing the plan's actions: adding, proposing and deciding proposals, moving, reordering,
closing, reopening and deleting. Each a keyword-only service in one transaction; each
refuses (``ValidationError``, its message for the page) in an archived plan. Who may call
them is the views' question (``may_author`` in the access modules)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from .models import CLOSED_STATUSES, Action, Marking, Status
from .services import action_add_update

# The ways an author closes an action; "carried forward" is the roll-over's.
CLOSING_STATUSES = [Status.COMPLETED, Status.DISCHARGED, Status.CANCELLED]


def _check_not_archived(plan):
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived, so its actions can no longer change.")


def _next_order(issue):
    return (Action.objects.filter(issue=issue).aggregate(last=Max("order"))["last"] or 0) + 1


def _locked(action, editor):
    locked = Action.objects.select_for_update().select_related("issue__priority__plan").get(pk=action.pk)
    _check_not_archived(locked.plan)
    locked._history_user = editor
    return locked


def _save(locked, fields):
    locked.version = F("version") + 1
    locked.save(update_fields=[*fields, "version"])
    locked.refresh_from_db(fields=["version"])
    return locked


@transaction.atomic
def action_create(
    *,
    issue,
    author,
    text,
    marking=Marking.OFFICIAL,
    owner_teams=(),
    owner_organisations=(),
    owner_groups=(),
    owner_role="",
    target_date=None,
    measures=(),
    first_update="",
    rag="",
    status=Status.OPEN,
):
    """Add an action at the end of ``issue``, with its owners, and (given ``first_update``)
    its first update carrying ``rag``, through ``action_add_update``. With
    ``status=Status.PROPOSED`` it is an officer's proposal (``action_propose``)."""
    _check_not_archived(issue.priority.plan)
    action = Action(
        issue=issue,
        text=text,
        marking=marking,
        owner_role=owner_role,
        target_date=target_date,
        order=_next_order(issue),
        status=status,
        proposed_by=author if status == Status.PROPOSED else None,
    )
    action._history_user = author
    action.save()
    action.owner_teams.set(owner_teams)
    action.owner_organisations.set(owner_organisations)
    action.owner_groups.set(owner_groups)
    action.measures.set(measures)
    if first_update:
        action_add_update(action=action, author=author, text=first_update, rag=rag or None)
    return action


def may_propose_under(user, issue):
    """An officer proposes under an issue their team works on: one of its actions is theirs."""
    return Action.objects.owned_by(user).agreed().filter(issue=issue).exists()


@transaction.atomic
def action_propose(
    *,
    issue,
    proposer,
    text,
    marking=Marking.OFFICIAL,
    owner_teams=(),
    owner_organisations=(),
    owner_groups=(),
    owner_role="",
    target_date=None,
    measures=(),
):
    """An officer's proposal of a new action under ``issue``: saved as PROPOSED, out of the
    plan until an administrator (or an authoring chair) accepts it."""
    if not may_propose_under(proposer, issue):
        raise ValidationError("You may propose actions only under an issue your team works on.")
    return action_create(
        issue=issue,
        author=proposer,
        text=text,
        marking=marking,
        owner_teams=owner_teams,
        owner_organisations=owner_organisations,
        owner_groups=owner_groups,
        owner_role=owner_role,
        target_date=target_date,
        measures=measures,
        status=Status.PROPOSED,
    )


def _decide(action, editor, status, reason):
    locked = _locked(action, editor)
    if locked.status != Status.PROPOSED:
        raise ValidationError("This proposal has already been decided.")
    locked.status, locked.status_reason = status, reason
    locked.decided_by, locked.decided_at = editor, timezone.now()
    return _save(locked, ["status", "status_reason", "decided_by", "decided_at"])


@transaction.atomic
def proposal_accept(*, action, editor, reason=""):
    """Accept an officer's proposal: it becomes an open action of the plan."""
    return _decide(action, editor, Status.OPEN, reason)


@transaction.atomic
def proposal_reject(*, action, editor, reason):
    """Reject an officer's proposal with a reason the proposer sees on My actions."""
    return _decide(action, editor, Status.REJECTED, reason)


@transaction.atomic
def action_move(*, action, editor, issue):
    """Move ``action`` to the end of ``issue``, under any priority of the same plan."""
    locked = _locked(action, editor)
    if issue.priority.plan_id != locked.plan.pk:
        raise ValidationError("An action moves only within its own plan.")
    if issue.pk == locked.issue_id:
        raise ValidationError("The action is already under this issue.")
    locked.issue, locked.order = issue, _next_order(issue)
    return _save(locked, ["issue", "order"])


@transaction.atomic
def action_reorder(*, action, editor, direction):
    """Swap ``action`` with the one above (``direction="up"``) or below it in its issue.
    The issue's actions are numbered 1, 2, 3... again, so imported orders with gaps or
    ties move predictably; only the rows whose number changes are saved (and recorded)."""
    locked = _locked(action, editor)
    siblings = list(
        Action.objects.select_for_update().filter(issue_id=locked.issue_id).agreed().order_by("order", "id")
    )
    index = next(i for i, a in enumerate(siblings) if a.pk == locked.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise ValidationError(f"The action is already the {'first' if direction == 'up' else 'last'} of its issue.")
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for number, sibling in enumerate(siblings, start=1):
        if sibling.order != number:
            sibling.order = number
            sibling._history_user = editor
            _save(sibling, ["order"])
    return locked


@transaction.atomic
def action_close(*, action, editor, status, reason):
    """Close an open action as completed, discharged from the plan or cancelled, with a reason."""
    locked = _locked(action, editor)
    if status not in CLOSING_STATUSES:
        raise ValidationError("Choose completed, discharged or cancelled.")
    if locked.status != Status.OPEN:
        raise ValidationError(f"The action is already {locked.get_status_display().lower()}.")
    locked.status, locked.status_reason = status, reason
    return _save(locked, ["status", "status_reason"])


@transaction.atomic
def action_reopen(*, action, editor, reason):
    """Reopen a closed action, with the reason. A carried-forward action lives on in the next plan."""
    locked = _locked(action, editor)
    if locked.status == Status.CARRIED_FORWARD:
        raise ValidationError("The action was carried forward into the next plan: change it there.")
    if locked.status not in CLOSED_STATUSES:
        raise ValidationError("Only a closed action can be reopened.")
    locked.status, locked.status_reason = Status.OPEN, reason
    return _save(locked, ["status", "status_reason"])


@transaction.atomic
def action_delete(*, action, editor):
    """Delete an action added by mistake. One with updates (even deleted ones, which are its
    history) is refused: close it instead. Its history keeps the deleted row."""
    locked = _locked(action, editor)
    if locked.updates.exists():
        raise ValidationError("This action has updates, so it cannot be deleted. Close it instead, with a reason.")
    locked.delete()
