"""The scrutiny pack: what the council's crime and disorder scrutiny committee receives about
one plan year of a partnership (issue 16), as a PDF in the plan PDF's landscape style.

In order: the plan summary (RAG ratings by priority, and at the end of each month of the
plan's year), the performance measures against their targets, the reviews and their
recommendations, and the statutory duties met and missed.

The pack is OFFICIAL whoever asks for it: it is built from counts, priority titles and
measure figures only, never from an action's or an update's text, nor from a review's
title, chair or recommendations' wording. Everything is loaded in a fixed number of
queries (``tests/plans/test_scrutiny_pack.py`` counts them at two sizes); the template only loops.

Rendered like a meeting pack: a ``MeetingPack`` of kind "scrutiny" queued by
``pack_request`` and rendered by the task ``render_pack`` in the limited child process
(``manage.py scrutiny_pack``), or directly from the command line.
"""

import datetime
import json
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import dateformat, timezone

from actions.measures import direction_of_travel, measures_for_plan, period_label
from actions.models import Action, Marking, PerformanceMeasure, Rag
from partners.pdf import StaticOnlyFetcher, child_command, render_pdf, run_child

from ..charts import RAG_LABELS, format_number, stacked_bars, stacked_bars_svg
from ..dashboard import RAG_ORDER, plan_months, rag_over_time
from ..models import ActionPlan, Recommendation, Review, StatutoryDuty
from ..review_models import FINISHED_RECOMMENDATION_STATUSES
from .render import RenderResult

DEFAULT_COMMITTEE = "Crime and disorder scrutiny committee"
MARKING = Marking.OFFICIAL.label


@dataclass(frozen=True)
class ScrutinyOptions:
    """What the chair chooses: the committee the pack is for, and the date it meets."""

    committee_title: str = ""
    committee_date: datetime.date | None = None

    def to_dict(self):
        data = asdict(self)
        data["committee_date"] = self.committee_date.isoformat() if self.committee_date else None
        return data

    @classmethod
    def from_dict(cls, data):
        data = dict(data or {})
        when = data.get("committee_date")
        return cls(
            committee_title=data.get("committee_title") or "",
            committee_date=datetime.date.fromisoformat(when) if when else None,
        )

    @property
    def committee(self):
        return self.committee_title or DEFAULT_COMMITTEE


@dataclass
class PriorityLine:
    number: int
    title: str
    counts: dict

    @property
    def action_count(self):
        return sum(self.counts.values())

    def cells(self):
        return [(rag, self.counts.get(rag, 0)) for rag in RAG_ORDER]


@dataclass
class MeasureLine:
    """A measure against its target: the latest value of the plan's year, in words."""

    name: str
    where: str
    unit: str
    better: str
    target: str
    latest: str
    latest_label: str
    against_target: str
    direction: str


RECOMMENDATION_STATUSES = [status for status, _ in Recommendation.Status.choices]


@dataclass
class ReviewLine:
    """What everyone in the partnership may know of a review: its reference, kind and status,
    and how many of its recommendations are in each state. Never its title, chair, dates or
    the recommendations' wording or agencies: a review is OFFICIAL-SENSITIVE by default."""

    reference: str
    kind: str
    status: str
    counts: dict
    overdue: int

    @property
    def total(self):
        return sum(self.counts.values())

    def cells(self):
        return [self.counts.get(status, 0) for status in RECOMMENDATION_STATUSES]


DUTY_STATES = ["Met on time", "Met late", "Missed", "Upcoming"]


@dataclass
class DutyLine:
    title: str
    kind: str
    due_date: datetime.date
    done_on: datetime.date | None
    state: str  # one of DUTY_STATES


def duty_state(due_date, done_on, today):
    """Met on time, met late, missed (past its date and not done) or upcoming."""
    if done_on is not None:
        return "Met on time" if done_on <= due_date else "Met late"
    return "Missed" if due_date < today else "Upcoming"


@dataclass
class ScrutinyData:
    plan: object
    options: ScrutinyOptions
    priorities: list
    over_time: list  # [(month end, [(rag, count)])]
    measures: list
    produced_at: datetime.datetime
    reviews: list | None = None  # ReviewLines; None leaves the section out
    duties: list | None = None  # DutyLines; None leaves the section out
    marking: str = MARKING

    @property
    def title(self):
        return f"Scrutiny pack: {self.plan.full_title}"

    @property
    def totals(self):
        return [(rag, sum(line.counts.get(rag, 0) for line in self.priorities)) for rag in RAG_ORDER]

    @property
    def action_count(self):
        return sum(line.action_count for line in self.priorities)

    @property
    def rated_count(self):
        return sum(n for rag, n in self.totals if rag != Rag.NOT_RATED)

    @property
    def review_totals(self):
        return [sum(line.counts.get(status, 0) for line in self.reviews or []) for status in RECOMMENDATION_STATUSES]

    @property
    def review_overdue(self):
        return sum(line.overdue for line in self.reviews or [])

    @property
    def recommendation_count(self):
        return sum(self.review_totals)

    @property
    def year_start(self):
        return plan_year_start(self.plan)

    @property
    def duty_counts(self):
        return [(state, sum(1 for line in self.duties or [] if line.state == state)) for state in DUTY_STATES]


def scrutiny_plan_queryset():
    """The plan with its partnership, for the pack's pages and its render."""
    return ActionPlan.objects.select_related("partnership")


def plan_year_end(plan):
    """The last day of the plan's year (plans run April to March)."""
    return plan.ends_on


def load_scrutiny_data(plan, options, *, now=None):
    """Everything the scrutiny pack of ``plan`` prints, in a fixed number of queries.

    No user: the pack is the same, and OFFICIAL, whoever asks for it."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    priorities = list(plan.priorities.order_by("number").values_list("pk", "number", "title"))
    counts = {pk: dict.fromkeys(RAG_ORDER, 0) for pk, _, _ in priorities}
    summaries = {}
    for pk, priority_id, rag, created_at, history in (
        Action.objects.in_plan(plan)
        .order_by()
        .values_list("pk", "issue__priority_id", "rag", "created_at", "rating_history")
    ):
        counts[priority_id][rag if rag in RAG_ORDER else Rag.NOT_RATED] += 1
        summaries[pk] = (timezone.localdate(created_at), history)
    over_time = [
        (end, [(rag, month[rag]) for rag in RAG_ORDER])
        for end, month in rag_over_time(None, plan_months(plan, today=today), summaries=summaries)
    ]
    return ScrutinyData(
        plan=plan,
        options=options,
        priorities=[PriorityLine(number=n, title=title, counts=counts[pk]) for pk, n, title in priorities],
        over_time=over_time,
        measures=measure_lines(plan),
        reviews=review_lines(plan, today=today),
        duties=duty_lines(plan, today=today),
        produced_at=now,
    )


def plan_year_start(plan):
    return datetime.date(plan.start_year, 4, 1)


def duty_lines(plan, *, today):
    """The partnership's statutory duties due in the plan's year (April to March), each met on
    time, met late, missed or upcoming on ``today``: one query."""
    kinds = dict(StatutoryDuty.Kind.choices)
    return [
        DutyLine(
            title=title, kind=kinds.get(kind, kind), due_date=due, done_on=done, state=duty_state(due, done, today)
        )
        for title, kind, due, done in StatutoryDuty.objects.filter(
            partnership_id=plan.partnership_id, due_date__range=(plan_year_start(plan), plan_year_end(plan))
        )
        .order_by("due_date", "pk")
        .values_list("title", "kind", "due_date", "done_on")
    ]


def review_lines(plan, *, today):
    """The partnership's reviews notified (or recorded) by the end of the plan's year, with
    their recommendations counted by status and those overdue on ``today``: two queries,
    which read no title, chair, text or agency at all."""
    year_end = plan_year_end(plan)
    recorded_by = timezone.make_aware(datetime.datetime.combine(year_end, datetime.time.max))
    reviews = (
        Review.objects.filter(partnership_id=plan.partnership_id)
        .filter(Q(notified_on__lte=year_end) | Q(notified_on__isnull=True, created_at__lte=recorded_by))
        .order_by("reference", "pk")
    )
    counts = defaultdict(dict)
    overdue = defaultdict(int)
    for review_id, status, n, late in (
        Recommendation.objects.filter(review__in=reviews.values("pk"))
        .order_by()
        .values_list("review_id", "status")
        .annotate(
            n=Count("pk"),
            late=Count("pk", filter=Q(due_date__lt=today) & ~Q(status__in=FINISHED_RECOMMENDATION_STATUSES)),
        )
    ):
        counts[review_id][status] = n
        overdue[review_id] += late
    return [
        ReviewLine(
            reference=reference,
            kind=kind,
            status=Review.Status(status).label,
            counts=counts[pk],
            overdue=overdue[pk],
        )
        for pk, reference, kind, status in reviews.values_list("pk", "reference", "kind__name", "status")
    ]


def measure_lines(plan):
    """The plan's measures (``measures_for_plan``) with their latest value up to the end of
    the plan's year, judged against the target: two queries."""
    year_end = plan_year_end(plan)
    lines = []
    for measure in measures_for_plan(plan).prefetch_related("values").order_by("priority__number", "order", "id"):
        values = [v for v in measure.values.all() if v.period_start <= year_end]
        latest = values[-1] if values else None
        direction = direction_of_travel(measure, values)
        lines.append(
            MeasureLine(
                name=measure.name,
                where=f"Priority {measure.priority.number}" if measure.priority_id else "Strategic aim",
                unit=measure.unit,
                better=measure.get_better_display(),
                target="" if measure.target is None else format_number(measure.target),
                latest="" if latest is None else format_number(latest.value),
                latest_label=period_label(measure, latest.period_start) if latest else "",
                against_target=against_target(measure, latest),
                direction=direction["text"] if direction else "",
            )
        )
    return lines


def against_target(measure, latest):
    """ "Target met", "Target not met", "No target", "Context only" or "No value yet", in words."""
    if latest is None:
        return "No value yet"
    if measure.better == PerformanceMeasure.Better.NEITHER:
        return "Context only"
    if measure.target is None:
        return "No target"
    if measure.better == PerformanceMeasure.Better.LOWER:
        met = latest.value <= measure.target
    else:
        met = latest.value >= measure.target
    return "Target met" if met else "Target not met"


def _describe(cells):
    return ", ".join(f"{n} {RAG_LABELS[rag]}" for rag, n in cells)


def build_scrutiny_html(data):
    """The pack's HTML: the plan PDF's stylesheet and page furniture, the charts of
    ``plans/charts.py`` (inline SVG, every text escaped) beside tables of the same figures."""
    produced = dateformat.format(timezone.localtime(data.produced_at), "j F Y, H:i")
    by_priority = stacked_bars(
        [(f"Priority {line.number}", line.cells()) for line in data.priorities], chart_id="scrutiny-priority"
    )
    by_month = stacked_bars(
        [(dateformat.format(end, "F Y"), cells) for end, cells in data.over_time],
        chart_id="scrutiny-months",
        label_width=120,
    )
    context = {
        "data": data,
        "plan": data.plan,
        "options": data.options,
        "produced": f"Produced {produced}",
        "rag_order": [(rag, RAG_LABELS[rag]) for rag in RAG_ORDER],
        "recommendation_statuses": [label for _, label in Recommendation.Status.choices],
        "priority_svg": stacked_bars_svg(
            by_priority,
            title="RAG ratings of actions by priority",
            desc="; ".join(f"Priority {line.number}: {_describe(line.cells())}" for line in data.priorities),
        ),
        "months_svg": stacked_bars_svg(
            by_month,
            title="RAG ratings at the end of each month",
            desc="; ".join(f"{dateformat.format(end, 'F Y')}: {_describe(cells)}" for end, cells in data.over_time),
        ),
    }
    return render_to_string("plans/pdf/scrutiny.html", context)


def render_scrutiny(plan, options, *, progress=None, now=None):
    """Render the pack of ``plan`` in this process; returns a ``RenderResult``."""
    progress = progress or (lambda percent: None)
    started = time.perf_counter()
    data = load_scrutiny_data(plan, options, now=now)
    progress(20)
    fetcher = StaticOnlyFetcher()
    pdf, document = render_pdf(build_scrutiny_html(data), fetcher=fetcher)
    progress(95)
    return RenderResult(
        pdf=pdf,
        pages=len(document.pages),
        marking=data.marking,
        seconds=time.perf_counter() - started,
        refused=tuple(fetcher.refused),
    )


def render_scrutiny_for_worker(plan, options, *, progress=None):
    """Render in the task worker: in the limited child process (``manage.py scrutiny_pack``)
    with ``PDF_RENDER_TIMEOUT``, or here with ``PDF_RENDER_IN_PROCESS``. Raises
    ``RenderFailed`` with the cause."""
    progress = progress or (lambda percent: None)
    if settings.PDF_RENDER_IN_PROCESS:
        return render_scrutiny(plan, options, progress=progress)
    progress(10)
    with tempfile.TemporaryDirectory(prefix="csp-scrutiny-") as tmp:
        output = Path(tmp) / "scrutiny.pdf"
        summary = Path(tmp) / "summary.json"
        args = [
            "scrutiny_pack",
            plan.partnership.slug,
            plan.slug,
            "--output",
            str(output),
            "--options-json",
            json.dumps(options.to_dict()),
            "--summary-json",
            str(summary),
        ]
        started = time.perf_counter()
        run_child(
            child_command(*args),
            output=output,
            timeout=settings.PDF_RENDER_TIMEOUT,
            label=f"the scrutiny pack of {plan.slug}",
        )
        info = json.loads(summary.read_text())
        return RenderResult(
            pdf=output.read_bytes(),
            pages=info["pages"],
            marking=info["marking"],
            seconds=time.perf_counter() - started,
        )
