"""What the statutory calendar shows: dated entries from several sources, one list.

``calendar_entries`` asks each function of ``SOURCES`` for the entries of one partnership
between two dates (either may be open) that match the chosen filter, and merges them in date
order. Sources today: the partnership's statutory duties, the deadlines of its update rounds
and its meetings. A new source (e.g. the statutory milestones of open reviews) is one more
function of the same signature in ``SOURCES``: it scopes its own queryset (never a Python
filter after fetching) and must never put OFFICIAL-SENSITIVE text in ``title``, which the
``.ics`` feed carries as its SUMMARY.
"""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.utils import timezone

from .calendar_models import StatutoryDuty
from .models import Meeting, UpdateRound


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


# Each source: (partnership, *, show, start, end, today) -> [Entry]. Review milestones go here.
SOURCES = [duty_entries, round_entries, meeting_entries]

_ORDER = {"duty": 0, "round": 1, "meeting": 2}


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
