"""The figures behind the partnership dashboard and the county view.

Every function here runs a fixed number of queries, whatever the number of
actions or updates: counts are grouped in SQL, and the RAG-over-time series is
one ordered query swept in Python. Words: "stale" means an open action with no
update for longer than the partnership's interval (``Action.is_stale``).
"""

import calendar
import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, F, Max, Q, Value
from django.urls import reverse
from django.utils import timezone

from actions.models import (
    PROPOSAL_STATUSES,
    WITHHELD_TEXT,
    Action,
    ActionUpdate,
    Marking,
    Rag,
    Status,
    month_number,
    readable_text_ids,
    readable_update_filter,
    withhold_texts,
)
from partners.access import PartnershipRights, partnership_role

RAG_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]


def stale_q(partnerships, *, today=None):
    """A filter for open actions that need an update, for actions of these partnerships.

    Mirrors ``Action.is_stale`` on the stored ``last_update_on``: stale when the latest
    live update is dated before the cut-off (today minus the interval), or, with no
    update at all, when the action was created before the cut-off. Partnerships sharing
    an interval share a clause, so the query stays one query.
    """
    today = today or timezone.localdate()
    by_interval = defaultdict(list)
    for partnership in partnerships:
        by_interval[partnership.update_interval_days].append(partnership.pk)
    clauses = Q(pk__in=[])
    for interval, ids in by_interval.items():
        cutoff = today - datetime.timedelta(days=interval)
        cutoff_start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
        clauses |= Q(issue__priority__plan__partnership_id__in=ids) & (
            Q(last_update_on__lt=cutoff) | Q(last_update_on__isnull=True, created_at__lt=cutoff_start)
        )
    return Q(status=Status.OPEN) & clauses


def overdue_q(*, today=None):
    return Q(status=Status.OPEN, target_date__lt=today or timezone.localdate())


@dataclass(slots=True)
class ActionLine:
    """An action in a dashboard list: just what the list shows, without a model instance."""

    pk: int
    text: str
    url: str
    on: datetime.date | None = None
    marking: str = Marking.OFFICIAL
    text_withheld: bool = False

    @property
    def is_sensitive(self):
        return self.marking == Marking.OFFICIAL_SENSITIVE


def withhold_lines(user, lines):
    """Put the placeholder in place of the text of the ``ActionLine``s whose OFFICIAL-SENSITIVE
    text ``user`` may not read (``readable_text_ids``): at most one query."""
    readable = readable_text_ids(user, {line.pk for line in lines if line.is_sensitive})
    for line in lines:
        if line.is_sensitive and line.pk not in readable:
            line.text, line.text_withheld = WITHHELD_TEXT, True
    return lines


def action_url_maker():
    """``pk -> URL of the action page``, reversing once rather than once per row."""
    marker = 987654321
    template = reverse("actions:detail", args=[marker])
    return lambda pk: template.replace(str(marker), str(pk))


@dataclass
class PriorityCounts:
    priority: object
    counts: dict = field(default_factory=dict)

    @property
    def total(self):
        return sum(self.counts.values())

    def cells(self):
        return [(rag, self.counts.get(rag, 0)) for rag in RAG_ORDER]


def month_ends(first, last):
    """The last day of every month from the month of ``first`` to the month of ``last``."""
    ends = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        ends.append(datetime.date(year, month, calendar.monthrange(year, month)[1]))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return ends


def plan_months(plan, *, today=None):
    """The month ends of the plan's year (April to March), up to the current month."""
    today = today or timezone.localdate()
    first = datetime.date(plan.start_year, 4, 1)
    last = (
        datetime.date(plan.end_year, 3, 31) if plan.end_year > plan.start_year else datetime.date(plan.end_year, 12, 31)
    )
    last = min(last, today)
    if last < first:
        return []
    return month_ends(first, last)


def rag_over_time(actions, ends, *, summaries=None):
    """How many actions were at each rating at each month end, from the stored history.

    An action's rating at a month end is the ``rag`` of its latest live update dated
    on or before that day, "not yet rated" when it had none; an action is not counted
    before it existed (its creation, or its first update when that is earlier, as for
    imported notes). Read from each action's ``rating_history`` (its rating at the end
    of each month in which an update changed it) and creation date, given as
    ``summaries`` ({action id: (local creation date, rating_history)}) or read in one
    query. Returns [(month_end, {rag: count})].
    """
    if not ends:
        return []
    if summaries is None:
        summaries = {
            pk: (timezone.localdate(created_at), history)
            for pk, created_at, history in actions.order_by().values_list("pk", "created_at", "rating_history")
        }
    first, last = month_number(ends[0]), month_number(ends[-1])
    changes = [Counter() for _ in ends]  # how each month end's counts differ from the one before
    for created, history in summaries.values():
        # Counted, not yet rated, from its creation or its first update, whichever is first.
        moves = [(month_number(created), Rag.NOT_RATED), *history]
        if history and history[0][0] < moves[0][0]:
            moves[0] = (history[0][0], Rag.NOT_RATED)
        rating = None
        for month, rag in moves:
            if month > last:
                break
            index = max(month - first, 0)  # earlier months count at the first month end
            if rating is not None:
                changes[index][rating] -= 1
            changes[index][rag] += 1
            rating = rag
    series, counts = [], Counter()
    for end, change in zip(ends, changes, strict=True):
        counts.update(change)
        series.append((end, {rag: counts.get(rag, 0) for rag in RAG_ORDER}))
    return series


def recent_rag_changes(plan, *, today=None, days=90, limit=10, url_for=None):
    """Actions whose current rating was given in the last ``days``: "Red since 3 March".

    One query over the rating changes (as tuples), newest first; the first change seen
    for an action is kept: it led to the action's current rating (filtered in SQL).
    """
    today = today or timezone.localdate()
    url_for = url_for or action_url_maker()
    changes = (
        ActionUpdate.objects.filter(
            action__issue__priority__plan=plan,
            is_deleted=False,
            date__gte=today - datetime.timedelta(days=days),
        )
        .exclude(previous_rag="")
        .exclude(previous_rag=F("rag"))
        .filter(rag=F("action__rag"))
        .order_by("-date", "-order", "-id")
        .values_list("action_id", "action__text", "action__marking", "rag", "date", "previous_rag")
    )
    seen, result = set(), []
    for action_id, text, marking, rag, date, previous_rag in changes:
        if action_id in seen:
            continue
        seen.add(action_id)
        result.append(
            {
                "action": ActionLine(action_id, text, url_for(action_id), marking=marking),
                "rag": rag,
                "since": date,
                "was": previous_rag,
            }
        )
        if len(result) >= limit:
            break
    return result


def workload_by_owner(plan, stale_ids):
    """Open and stale actions per owning team, organisation and group: one query, the
    three owner links of the plan's open actions in a union."""
    open_actions = Action.objects.in_plan(plan).filter(status=Status.OPEN).values("pk")
    parts = [
        relation.objects.filter(action__in=open_actions)
        .annotate(kind=Value(kind, output_field=CharField()))
        .values_list("kind", f"{name_field}_id", f"{name_field}__name", "action_id")
        .order_by()
        for kind, relation, name_field in (
            ("team", Action.owner_teams.through, "team"),
            ("org", Action.owner_organisations.through, "organisation"),
            ("group", Action.owner_groups.through, "governancegroup"),
        )
    ]
    per_owner = {}
    for kind, owner_id, name, action_id in parts[0].union(*parts[1:], all=True):
        key = f"{kind}-{owner_id}"
        entry = per_owner.setdefault(key, {"key": key, "name": name, "open": 0, "stale": 0})
        entry["open"] += 1
        entry["stale"] += action_id in stale_ids
    kinds = {"team": 0, "org": 1, "group": 2}  # ties in the order of the three kinds, as before
    return sorted(
        per_owner.values(),
        key=lambda row: (-row["stale"], -row["open"], row["name"], kinds[row["key"].split("-")[0]]),
    )


NEWEST = ("-date", "-created_at", "-id")
# What the dashboard shows of an update (its list and ``author_display``), and no more.
NEWEST_FIELDS = (
    *("date", "text", "rag", "marking", "author_name", "action__text", "action__marking"),
    *("author__username", "author__first_name", "author__last_name"),
)


def newest_updates(plan, user, *, latest_dates=None, limit=10):
    """The ``limit`` newest live updates of the plan that the user may read, with their
    action and author.

    ``latest_dates`` ({action id: ``last_update_on``} of the plan's actions, when known)
    narrows the search: the ``limit`` actions updated last have between them at least
    ``limit`` updates dated on or after the last of their dates, so the newest updates
    are all among those actions' updates from that date on (a few rows through the
    (action, date) index instead of sorting every update of the plan). When restricted
    notes hidden from the user leave fewer than ``limit`` there, the whole plan is read.
    """
    # Chairs and admins of the plan's partnership read every restricted update in it.
    senior = PartnershipRights(partnership_role(user, plan.partnership_id)).is_senior
    readable = Q() if senior else readable_update_filter(user)
    if latest_dates is not None and len(latest_dates) >= limit:
        since = sorted(latest_dates.values(), reverse=True)[limit - 1]
        candidates = [pk for pk, day in latest_dates.items() if day >= since]
        found = list(
            ActionUpdate.objects.live()
            .filter(action_id__in=candidates, date__gte=since)
            .filter(readable)
            .select_related("action", "author")
            .only(*NEWEST_FIELDS)
            .order_by(*NEWEST)[:limit]
        )
        if len(found) == limit:
            return found
    # The newest are picked on narrow rows, then loaded with their action and author.
    newest_ids = (
        ActionUpdate.objects.live()
        .filter(action__issue__priority__plan=plan)
        .filter(readable)
        .order_by(*NEWEST)
        .values("pk")[:limit]
    )
    return list(
        ActionUpdate.objects.filter(pk__in=newest_ids)
        .select_related("action", "author")
        .only(*NEWEST_FIELDS)
        .order_by(*NEWEST)
    )


def plan_dashboard(plan, user, *, today=None):
    """Everything the dashboard shows, in a fixed number of queries."""
    today = today or timezone.localdate()
    url_for = action_url_maker()
    actions = Action.objects.in_plan(plan)
    cutoff = today - datetime.timedelta(days=plan.partnership.update_interval_days)
    # One pass over the plan's actions gives the RAG counts by priority, what RAG over
    # time needs (creation dates and the stored rating histories), the stale list (as
    # ``stale_q``, on the stored date of the latest update) and the overdue list (as
    # ``overdue_q``: open, target date before today).
    summaries, latest_dates, overdue, stale = {}, {}, [], []
    counts = defaultdict(Counter)
    for (
        pk,
        text,
        marking,
        priority_id,
        rag,
        status,
        target_date,
        created_at,
        last_update_on,
        history,
    ) in actions.order_by().values_list(
        *("pk", "text", "marking", "issue__priority_id", "rag", "status", "target_date", "created_at"),
        *("last_update_on", "rating_history"),
    ):
        counts[priority_id][rag] += 1
        created = timezone.localdate(created_at)
        summaries[pk] = (created, history)
        if last_update_on is not None:
            latest_dates[pk] = last_update_on
        if status == Status.OPEN:
            if target_date is not None and target_date < today:
                overdue.append(ActionLine(pk, text, url_for(pk), target_date, marking))
            if (last_update_on or created) < cutoff:
                stale.append(ActionLine(pk, text, url_for(pk), last_update_on, marking))
    overdue.sort(key=lambda line: (line.on, line.pk))
    stale.sort(key=lambda line: (line.on is not None, line.on or today, line.pk))  # never updated first
    by_priority = [PriorityCounts(priority=p, counts=dict(counts[p.pk])) for p in plan.priorities.order_by("number")]
    stale_ids = {a.pk for a in stale}
    recent_updates = newest_updates(plan, user, latest_dates=latest_dates)
    for update in recent_updates:
        update.action_url = url_for(update.action_id)
    withhold_texts(user, [update.action for update in recent_updates])
    changes = recent_rag_changes(plan, today=today, url_for=url_for)
    withhold_lines(user, stale + overdue + [change["action"] for change in changes])
    totals = Counter()
    for row in by_priority:
        totals.update(row.counts)
    return {
        "by_priority": by_priority,
        "totals": [(rag, totals.get(rag, 0)) for rag in RAG_ORDER],
        "total": sum(totals.values()),
        "over_time": rag_over_time(actions, plan_months(plan, today=today), summaries=summaries),
        "stale": stale,
        "overdue": overdue,
        "changes": changes,
        "recent_updates": recent_updates,
        "workload": workload_by_owner(plan, stale_ids),
        "today": today,
    }


def county_rows(partnerships, *, user, today=None):
    """One row per current plan of these partnerships that ``user`` may see: RAG counts,
    stale count, last activity.

    Two queries whatever the number of partnerships, plans or actions: the plans, and the
    counts grouped by plan, with each plan's last activity (the newest of its actions'
    ``last_update_added_at``, kept from their updates).
    """
    from .models import ActionPlan

    today = today or timezone.localdate()
    partnerships = list(partnerships)
    plans = list(
        ActionPlan.objects.for_user(user)
        .current()
        .filter(partnership__in=partnerships)
        .select_related("partnership")
        .order_by("partnership__name", "-start_year")
    )
    plan_ids = [p.pk for p in plans]
    in_plans = Action.objects.filter(issue__priority__plan_id__in=plan_ids).order_by()
    # The counts are of the plan's agreed actions; its last activity, of any (a proposal's too).
    agreed = ~Q(status__in=PROPOSAL_STATUSES)
    counts = {f"n_{rag}": Count("id", filter=agreed & Q(rag=rag)) for rag in RAG_ORDER}
    rag, stale, last_activity = defaultdict(Counter), {}, {}
    for row in in_plans.values("issue__priority__plan_id").annotate(
        **counts,
        stale=Count("id", filter=agreed & stale_q(partnerships, today=today)),
        last_activity=Max("last_update_added_at"),
    ):
        plan_id = row["issue__priority__plan_id"]
        rag[plan_id] = Counter({value: row[f"n_{value}"] for value in RAG_ORDER})
        stale[plan_id] = row["stale"]
        last_activity[plan_id] = row["last_activity"]
    return [
        {
            "plan": plan,
            "partnership": plan.partnership,
            "counts": [(value, rag[plan.pk].get(value, 0)) for value in RAG_ORDER],
            "total": sum(rag[plan.pk].values()),
            "stale": stale.get(plan.pk, 0),
            "last_activity": last_activity.get(plan.pk),
        }
        for plan in plans
    ]
