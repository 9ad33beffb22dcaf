"""Performance measures: who may read and enter values, periods, direction of travel.

Who may enter values: a partnership administrator and the partnership's officers
(the people who hold the figures: police analysts, council officers). Chairs read
only (403 on the entry page); people outside the partnership get a 404.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from partners.access import check_partnership_rights
from partners.models import Role
from plans.models import StrategicAim

from .models import PerformanceMeasure

ENTERING_ROLES = (Role.Kind.ADMIN, Role.Kind.OFFICER)
QUARTER_NAMES = {1: "January to March", 4: "April to June", 7: "July to September", 10: "October to December"}


def measure_partnership(measure):
    if measure.priority_id:
        return measure.priority.plan.partnership
    return measure.aim.strategy.partnership


def get_measure_for_user(request, pk, *, for_edit=False):
    """``(measure, rights)`` for the measure ``pk`` if the user has a role in its
    partnership and sees its plan (404 otherwise: a draft hides its measures); with
    ``for_edit``, 403 unless the user may enter values
    (``rights.role in ENTERING_ROLES``). Sets the request's current partnership."""
    try:
        measure = PerformanceMeasure.objects.select_related(
            "priority__plan__partnership", "aim__strategy__partnership"
        ).get(pk=pk)
    except (PerformanceMeasure.DoesNotExist, ValueError, TypeError):
        raise Http404("No such measure") from None
    try:
        rights = check_partnership_rights(request, measure_partnership(measure))
    except Http404:
        raise Http404("No such measure") from None
    if measure.priority_id and measure.priority.plan.is_hidden_from(rights.role):
        raise Http404("No such measure")
    if for_edit and rights.role not in ENTERING_ROLES:
        raise PermissionDenied("Only the partnership's officers and administrators enter values.")
    return measure, rights


def aims_for_plan(plan):
    """The strategic aims whose measures show on ``plan``'s measure list (see ``measures_for_plan``)."""
    condition = Q(
        strategy__partnership_id=plan.partnership_id,
        strategy__start_year__lte=plan.start_year,
        strategy__end_year__gte=plan.start_year,
    )
    if plan.strategy_id:
        condition |= Q(strategy_id=plan.strategy_id)
    return StrategicAim.objects.filter(condition).select_related("strategy").order_by("-strategy__start_year", "order")


def measures_for_plan(plan):
    """Measures on the plan's priorities, on the aims of its strategy, and on the aims of
    any strategy of the partnership that covers the plan's first year (2016-2020 for 2019-2020)."""
    condition = Q(priority__plan=plan) | Q(
        aim__strategy__partnership_id=plan.partnership_id,
        aim__strategy__start_year__lte=plan.start_year,
        aim__strategy__end_year__gte=plan.start_year,
    )
    if plan.strategy_id:
        condition |= Q(aim__strategy_id=plan.strategy_id)
    return PerformanceMeasure.objects.filter(condition).select_related("priority", "aim")


def period_start_of(measure, day):
    """The first day of the month or quarter that contains ``day``."""
    if measure.period == PerformanceMeasure.Period.QUARTER:
        return datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return datetime.date(day.year, day.month, 1)


def previous_period_start(measure, start):
    months = 3 if measure.period == PerformanceMeasure.Period.QUARTER else 1
    month = start.month - months
    year = start.year
    if month < 1:
        month += 12
        year -= 1
    return datetime.date(year, month, 1)


def period_label(measure, start):
    """ "April 2025", or for a quarter "April to June 2025"."""
    if measure.period == PerformanceMeasure.Period.QUARTER:
        return f"{QUARTER_NAMES.get(start.month, start.strftime('%B'))} {start.year}"
    return start.strftime("%B %Y")


def is_future_period(start, *, today=None):
    return start > (today or timezone.localdate())


def _number(value):
    value = Decimal(value).normalize()
    return f"{value:,f}" if value != value.to_integral() else f"{int(value):,}"


def direction_of_travel(measure, values):
    """How the latest value moved from the one before, in words.

    ``values`` in period order. Returns None with fewer than two values, else a dict
    with ``text`` ("up 1.2 points since last quarter, better") and ``judgement``.
    """
    if len(values) < 2:
        return None
    previous, latest = values[-2], values[-1]
    change = latest.value - previous.value
    if previous_period_start(measure, latest.period_start) == previous.period_start:
        since = "since last quarter" if measure.period == PerformanceMeasure.Period.QUARTER else "since last month"
    else:
        since = f"since {period_label(measure, previous.period_start)}"
    unit = measure.unit if measure.unit and measure.unit != "%" else "points"
    if change == 0:
        return {"text": f"no change {since}", "judgement": "same", "change": change}
    word = "up" if change > 0 else "down"
    if measure.better == PerformanceMeasure.Better.NEITHER:
        judgement = ""
    elif (change < 0) == (measure.better == PerformanceMeasure.Better.LOWER):
        judgement = "better"
    else:
        judgement = "worse"
    text = f"{word} {_number(abs(change))} {unit} {since}"
    if judgement:
        text += f", {judgement}"
    return {"text": text, "judgement": judgement, "change": change}
