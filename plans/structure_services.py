"""Writing a plan's structure in the app: its numbered priorities and the issues under them,
and publishing a draft plan.

Each function locks the plan's row first, so that two people renumbering one plan at
once take turns, and changes the rows with ``save()`` so that history records each
change. Priority numbers stay 1, 2, 3… without gaps: the database holds them unique in
the plan (``priority_number_unique_in_plan``) and at least 1, so a swap parks one
priority above the others for a moment (an ``update()``, which history does not record:
the parked number was never the plan's).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from .models import ActionPlan, Issue, Priority

UP, DOWN = "up", "down"


def _lock(plan):
    """The plan, locked; refused when it is archived (nothing in it changes)."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived: nothing in it can be changed.")
    return plan


@transaction.atomic
def priority_add(*, plan, title, description=""):
    """Add a priority at the end of ``plan``: numbered one after the last."""
    plan = _lock(plan)
    last = plan.priorities.aggregate(last=Max("number"))["last"] or 0
    return Priority.objects.create(plan=plan, number=last + 1, title=title, description=description)


@transaction.atomic
def priority_edit(*, priority, title, description=""):
    """Change the title and description of ``priority``."""
    _lock(priority.plan)
    priority.title = title
    priority.description = description
    priority.save(update_fields=["title", "description"])
    return priority


@transaction.atomic
def priority_move(*, priority, direction):
    """Swap ``priority`` with the one above (``UP``) or below (``DOWN``) it: the two
    exchange numbers. Refused at either end of the plan."""
    plan = _lock(priority.plan)
    priorities = list(plan.priorities.order_by("number"))
    here = [p.pk for p in priorities].index(priority.pk)
    there = here - 1 if direction == UP else here + 1
    if not 0 <= there < len(priorities):
        raise ValidationError(f"Priority {priority.number} is already the {'first' if direction == UP else 'last'}.")
    priority, other = priorities[here], priorities[there]
    mine, theirs = priority.number, other.number
    Priority.objects.filter(pk=priority.pk).update(number=priorities[-1].number + 1)
    other.number = mine
    other.save(update_fields=["number"])
    priority.number = theirs
    priority.save(update_fields=["number"])
    return priority


def priority_removal_refusal(priority):
    """Why ``priority`` cannot be removed (the issues under it), or "" when it can."""
    issues = list(priority.issues.order_by("order", "pk"))
    if not issues:
        return ""
    titles = "; ".join(str(issue) for issue in issues)
    return (
        f"Priority {priority.number} still has {len(issues)} issue{'s' if len(issues) != 1 else ''} "
        f"under it: {titles}. Move or remove them first."
    )


@transaction.atomic
def priority_remove(*, priority):
    """Remove an empty ``priority``; the priorities after it move up one number. Refused
    while issues are under it."""
    plan = _lock(priority.plan)
    refusal = priority_removal_refusal(priority)
    if refusal:
        raise ValidationError(refusal)
    number = priority.number
    priority.delete()
    for later in plan.priorities.filter(number__gt=number).order_by("number"):
        later.number -= 1
        later.save(update_fields=["number"])


@transaction.atomic
def issue_add(*, priority, title):
    """Add an issue at the end of ``priority``."""
    _lock(priority.plan)
    last = priority.issues.aggregate(last=Max("order"))["last"]
    return Issue.objects.create(priority=priority, title=title, order=0 if last is None else last + 1)


@transaction.atomic
def issue_edit(*, issue, title):
    """Change the title of ``issue``."""
    _lock(issue.priority.plan)
    issue.title = title
    issue.save(update_fields=["title"])
    return issue


@transaction.atomic
def issue_move(*, issue, priority):
    """Move ``issue``, with its actions, to the end of another ``priority`` of the same plan."""
    _lock(issue.priority.plan)
    if priority.plan_id != issue.priority.plan_id:
        raise ValidationError("Choose a priority of this plan.")
    if priority.pk == issue.priority_id:
        raise ValidationError("The issue is already under this priority.")
    last = priority.issues.aggregate(last=Max("order"))["last"]
    issue.priority = priority
    issue.order = 0 if last is None else last + 1
    issue.save(update_fields=["priority", "order"])
    return issue


@transaction.atomic
def issue_reorder(*, issue, direction):
    """Move ``issue`` one place up or down under its priority. The issues' orders are
    renumbered 0, 1, 2… on the way (imports may have left several at 0)."""
    _lock(issue.priority.plan)
    issues = list(issue.priority.issues.order_by("order", "pk"))
    here = [i.pk for i in issues].index(issue.pk)
    there = here - 1 if direction == UP else here + 1
    if not 0 <= there < len(issues):
        raise ValidationError(f"This issue is already the {'first' if direction == UP else 'last'} of its priority.")
    issues[here], issues[there] = issues[there], issues[here]
    for order, item in enumerate(issues):
        if item.order != order:
            item.order = order
            item.save(update_fields=["order"])
    return issue


def issue_removal_refusal(issue):
    """Why ``issue`` cannot be removed (its actions), or "" when it can."""
    actions = list(issue.actions.order_by("order", "pk").values_list("text", flat=True))
    if not actions:
        return ""
    texts = "; ".join(text[:80] for text in actions)
    return (
        f"This issue still has {len(actions)} action{'s' if len(actions) != 1 else ''}: {texts}. "
        "Move them to another issue first."
    )


@transaction.atomic
def issue_remove(*, issue):
    """Remove an ``issue`` with no actions. Refused while it has actions."""
    _lock(issue.priority.plan)
    refusal = issue_removal_refusal(issue)
    if refusal:
        raise ValidationError(refusal)
    issue.delete()


@transaction.atomic
def plan_publish(*, plan):
    """Publish a draft ``plan``: its officers see it and its actions from now on. Sends
    nothing (reminders come with update rounds)."""
    plan = _lock(plan)
    if not plan.is_draft:
        raise ValidationError(f"{plan.full_title} is already published.")
    plan.status = ActionPlan.Status.ACTIVE
    plan.save(update_fields=["status"])
    return plan
