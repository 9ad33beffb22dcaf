"""What the statutory calendar shows: dated entries from several sources, one list.

``calendar_entries`` asks each function of ``SOURCES`` for the entries of one partnership
between two dates (either may be open) that match the chosen filter, and merges them in date
order. Sources: the partnership's statutory duties, the deadlines of its update rounds, its
meetings and the milestones of its open reviews. A new source is one more function of the
same signature in ``SOURCES``: it scopes its own queryset (never a Python
filter after fetching) and must never put OFFICIAL-SENSITIVE text in ``title``, which the
``.ics`` feed carries as its SUMMARY.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from .calendar_models import StatutoryDuty
from .models import Meeting, Review, UpdateRound


class Show:
    """The page's filters."""

    ALL = "all"
    UPCOMING = "upcoming"
    OVERDUE = "overdue"
    DONE = "done"
    CHOICES = [(ALL, "Everything"), (UPCOMING, "Upcoming"), (OVERDUE, "Overdue"), (DONE, "Done")]


class State:
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"
    DONE_LATE = "done_late"
    PAST = "past"  # a meeting or deadline gone by

    LABELS = {DUE: "Due", OVERDUE: "Overdue", DONE: "Done", DONE_LATE: "Done late", PAST: "Past"}


@dataclass
class Entry:
    date: datetime.date
    title: str  # never sensitive: the feed's SUMMARY
    kind: str  # what it is, in words: "Strategic assessment", "Meeting", "Update deadline"
    source: str  # "duty", "round", "meeting"
    uid: str  # stable across feeds and years: "<source>-<pk>"
    state: str
    owner: str = ""
    duty: StatutoryDuty | None = None

    @property
    def state_label(self):
        return State.LABELS[self.state]


def _in_window(queryset, field, start, end):
    if start is not None:
        queryset = queryset.filter(**{f"{field}__gte": start})
    if end is not None:
        queryset = queryset.filter(**{f"{field}__lte": end})
    return queryset


def duty_entries(partnership, *, show, start, end, today):
    duties = StatutoryDuty.objects.filter(partnership=partnership).select_related("owner", "done_by", "partnership")
    if show == Show.UPCOMING:
        duties = duties.upcoming(today=today)
    elif show == Show.OVERDUE:
        duties = duties.overdue(today=today)
    elif show == Show.DONE:
        duties = duties.done()
    entries = []
    for duty in _in_window(duties, "due_date", start, end):
        if duty.is_done:
            state = State.DONE if duty.was_met else State.DONE_LATE
        else:
            state = State.OVERDUE if duty.is_overdue(today=today) else State.DUE
        entries.append(
            Entry(
                date=duty.due_date,
                title=duty.title,
                kind=duty.get_kind_display(),
                source="duty",
                uid=f"duty-{duty.pk}",
                state=state,
                owner=str(duty.owner) if duty.owner_id else "",
                duty=duty,
            )
        )
    return entries


def _day_start(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def round_entries(partnership, *, show, start, end, today):
    """The deadline of each update round of the partnership."""
    if show in (Show.OVERDUE, Show.DONE):
        return []
    rounds = UpdateRound.objects.filter(meeting__partnership=partnership).select_related("meeting")
    if show == Show.UPCOMING:
        start = max(start or today, today)
    if start is not None:
        rounds = rounds.filter(deadline__gte=_day_start(start))
    if end is not None:
        rounds = rounds.filter(deadline__lt=_day_start(end + datetime.timedelta(days=1)))
    entries = []
    for update_round in rounds:
        day = timezone.localdate(update_round.deadline)
        entries.append(
            Entry(
                date=day,
                title=f"Updates due before {update_round.meeting.title}",
                kind="Update deadline",
                source="round",
                uid=f"round-{update_round.pk}",
                state=State.DUE if update_round.is_open else State.PAST,
            )
        )
    return entries


def meeting_entries(partnership, *, show, start, end, today):
    if show in (Show.OVERDUE, Show.DONE):
        return []
    meetings = Meeting.objects.filter(partnership=partnership).select_related("group")
    if show == Show.UPCOMING:
        start = max(start or today, today)
    return [
        Entry(
            date=meeting.date,
            title=meeting.title,
            kind=f"Meeting of {meeting.group.name}" if meeting.group_id else "Meeting",
            source="meeting",
            uid=f"meeting-{meeting.pk}",
            state=State.DUE if meeting.date >= today else State.PAST,
        )
        for meeting in _in_window(meetings, "date", start, end)
    ]


def _months_after(day, months):
    """``day`` plus whole months, kept within the month (31 January + 1 month: 28 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# The milestones of a review, from the Home Office's statutory guidance for Domestic Homicide
# Reviews (used for every kind of review, as the timetable most partnerships follow): decide
# whether to review within one month of the notification; complete the review, its report sent
# on (to the Home Office quality-assurance panel for a DHR), within six months of deciding.
# (key, words, from which date, months after it, the date that shows it done)
REVIEW_MILESTONES = [
    ("decision", "decide whether to review", "notified_on", 1, "commissioned_on"),
    ("report", "review report due", "commissioned_on", 6, "submitted_to_home_office_on"),
]


def review_entries(partnership, *, show, start, end, today):
    """The milestones of the partnership's open reviews. Their titles carry only the reference
    (shown to every member, as the reviews list does), never a review's details."""
    reviews = (
        Review.objects.filter(partnership=partnership)
        .exclude(status__in=[Review.Status.PUBLISHED, Review.Status.CLOSED])
        .select_related("kind")
    )
    entries = []
    for review in reviews:
        for key, words, base_field, months, done_field in REVIEW_MILESTONES:
            base = getattr(review, base_field)
            if base is None:
                continue
            due, done = _months_after(base, months), getattr(review, done_field)
            if done is not None:
                state = State.DONE if done <= due else State.DONE_LATE
            else:
                state = State.OVERDUE if due < today else State.DUE
            wanted = {
                Show.ALL: True,
                Show.UPCOMING: done is None and due >= today,
                Show.OVERDUE: state == State.OVERDUE,
                Show.DONE: done is not None,
            }[show]
            if wanted and (start is None or due >= start) and (end is None or due <= end):
                entries.append(
                    Entry(
                        date=due,
                        title=f"{review.reference}: {words}",
                        kind=review.kind.name,
                        source="review",
                        uid=f"review-{review.pk}-{key}",
                        state=state,
                    )
                )
    return entries


# Each source: (partnership, *, show, start, end, today) -> [Entry].
SOURCES = [duty_entries, review_entries, round_entries, meeting_entries]

_ORDER = {"duty": 0, "review": 1, "round": 2, "meeting": 3}


def calendar_entries(partnership, *, show=Show.ALL, start=None, end=None, today=None):
    """The partnership's entries between ``start`` and ``end`` (inclusive; None: no bound)
    matching ``show``, in date order."""
    today = today or timezone.localdate()
    entries = []
    for source in SOURCES:
        entries += source(partnership, show=show, start=start, end=end, today=today)
    return sorted(entries, key=lambda e: (e.date, _ORDER.get(e.source, 9), e.title))


def by_month(entries):
    """``[("March 2027", [entries])]`` in the entries' order."""
    return [(f"{month:%B %Y}", list(group)) for month, group in groupby(entries, key=lambda e: e.date.replace(day=1))]
