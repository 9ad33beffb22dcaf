"""Writes for performance measures."""

from django.db import transaction

from .models import MeasureValue


@transaction.atomic
def measure_add_value(*, measure, period_start, value, source="", note="", entered_by=None):
    """Record ``measure``'s value for the period starting ``period_start``.

    One value per period (a database constraint): the form checks first so people
    see a clear message; a race ends in ``IntegrityError``.
    """
    return MeasureValue.objects.create(
        measure=measure, period_start=period_start, value=value, source=source, note=note, entered_by=entered_by
    )
