"""Writes for performance measures."""

from django.db import transaction
from django.db.models import Max

from .models import MeasureValue, PerformanceMeasure


@transaction.atomic
def measure_add_value(*, measure, period_start, value, source="", note="", entered_by=None):
    """Record ``measure``'s value for the period starting ``period_start``.

    One value per period (a database constraint): the form checks first so people
    see a clear message; a race ends in ``IntegrityError``.
    """
    return MeasureValue.objects.create(
        measure=measure, period_start=period_start, value=value, source=source, note=note, entered_by=entered_by
    )


class MeasureHasValues(Exception):
    """A measure with values is never removed: its values are history."""


MEASURE_FIELDS = ("name", "description", "unit", "better", "period", "target", "baseline")


@transaction.atomic
def measure_create(
    *,
    priority=None,
    aim=None,
    name,
    description="",
    unit="",
    better=PerformanceMeasure.Better.LOWER,
    period=PerformanceMeasure.Period.MONTH,
    target=None,
    baseline=None,
):
    """Define a measure on ``priority`` or on ``aim`` (exactly one; the database insists),
    placed after the measures already there."""
    siblings = PerformanceMeasure.objects.filter(priority=priority) if priority else aim.measures.all()
    last = siblings.aggregate(last=Max("order"))["last"]
    return PerformanceMeasure.objects.create(
        priority=priority,
        aim=aim,
        name=name,
        description=description,
        unit=unit,
        better=better,
        period=period,
        target=target,
        baseline=baseline,
        order=0 if last is None else last + 1,
    )


@transaction.atomic
def measure_update(*, measure, **fields):
    """Change ``measure``'s definition (any of MEASURE_FIELDS); where it sits does not change."""
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.save(update_fields=list(fields))
    return measure


@transaction.atomic
def measure_remove(*, measure):
    """Remove ``measure`` if it has no values; raise MeasureHasValues otherwise.

    The row is locked first, so a value being entered at the same moment either lands
    before (and the removal is refused) or fails against the removed measure."""
    locked = PerformanceMeasure.objects.select_for_update().filter(pk=measure.pk).first()
    if locked is None:
        return
    count = locked.values.count()
    if count:
        raise MeasureHasValues(
            f"“{locked.name}” has {count} value{'s' if count != 1 else ''} and cannot be removed: "
            "values are the partnership's history. Edit the measure instead."
        )
    locked.delete()
