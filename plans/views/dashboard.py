"""The partnership dashboard of a plan: where it stands at a glance, and how it moved."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..access import get_plan_for_user
from ..charts import RAG_LABELS, stacked_bars, stacked_bars_svg
from ..dashboard import plan_dashboard
from ..quality import CHECKS, plan_quality
from ..rollup import Rollup, plan_rollups
from ..rounds import open_round_for_plan, round_progress


def _describe(counts):
    return ", ".join(f"{n} {RAG_LABELS[rag]}" for rag, n in counts)


@login_required
@require_safe
def plan_dashboard_view(request, slug):
    """RAG by priority (with each priority's derived rating) and over time, what needs
    attention, recent updates, workload per owner; for chairs and admins also the actions
    rated better than suggested and the monitoring quality.

    Anyone with a role in the partnership may read it; outsiders get a 404.
    """
    plan, rights = get_plan_for_user(request, slug)
    open_round = open_round_for_plan(plan)
    figures = plan_dashboard(plan, request.user)
    found = plan_rollups(plan, today=figures["today"])
    for row in figures["by_priority"]:
        row.rollup = found.priorities.get(row.priority.pk) or Rollup(rule=plan.partnership.rollup_rule)
    # For the chair's attention: never shown to officers (no league table of teams).
    senior = rights.is_senior
    quality = plan_quality(plan, request.user, today=figures["today"]) if senior else None
    priority_chart = stacked_bars(
        [(f"{row.priority.number}. {row.priority.title}", row.cells()) for row in figures["by_priority"]],
        chart_id="rag-by-priority",
    )
    over_time = [(end, [(rag, counts[rag]) for rag in counts]) for end, counts in figures["over_time"]]
    time_chart = stacked_bars(
        [(end.strftime("%b %Y"), cells) for end, cells in over_time], chart_id="rag-over-time", label_width=90
    )
    priority_desc = "; ".join(
        f"Priority {row.priority.number}: {_describe(row.cells())}" for row in figures["by_priority"]
    )
    time_desc = "; ".join(f"{end:%B %Y}: {_describe(cells)}" for end, cells in over_time)
    context = {
        **figures,
        "plan": plan,
        "open_round": open_round,
        "round_progress": round_progress(open_round) if open_round else None,
        "may_track_round": rights.is_senior,
        "plan_rollup": found.plan(plan),
        "better_than_suggested": quality.better_than_suggested if senior else None,
        "quality": quality,
        "quality_checks": CHECKS.values(),
        "page_title": f"Dashboard: {plan.full_title}",
        "plan_url": plan.get_absolute_url(),
        "priority_chart": priority_chart,
        "priority_desc": priority_desc,
        "priority_svg": stacked_bars_svg(
            priority_chart, title="RAG ratings of actions by priority", desc=priority_desc
        ),
        "time_chart": time_chart,
        "over_time": over_time,
        "time_desc": time_desc,
        "time_svg": stacked_bars_svg(time_chart, title="RAG ratings at the end of each month", desc=time_desc),
    }
    return render(request, "plans/dashboard_detail.html", context)
