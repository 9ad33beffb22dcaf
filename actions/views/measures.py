"""Performance measures of a plan: charts, direction of travel, entering values, CSV."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from plans.access import get_plan_for_user
from plans.charts import format_number, line_chart

from ..measure_forms import MeasureForm, MeasureValueForm
from ..measure_services import (
    MEASURE_FIELDS,
    MeasureHasValues,
    measure_add_value,
    measure_create,
    measure_remove,
    measure_update,
)
from ..measures import (
    ENTERING_ROLES,
    direction_of_travel,
    get_measure_for_user,
    measures_for_plan,
    period_label,
)
from ..models import withhold_texts


def _measure_plan(measure):
    if measure.priority_id:
        return measure.priority.plan
    return measure.aim.strategy.plans.order_by("-start_year").first()


@login_required
@require_safe
def measure_list(request, slug):
    """Every measure on the plan's priorities and its strategy's aims, with the latest value."""
    plan, rights = get_plan_for_user(request, slug)
    measures = list(measures_for_plan(plan).prefetch_related("values"))
    rows = []
    for measure in measures:
        values = list(measure.values.all())
        latest = values[-1] if values else None
        rows.append(
            {
                "measure": measure,
                "latest": latest,
                "latest_label": period_label(measure, latest.period_start) if latest else "",
                "direction": direction_of_travel(measure, values),
            }
        )
    return render(
        request,
        "actions/measures_list.html",
        {
            "plan": plan,
            "rows": rows,
            "can_define": rights.is_admin,
            "page_title": f"Performance measures: {plan.full_title}",
        },
    )


@login_required
@require_safe
def measure_detail(request, pk):
    """A measure's chart with its target, the latest value and direction, and the values as a table."""
    measure, rights = get_measure_for_user(request, pk)
    plan = _measure_plan(measure)
    values = list(measure.values.select_related("entered_by").order_by("period_start"))
    points = [(v.period_start.strftime("%b %y"), v.value) for v in values]
    chart = line_chart(points, chart_id=f"measure-{measure.pk}", target=measure.target, baseline=measure.baseline)
    desc = "; ".join(f"{period_label(measure, v.period_start)}: {format_number(v.value)}" for v in values)
    if measure.target is not None:
        desc += f". Target {format_number(measure.target)}."
    return render(
        request,
        "actions/measures_detail.html",
        {
            "measure": measure,
            "plan": plan,
            "values": [(v, period_label(measure, v.period_start)) for v in values],
            "latest": values[-1] if values else None,
            "latest_label": period_label(measure, values[-1].period_start) if values else "",
            "direction": direction_of_travel(measure, values),
            "chart": chart,
            "chart_desc": desc or "No values yet.",
            "can_enter": rights.role in ENTERING_ROLES,
            "can_define": plan is not None and rights.is_admin,
            "contributing": withhold_texts(
                request.user,
                measure.actions.visible_to(request.user)
                .agreed()
                .select_related("issue__priority__plan__partnership")
                .order_by(
                    "-issue__priority__plan__start_year", "issue__priority__number", "issue__order", "order", "pk"
                ),
            ),
            "page_title": measure.name,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_add_value_view(request, pk):
    """Enter one period's value (officers and admins of the partnership)."""
    measure, _ = get_measure_for_user(request, pk, for_edit=True)
    plan = _measure_plan(measure)
    form = MeasureValueForm(request.POST or None, measure=measure)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        measure_add_value(
            measure=measure,
            period_start=data["period_start"],
            value=data["value"],
            source=data["source"],
            note=data["note"],
            entered_by=request.user,
        )
        messages.success(request, f"Value for {period_label(measure, data['period_start'])} saved.")
        return redirect("actions:measure_detail", pk=measure.pk)
    return render(
        request,
        "actions/measures_add_value.html",
        {"measure": measure, "plan": plan, "form": form, "page_title": f"Enter a value: {measure.name}"},
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def measure_values_csv(request, pk):
    """The measure's values as CSV (period, value, source, note)."""
    measure, _ = get_measure_for_user(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="measure-{measure.pk}-values.csv"'
    writer = csv.writer(response)
    writer.writerow(["measure", "unit", "period_start", "period", "value", "target", "source", "note"])
    for value in measure.values.order_by("period_start"):
        writer.writerow(
            [
                _csv_safe(measure.name),
                _csv_safe(measure.unit),
                value.period_start.isoformat(),
                period_label(measure, value.period_start),
                value.value,
                "" if measure.target is None else measure.target,
                _csv_safe(value.source),
                _csv_safe(value.note),
            ]
        )
    return response


def _csv_safe(text):
    """Stop spreadsheet formula injection: a cell starting with = + - @ is read as text."""
    return "'" + text if text and text[0] in "=+-@\t\r" else text


def _admin_plan_and_measure(request, slug, pk):
    """The plan (404 outsiders, 403 unless a partnership admin) and one of the measures listed on it."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    measure = get_object_or_404(measures_for_plan(plan), pk=pk) if pk is not None else None
    return plan, measure


@login_required
@require_http_methods(["GET", "POST"])
def measure_create_view(request, slug):
    """Define a measure on one of the plan's priorities or aims (partnership admins only)."""
    plan, _ = _admin_plan_and_measure(request, slug, None)
    form = MeasureForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        measure = measure_create(**form.cleaned_data)
        messages.success(request, f"Measure “{measure.name}” added.")
        return redirect("actions:measure_list", slug=plan.slug)
    return render(
        request,
        "actions/measure_form.html",
        {"plan": plan, "form": form, "submit_label": "Add measure", "page_title": "Add a performance measure"},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_edit_view(request, slug, pk):
    """Change a measure's name, description, unit, direction, period, target or baseline."""
    plan, measure = _admin_plan_and_measure(request, slug, pk)
    initial = {name: getattr(measure, name) for name in MEASURE_FIELDS}
    form = MeasureForm(request.POST or None, initial=initial, measure=measure)
    if request.method == "POST" and form.is_valid():
        measure_update(measure=measure, **{name: form.cleaned_data[name] for name in MEASURE_FIELDS})
        messages.success(request, f"Measure “{measure.name}” saved.")
        return redirect("actions:measure_list", slug=plan.slug)
    return render(
        request,
        "actions/measure_form.html",
        {
            "plan": plan,
            "measure": measure,
            "form": form,
            "submit_label": "Save measure",
            "page_title": f"Edit the measure: {measure.name}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def measure_remove_view(request, slug, pk):
    """Ask, then remove a measure that has no values; one with values is refused."""
    plan, measure = _admin_plan_and_measure(request, slug, pk)
    value_count = measure.values.count()
    if request.method == "POST":
        try:
            measure_remove(measure=measure)
        except MeasureHasValues as refusal:
            messages.error(request, str(refusal))
            return redirect("actions:measure_list", slug=plan.slug)
        messages.success(request, f"Measure “{measure.name}” removed.")
        return redirect("actions:measure_list", slug=plan.slug)
    return render(
        request,
        "actions/measure_remove.html",
        {
            "plan": plan,
            "measure": measure,
            "value_count": value_count,
            "page_title": f"Remove the measure: {measure.name}",
        },
    )
