"""The yearly cycle: strategies, strategic assessments, next year's plan, roll-over, archive.

Each write is one keyword-only function in one transaction: a refused step
(overlapping years, an empty emerging-risk list, a second roll-over) raises
``ValidationError`` and leaves nothing half-done.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import normalise_name

from .models import ActionPlan, Issue, Priority, Risk, StrategicAim, StrategicAssessment, Strategy, years_label


def _lines(text):
    """The non-empty lines of a textarea, in order, with spacing tidied."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def _check_years(start_year, end_year, *, longest):
    if end_year < start_year:
        raise ValidationError("The last year must be the same as or after the first year.")
    if end_year - start_year > longest:
        raise ValidationError(f"The period can be at most {longest} years long.")


@transaction.atomic
def strategy_save(*, partnership, title, start_year, end_year, summary="", aims_text="", strategy=None):
    """Create or change a strategy; its aims are given one per line, in order."""
    _check_years(start_year, end_year, longest=10)
    strategy = strategy or Strategy(partnership=partnership)
    strategy.title, strategy.start_year, strategy.end_year, strategy.summary = title, start_year, end_year, summary
    strategy.save()
    aims = _lines(aims_text)
    existing = list(strategy.aims.all())
    for order, text in enumerate(aims):
        if order < len(existing):
            aim = existing[order]
            if aim.text != text or aim.order != order:
                aim.text, aim.order = text, order
                aim.save()
        else:
            StrategicAim.objects.create(strategy=strategy, text=text, order=order)
    for aim in existing[len(aims) :]:
        aim.delete()
    return strategy


@transaction.atomic
def assessment_save(
    *,
    partnership,
    start_year,
    end_year,
    top_risks_text,
    emerging_risks_text,
    title="Strategic Assessment",
    published_on=None,
    summary="",
    assessment=None,
):
    """Record (or correct) a strategic assessment with its ordered top and emerging risks.

    Risks already turned into a plan's priorities keep their rows when their text is
    unchanged, so the priority still knows where it came from.
    """
    _check_years(start_year, end_year, longest=1)
    clash = StrategicAssessment.objects.filter(partnership=partnership, start_year=start_year)
    if assessment is not None:
        clash = clash.exclude(pk=assessment.pk)
    if clash.exists():
        raise ValidationError(f"{partnership} already has a strategic assessment starting in {start_year}.")
    assessment = assessment or StrategicAssessment(partnership=partnership)
    assessment.title, assessment.start_year, assessment.end_year = title, start_year, end_year
    assessment.published_on, assessment.summary = published_on, summary
    assessment.save()
    for kind, text in ((Risk.Kind.TOP, top_risks_text), (Risk.Kind.EMERGING, emerging_risks_text)):
        wanted = _lines(text)
        existing = {risk.text: risk for risk in assessment.risks.filter(kind=kind)}
        for order, line in enumerate(wanted):
            risk = existing.pop(line, None)
            if risk is None:
                Risk.objects.create(assessment=assessment, kind=kind, text=line, order=order)
            elif risk.order != order:
                risk.order = order
                risk.save(update_fields=["order"])
        for risk in existing.values():
            risk.delete()
    return assessment


def _span(start_year, end_year):
    """Plans run over financial years: 2019-2020 is April 2019 to March 2020, so it
    does not overlap 2020-2021. A one-year plan "2020" covers that one year."""
    return start_year, max(end_year, start_year + 1)


def overlapping_plan(*, partnership, start_year, end_year, exclude=None):
    start, end = _span(start_year, end_year)
    plans = ActionPlan.objects.filter(partnership=partnership)
    if exclude is not None:
        plans = plans.exclude(pk=exclude.pk)
    for plan in plans:
        other_start, other_end = _span(plan.start_year, plan.end_year)
        if start < other_end and other_start < end:
            return plan
    return None


def suggested_years(assessment):
    """Next year's plan follows the assessment: an assessment of 2019-2020 leads to 2020-2021."""
    start = assessment.end_year if assessment.end_year > assessment.start_year else assessment.start_year + 1
    return start, start + 1


@transaction.atomic
def plan_create_from_assessment(
    *,
    assessment,
    start_year,
    end_year,
    priorities,
    strategy=None,
    title="Community Safety Action Plan",
    status=ActionPlan.Status.DRAFT,
):
    """Create next year's plan: ``priorities`` is a list of ``(risk, title)`` pairs, in
    order, usually the assessment's emerging risks with their titles edited. They
    become the plan's numbered priorities, each remembering its source risk. The plan
    is a draft, seen by chairs and admins only, until an admin publishes it."""
    partnership = assessment.partnership
    if not assessment.emerging_risks():
        raise ValidationError(
            "This assessment has no emerging risks, so there are no priorities to create. "
            "Add them to the assessment first."
        )
    priorities = [(risk, " ".join((text or "").split())) for risk, text in priorities]
    priorities = [(risk, text) for risk, text in priorities if text]
    if not priorities:
        raise ValidationError("Keep at least one priority.")
    for risk, _ in priorities:
        if risk is not None and risk.assessment_id != assessment.pk:
            raise ValidationError("A priority can only come from this assessment's risks.")
    _check_years(start_year, end_year, longest=5)
    clash = overlapping_plan(partnership=partnership, start_year=start_year, end_year=end_year)
    if clash is not None:
        raise ValidationError(f"The years overlap {clash.full_title}. Choose years after it.")
    if strategy is not None and strategy.partnership_id != partnership.pk:
        raise ValidationError("Choose a strategy of this partnership.")
    slug = f"{partnership.slug}-{start_year}-{end_year}"
    if ActionPlan.objects.filter(slug=slug).exists():
        raise ValidationError(f"A plan with the address {slug} exists already.")
    plan = ActionPlan.objects.create(
        partnership=partnership,
        strategy=strategy,
        assessment=assessment,
        title=title,
        slug=slug,
        start_year=start_year,
        end_year=end_year,
        status=status,
    )
    Priority.objects.bulk_create(
        Priority(plan=plan, number=number, title=text, source_risk=risk)
        for number, (risk, text) in enumerate(priorities, start=1)
    )
    return plan


def roll_over_targets(plan):
    """Plans an open action of ``plan`` may move into: later plans of the same partnership
    that are not archived and have not received a roll-over yet."""
    return (
        ActionPlan.objects.filter(partnership_id=plan.partnership_id, start_year__gt=plan.start_year)
        .exclude(status=ActionPlan.Status.ARCHIVED)
        .filter(rolled_over_from__isnull=True)
        .order_by("start_year")
    )


def default_priority_for(action, target_priorities):
    """The new plan's priority with the same title as the action's priority, if any."""
    wanted = normalise_name(action.issue.priority.title)
    for priority in target_priorities:
        if normalise_name(priority.title) == wanted:
            return priority
    return None


@transaction.atomic
def plan_roll_over(*, plan, target, actions, placements=None, archive=True):
    """Carry the chosen open ``actions`` of ``plan`` into ``target``.

    Each carried action is created in the target, linked to its origin
    (``carried_from``), with the same text, owners, target date and current RAG; the
    origin is marked "carried forward". Completed, discharged and unchosen actions
    stay behind. ``placements`` maps an action id to a target priority; actions
    without one go to a priority of the same title, or to a new last priority
    "Carried forward from <years>". The finished plan is then archived.
    Refused when ``plan`` was rolled over before. Returns the new actions.
    """
    from actions.models import Action, Status

    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    target = ActionPlan.objects.select_for_update().get(pk=target.pk)
    if plan.rolled_over_to_id is not None:
        raise ValidationError(f"{plan.full_title} has already been rolled over into {plan.rolled_over_to.full_title}.")
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived; it can no longer be rolled over.")
    if target.pk not in set(roll_over_targets(plan).values_list("pk", flat=True)):
        raise ValidationError(
            "Choose a later plan of the same partnership that is not archived and not already a roll-over target."
        )
    placements = placements or {}
    chosen_ids = {action.pk for action in actions}
    originals = list(
        Action.objects.filter(pk__in=chosen_ids, issue__priority__plan=plan)
        .select_related("issue__priority")
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk")
    )
    if len(originals) != len(chosen_ids):
        raise ValidationError("Some of the chosen actions are not in this plan.")
    not_open = [a for a in originals if a.status != Status.OPEN]
    if not_open:
        raise ValidationError(
            f"Only open actions can be carried forward; “{not_open[0]}” is {not_open[0].get_status_display().lower()}."
        )
    target_priorities = list(target.priorities.all())
    carried_priority = None
    issues = {}
    created = []
    for original in originals:
        priority = placements.get(original.pk) or default_priority_for(original, target_priorities)
        if priority is not None and priority.plan_id != target.pk:
            raise ValidationError("Choose a priority of the new plan.")
        if priority is None:
            if carried_priority is None:
                number = max((p.number for p in target_priorities), default=0) + 1
                carried_priority = Priority.objects.create(
                    plan=target,
                    number=number,
                    title=f"Carried forward from {years_label(plan.start_year, plan.end_year)}",
                )
                target_priorities.append(carried_priority)
            priority = carried_priority
        key = (priority.pk, normalise_name(original.issue.title))
        if key not in issues:
            issues[key] = Issue.objects.filter(priority=priority, title=original.issue.title).first() or (
                Issue.objects.create(priority=priority, title=original.issue.title, order=original.issue.order)
            )
        copy = Action.objects.create(
            issue=issues[key],
            text=original.text,
            order=original.order,
            owner_role=original.owner_role,
            owner_label=original.owner_label,
            target_date=original.target_date,
            rag=original.rag,
            status=Status.OPEN,
            carried_from=original,
        )
        # Owners were prefetched: only write the kinds of owner the original has.
        for relation in ("owner_teams", "owner_organisations", "owner_groups"):
            owners = list(getattr(original, relation).all())
            if owners:
                getattr(copy, relation).add(*owners)
        original.status = Status.CARRIED_FORWARD
        original.status_reason = f"Carried forward into {target.full_title}."
        original.version += 1
        original.save(update_fields=["status", "status_reason", "version"])
        created.append(copy)
    plan.rolled_over_to = target
    plan.save(update_fields=["rolled_over_to"])
    if archive:
        plan_archive(plan=plan)
    return created


@transaction.atomic
def plan_archive(*, plan):
    """Archive a finished plan: read-only from then on, still viewable and exportable."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is already archived.")
    plan.status = ActionPlan.Status.ARCHIVED
    plan.archived_at = timezone.now()
    plan.save(update_fields=["status", "archived_at"])
    return plan
