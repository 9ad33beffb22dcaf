"""Publishing a plan on its public page (issue 16): a frozen snapshot of what anyone may
read, without signing in, as a page, a CSV and a JSON file under the Open Government
Licence.

What the snapshot holds is decided here and nowhere else: the partnership's name, the
plan's title and years, its priorities and issues, and its OFFICIAL actions (text, the
owning organisations, teams and groups by name, RAG rating, status, target date) with
their OFFICIAL progress updates (date, text, rating). Read with the marking fields in the
queries, never filtered afterwards, so nothing OFFICIAL-SENSITIVE is ever loaded:

- an OFFICIAL-SENSITIVE action is left out entirely, with its updates; the page says how
  many were left out ("1 action is not published"), never which;
- OFFICIAL-SENSITIVE updates, deleted updates and chairs' review comments are left out;
- no person: no authors, no user names or emails, and neither the free-text named owner
  (``owner_role``, e.g. "DI Macbeth") nor the owner as written in the source document
  (``owner_label``), which may name one;
- proposals (proposed or rejected actions) are not part of the plan and are left out.
"""

import csv
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from actions.models import Action, ActionUpdate, Marking, Rag, Status

from .models import ActionPlan, Issue, PublishedPlan
from .transfer.columns import csv_safe

SNAPSHOT_VERSION = 1
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
OFFICIAL = Q(marking=Marking.OFFICIAL)
OWNERS = (
    ("owner_organisations", "organisation__name"),
    ("owner_teams", "team__name"),
    ("owner_groups", "governancegroup__name"),
)
CSV_COLUMNS = [
    "Partnership",
    "Plan",
    "Priority number",
    "Priority",
    "Issue",
    "Action reference",
    "Action",
    "Owners",
    "RAG rating",
    "Status",
    "Target date",
    "Update date",
    "Update",
    "Update RAG rating",
]


def _public_actions(plan):
    """The plan's OFFICIAL actions (not its proposals), in the plan's order."""
    return (
        Action.objects.in_plan(plan)
        .filter(OFFICIAL)
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk")
    )


def _public_updates(plan):
    """The live OFFICIAL updates of the plan's OFFICIAL actions, without review comments."""
    return (
        ActionUpdate.objects.live()
        .filter(OFFICIAL, action__in=_public_actions(plan).order_by().values("pk"), is_review=False)
        .order_by("action_id", "date", "order", "id")
    )


def _owners(plan):
    """{action id: [owner names]}: organisations, then teams, then groups, each by name."""
    names = {}
    for relation, name in OWNERS:
        through = getattr(Action, relation).through
        rows = (
            through.objects.filter(action__issue__priority__plan=plan, action__marking=Marking.OFFICIAL)
            .order_by(name)
            .values_list("action_id", name)
        )
        for action_id, owner in rows:
            names.setdefault(action_id, []).append(owner)
    return names


def left_out(plan):
    """What publishing ``plan`` leaves out, as counts for the confirmation page:
    ``sensitive_actions`` (with ``their_updates``), ``sensitive_updates`` of OFFICIAL
    actions, ``review_comments`` and ``proposals``."""
    in_plan = Action.objects.in_plan(plan)
    actions = in_plan.aggregate(
        sensitive=Count("pk", filter=Q(marking=Marking.OFFICIAL_SENSITIVE)),
    )
    updates = (
        ActionUpdate.objects.live()
        .filter(action__in=in_plan.order_by().values("pk"))
        .aggregate(
            of_sensitive=Count("pk", filter=Q(action__marking=Marking.OFFICIAL_SENSITIVE)),
            sensitive=Count("pk", filter=Q(action__marking=Marking.OFFICIAL, marking=Marking.OFFICIAL_SENSITIVE)),
            reviews=Count("pk", filter=Q(action__marking=Marking.OFFICIAL, marking=Marking.OFFICIAL, is_review=True)),
        )
    )
    return {
        "sensitive_actions": actions["sensitive"],
        "their_updates": updates["of_sensitive"],
        "sensitive_updates": updates["sensitive"],
        "review_comments": updates["reviews"],
        "proposals": Action.objects.filter(issue__priority__plan=plan).proposals().count(),
    }


def public_snapshot(plan):
    """What the public sees of ``plan`` now, as plain JSON values (dates as ISO strings).
    A constant number of queries whatever the plan's size."""
    rag_labels, status_labels = dict(Rag.choices), dict(Status.choices)
    updates = {}
    for update in _public_updates(plan).values("action_id", "date", "text", "rag"):
        updates.setdefault(update["action_id"], []).append(
            {
                "date": update["date"].isoformat(),
                "text": update["text"],
                "rag": update["rag"],
                "rag_label": rag_labels.get(update["rag"], ""),
            }
        )
    owners = _owners(plan)
    actions = {}
    fields = ("pk", "issue_id", "reference", "text", "rag", "status", "target_date")
    for action in _public_actions(plan).values(*fields):
        actions.setdefault(action["issue_id"], []).append(
            {
                "reference": action["reference"],
                "text": action["text"],
                "owners": owners.get(action["pk"], []),
                "rag": action["rag"],
                "rag_label": rag_labels.get(action["rag"], ""),
                "rag_meaning": Rag.describe(action["rag"]),
                "status": action["status"],
                "status_label": status_labels.get(action["status"], ""),
                "target_date": action["target_date"].isoformat() if action["target_date"] else None,
                "updates": updates.get(action["pk"], []),
            }
        )
    issues = {}
    for issue in Issue.objects.filter(priority__plan=plan).order_by("order", "pk").values("pk", "priority_id", "title"):
        issues.setdefault(issue["priority_id"], []).append(
            {"title": issue["title"], "actions": actions.get(issue["pk"], [])}
        )
    priorities = [
        {
            "number": priority["number"],
            "title": priority["title"],
            "description": priority["description"],
            "issues": issues.get(priority["pk"], []),
        }
        for priority in plan.priorities.order_by("number").values("pk", "number", "title", "description")
    ]
    return {
        "version": SNAPSHOT_VERSION,
        "licence": LICENCE,
        "partnership": {"name": plan.partnership.name, "short_name": plan.partnership.short_name},
        "plan": {
            "title": plan.full_title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "years": plan.years,
        },
        "priorities": priorities,
        "actions_not_published": left_out(plan)["sensitive_actions"],
    }


def _lock(plan):
    return ActionPlan.objects.select_for_update().select_related("partnership").get(pk=plan.pk)


@transaction.atomic
def plan_publish_public(*, plan, by):
    """Publish ``plan`` on its public page, or publish it again: a new snapshot as of now
    becomes the current one (the previous one is kept, no longer current). Refused for a
    draft plan, which the public never sees."""
    plan = _lock(plan)
    if plan.is_draft:
        raise ValidationError(f"{plan.full_title} is a draft: publish it to its officers first.")
    for previous in PublishedPlan.objects.filter(plan=plan, is_current=True):
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    return PublishedPlan.objects.create(
        plan=plan, published_by=by, published_at=timezone.now(), snapshot=public_snapshot(plan)
    )


@transaction.atomic
def plan_withdraw_public(*, plan, by):
    """Take ``plan``'s public page down: its page, CSV and JSON answer "not found" until it
    is published again. The snapshot is kept, marked withdrawn."""
    plan = _lock(plan)
    current = PublishedPlan.objects.filter(plan=plan, is_current=True).first()
    if current is None:
        raise ValidationError(f"{plan.full_title} is not on its public page.")
    current.is_current = False
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.save(update_fields=["is_current", "withdrawn_at", "withdrawn_by"])
    return current


def snapshot_json(published):
    """The JSON download: the snapshot with its date of publication (docs/publishing.md)."""
    return {"published_at": published.published_at.isoformat(), **published.snapshot}


def snapshot_csv(published):
    """The CSV download: one row per published update; an action without one has one row
    with the update's columns empty. Cells a spreadsheet would run are quoted."""
    snapshot = published.snapshot
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    partnership, plan = snapshot["partnership"]["name"], snapshot["plan"]["title"]
    for priority in snapshot["priorities"]:
        for issue in priority["issues"]:
            for action in issue["actions"]:
                head = [
                    partnership,
                    plan,
                    priority["number"],
                    priority["title"],
                    issue["title"],
                    action["reference"],
                    action["text"],
                    "; ".join(action["owners"]),
                    action["rag_label"],
                    action["status_label"],
                    action["target_date"] or "",
                ]
                rows = [[u["date"], u["text"], u["rag_label"]] for u in action["updates"]] or [["", "", ""]]
                for row in rows:
                    writer.writerow([csv_safe(cell) for cell in head + row])
    return out.getvalue()
