"""The yearly cycle: strategies, strategic assessments, next year's plan, roll-over, archive.

Each write is one keyword-only function in one transaction: a refused step
(overlapping years, an empty emerging-risk list, a roll-over into a second plan) raises
``ValidationError`` and leaves nothing half-done.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.defaultfilters import pluralize
from django.utils import timezone

from partners.models import normalise_name

from .models import ActionPlan, Issue, Priority, Risk, StrategicAim, StrategicAssessment, Strategy


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


def _free_plan_slug(partnership, start_year, end_year):
    """The address of a new plan of ``partnership`` for these years; refused when the years
    overlap another of its plans or the address is taken."""
    _check_years(start_year, end_year, longest=5)
    clash = overlapping_plan(partnership=partnership, start_year=start_year, end_year=end_year)
    if clash is not None:
        raise ValidationError(f"The years overlap {clash.full_title}. Choose years after it.")
    slug = f"{partnership.slug}-{start_year}-{end_year}"
    if ActionPlan.objects.filter(slug=slug).exists():
        raise ValidationError(f"A plan with the address {slug} exists already.")
    return slug


def next_years(plan):
    """The years of the plan after ``plan``, as long as it: 2025-2026 leads to 2026-2027."""
    length = plan.end_year - plan.start_year
    start = plan.end_year if length else plan.start_year + 1
    return start, start + length


def next_years_free(plan):
    start, end = next_years(plan)
    return overlapping_plan(partnership=plan.partnership, start_year=start, end_year=end) is None


@transaction.atomic
def plan_create_next(*, plan):
    """An empty plan for the years after ``plan``, with its title and strategy, to roll its
    actions into when no plan was made from an assessment; the roll-over then makes the
    priorities and issues the carried actions need. Like a plan made from an assessment it
    is a draft, seen by admins and chairs only until it is published. Returns the new plan."""
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived; it can no longer be rolled over.")
    start, end = next_years(plan)
    return ActionPlan.objects.create(
        partnership=plan.partnership,
        strategy=plan.strategy,
        title=plan.title,
        slug=_free_plan_slug(plan.partnership, start, end),
        start_year=start,
        end_year=end,
        status=ActionPlan.Status.DRAFT,
    )


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
    slug = _free_plan_slug(partnership, start_year, end_year)
    if strategy is not None and strategy.partnership_id != partnership.pk:
        raise ValidationError("Choose a strategy of this partnership.")
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
    """Plans the open actions of ``plan`` may move into: later plans of the same partnership
    that are not archived and received no roll-over from another plan. Once ``plan`` was
    rolled over, only the plan it went into, for the actions left behind."""
    targets = (
        ActionPlan.objects.filter(partnership_id=plan.partnership_id, start_year__gt=plan.start_year)
        .exclude(status=ActionPlan.Status.ARCHIVED)
        .filter(Q(rolled_over_from__isnull=True) | Q(rolled_over_from=plan))
        .order_by("start_year")
    )
    if plan.rolled_over_to_id is not None:
        targets = targets.filter(pk=plan.rolled_over_to_id)
    return targets


@dataclass
class Placement:
    """Where the carried actions of one issue go in the next plan: an existing priority
    and issue, or (``None``) a new one with the given title."""

    priority: Priority | None
    priority_title: str
    issue: Issue | None
    issue_title: str


def _same_title(items, title):
    wanted = normalise_name(title)
    return next((item for item in items if normalise_name(item.title) == wanted), None)


def placement_for(source, into, target_priorities):
    """Where the actions of the ``source`` issue go when it is mapped to ``into``: a target
    ``Issue``; a target ``Priority`` (under it, the issue of the same title, else a new
    one); or ``None``, the priority and issue of the same titles, made when the next plan
    has none. ``target_priorities`` have their issues prefetched."""
    if isinstance(into, Issue):
        return Placement(into.priority, into.priority.title, into, into.title)
    priority = into if isinstance(into, Priority) else _same_title(target_priorities, source.priority.title)
    issue = _same_title(priority.issues.all(), source.title) if priority is not None else None
    return Placement(priority, priority.title if priority else source.priority.title, issue, source.title)


def target_priorities_of(target):
    return list(target.priorities.prefetch_related("issues"))


def _carriable(plan, actions):
    """The chosen actions of ``plan``, in plan order, split into those to carry and those
    carried already (refused: any other action, or one that is closed)."""
    from actions.models import Action, Status

    chosen_ids = {action.pk for action in actions}
    originals = list(
        Action.objects.filter(pk__in=chosen_ids, issue__priority__plan=plan)
        .select_related("issue__priority")
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups", "measures")
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk")
    )
    if len(originals) != len(chosen_ids):
        raise ValidationError("Some of the chosen actions are not in this plan.")
    carried_ids = set(Action.objects.filter(carried_from__in=originals).values_list("carried_from_id", flat=True))
    already = [a for a in originals if a.pk in carried_ids]
    to_carry = [a for a in originals if a.pk not in carried_ids]
    not_open = [a for a in to_carry if a.status != Status.OPEN]
    if not_open:
        raise ValidationError(
            f"Only open actions can be carried forward; “{not_open[0]}” is {not_open[0].get_status_display().lower()}."
        )
    return to_carry, already


def _check_roll_over(plan, target):
    if plan.is_archived:
        raise ValidationError(f"{plan.full_title} is archived; it can no longer be rolled over.")
    if plan.rolled_over_to_id not in (None, target.pk):
        raise ValidationError(f"{plan.full_title} has already been rolled over into {plan.rolled_over_to.full_title}.")
    if not roll_over_targets(plan).filter(pk=target.pk).exists():
        raise ValidationError(
            "Choose a later plan of the same partnership that is not archived and not already a roll-over target."
        )


def _placements(plan, target, actions, mapping):
    to_carry, already = _carriable(plan, actions)
    target_priorities = target_priorities_of(target)
    placements = []
    for action in to_carry:
        into = mapping.get(action.issue_id)
        if into is not None and (into.plan_id if isinstance(into, Priority) else into.priority.plan_id) != target.pk:
            raise ValidationError("Choose a priority or an issue of the plan the actions go into.")
        placements.append((action, placement_for(action.issue, into, target_priorities)))
    return placements, already


@dataclass
class MeasureMapping:
    """A measure the carried actions contribute to, and the next plan's measure of the same
    name they will contribute to there (``None``: the next plan has none, so it is dropped)."""

    measure: object  # actions.models.PerformanceMeasure
    into: object | None


def measure_mappings(actions, target):
    """One ``MeasureMapping`` for each measure of ``actions`` (their measures prefetched), by
    name: the next plan's measures are those of ``measures_for_plan(target)`` (its
    priorities' and its strategy's aims'), matched by name case- and space-insensitively,
    those of a priority first."""
    from actions.measures import measures_for_plan

    candidates = {}
    in_order = measures_for_plan(target).order_by(F("aim_id").asc(nulls_first=True), "order", "id")
    for measure in in_order:  # the priorities' (no aim) first
        candidates.setdefault(normalise_name(measure.name), measure)
    measures = {m.pk: m for action in actions for m in action.measures.all()}
    mappings = [MeasureMapping(m, candidates.get(normalise_name(m.name))) for m in measures.values()]
    return sorted(mappings, key=lambda mapping: (normalise_name(mapping.measure.name), mapping.measure.pk))


@dataclass
class RollOverPreview:
    placements: list  # (action, Placement) pairs
    already_carried: list
    archive: bool
    measures: list = field(default_factory=list)  # MeasureMapping


def roll_over_preview(*, plan, target, actions, mapping, archive=False):
    """What ``plan_roll_over`` with the same arguments would do, changing nothing: the
    confirmation page shows it. Refused as the roll-over itself would be."""
    _check_roll_over(plan, target)
    placements, already = _placements(plan, target, actions, mapping)
    measures = measure_mappings([action for action, _ in placements], target)
    return RollOverPreview(placements, already, archive, measures)


@dataclass
class RollOverResult:
    carried: list
    already_carried: list
    archived: bool

    def message(self, plan, target):
        """What the person who confirmed the roll-over of ``plan`` into ``target`` is told."""
        count, already = len(self.carried), len(self.already_carried)
        said = [f"{count} action{pluralize(count)} carried forward into {target.full_title}."]
        if already:
            said.append(
                f"{already} action{pluralize(already)} {pluralize(already, 'was,were')} already carried, "
                "so not carried again."
            )
        if self.archived:
            said.append(f"{plan.full_title} is now archived.")
        return " ".join(said)


@transaction.atomic
def plan_roll_over(*, plan, target, actions, mapping, archive=False):
    """Carry the chosen open ``actions`` of ``plan`` into ``target``.

    ``mapping`` maps a source issue id to where its actions go (``placement_for``):
    a target issue, a target priority, or ``None`` for the priority and issue of the same
    titles, created when the next plan has none; unmapped issues go there too. Each
    carried action is created with the same text, owners, target date and current RAG,
    linked to its origin (``carried_from``), which is marked "carried forward". The copy
    keeps the protective marking of its text, and contributes to the next plan's measures
    of the same names as the original's (``measure_mappings``); others are dropped. Actions
    carried before are skipped and reported, never carried twice, so a plan may be
    rolled over again into the same plan for actions left behind. ``plan`` is archived
    only when ``archive`` is asked for. Returns a ``RollOverResult``.
    """
    from actions.models import Action, Status

    plan = (
        ActionPlan.objects.select_for_update(of=("self",)).select_related("rolled_over_to__partnership").get(pk=plan.pk)
    )
    target = ActionPlan.objects.select_for_update().get(pk=target.pk)
    _check_roll_over(plan, target)
    # Locked before reading who was carried, so that two roll-overs at once carry each action once.
    list(Action.objects.select_for_update().filter(pk__in=[a.pk for a in actions]).values_list("pk", flat=True))
    placements, already = _placements(plan, target, actions, mapping)
    measures_into = {m.measure.pk: m.into for m in measure_mappings([a for a, _ in placements], target)}
    new_priorities, new_issues, created = {}, {}, []
    next_number = max(target.priorities.values_list("number", flat=True), default=0) + 1
    for original, place in placements:
        priority = place.priority
        if priority is None:
            key = normalise_name(place.priority_title)
            if key not in new_priorities:
                new_priorities[key] = Priority.objects.create(
                    plan=target,
                    number=next_number,
                    title=place.priority_title,
                    description=original.issue.priority.description,
                )
                next_number += 1
            priority = new_priorities[key]
        issue = place.issue
        if issue is None:
            key = (priority.pk, normalise_name(place.issue_title))
            if key not in new_issues:
                order = max(priority.issues.values_list("order", flat=True), default=-1) + 1
                new_issues[key] = Issue.objects.create(priority=priority, title=place.issue_title, order=order)
            issue = new_issues[key]
        copy = Action.objects.create(
            issue=issue,
            text=original.text,
            marking=original.marking,
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
        measures = [measures_into[m.pk] for m in original.measures.all() if measures_into.get(m.pk) is not None]
        if measures:
            copy.measures.add(*measures)
        original.status = Status.CARRIED_FORWARD
        original.status_reason = f"Carried forward into {target.full_title}."
        original.version += 1
        original.save(update_fields=["status", "status_reason", "version"])
        created.append(copy)
    if plan.rolled_over_to_id is None:
        plan.rolled_over_to = target
        plan.save(update_fields=["rolled_over_to"])
    if archive:
        plan_archive(plan=plan)
    return RollOverResult(created, already, archive)


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
