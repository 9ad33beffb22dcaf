"""The statutory calendar as an iCalendar (``.ics``) feed, for Outlook and other calendars.

Every entry is an all-day event whose UID is stable ("duty-12@<site>"), so a calendar that
subscribes updates the event rather than adding it again. SUMMARY is the entry's title and
its state; nothing else of a duty goes out (not its notes or evidence), and no review details.
"""

import datetime
from urllib.parse import urlsplit

from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from .calendar_entries import State, calendar_entries

# The feed reaches this far back; everything ahead is in it.
FEED_PAST = datetime.timedelta(days=400)

PREFIX = {State.DONE: "Done: ", State.DONE_LATE: "Done: ", State.OVERDUE: "Overdue: "}


def feed_ics(partnership, *, site_url, now=None):
    """The feed of ``partnership`` as bytes."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    host = urlsplit(site_url).hostname or "csp.invalid"
    page = site_url.rstrip("/") + reverse("plans:calendar", args=[partnership.slug])
    calendar = Calendar()
    calendar.add("prodid", "-//CSP action-plan tracker//Statutory calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{partnership.short_name} CSP calendar")
    calendar.add("x-published-ttl", "PT6H")
    for entry in calendar_entries(partnership, start=today - FEED_PAST, today=today):
        event = Event()
        event.add("uid", f"{entry.uid}@{host}")
        event.add("dtstamp", now)
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + datetime.timedelta(days=1))
        event.add("summary", f"{PREFIX.get(entry.state, '')}{entry.title}")
        event.add("categories", [entry.kind])
        event.add("transp", "TRANSPARENT")
        event.add("url", page)
        event.add("description", f"{entry.kind}. {partnership.name}: {page}")
        calendar.add_component(event)
    return calendar.to_ical()
