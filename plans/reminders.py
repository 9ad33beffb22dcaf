"""Reminder digests and notices of update rounds, and the weekly digest of stale actions.

``send_due(now=...)`` is everything ``manage.py send_reminders`` does: close the rounds whose
deadline passed (``rounds.rounds_close_due``), then send what is due now:

- to each person still owing in an open round, one digest of their actions at the round's
  opening and the configured days before the deadline (the latest stage due only);
- the morning after a deadline passed, one digest to each person still owing (to them only);
- to the chairs and the meeting's group, a link to the frozen pack of a round just closed;
- to people who chose it (weekly unless they chose none), a weekly digest of their stale actions;
- to the owner of each statutory duty not done, one notice the partnership's
  ``duty_reminder_days`` (14 unless changed) before its due date (or on the first run after
  that, up to the day itself): once a due date, as ``StatutoryDuty.reminder_sent_for``
  records (a changed date is reminded again).

Each email is claimed first: a ``SentEmail`` row inserted and committed in its own
transaction, unique per person and ``key`` and, for reminders, per person and day. A second
copy of the command running at the same time fails to insert the same row and sends nothing;
a failed send deletes its claim, so the next run tries again.
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, Rag
from partners.models import Partnership, ReminderPreference, User

from .calendar_models import LONGEST_DUTY_REMINDER_DAYS, StatutoryDuty
from .dashboard import stale_q
from .models import ActionPlan, SentEmail, UpdateRound
from .rounds import MORNING, round_progress, round_recipients_of_pack, rounds_close_due

logger = logging.getLogger(__name__)
Kind = SentEmail.Kind

# An email never carries OFFICIAL-SENSITIVE text: the action is named by its marking only.
SENSITIVE_IN_EMAIL = "An OFFICIAL-SENSITIVE action: sign in to read it"

# A closed round's pack notice and "missed" digest are sent within this many days, not later.
LATE_WINDOW = datetime.timedelta(days=3)


def site_link(path):
    return settings.SITE_URL.rstrip("/") + path


def long_date(moment):
    """Friday 13 March 2026, 17:00 (local time)."""
    local = timezone.localtime(moment)
    return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"


def partnership_label(partnership):
    return f"{partnership.short_name} CSP"


@dataclass
class Email:
    """One email to one person, before it is claimed and sent."""

    user: User
    kind: str
    key: str
    is_reminder: bool
    subject: str
    context: dict
    update_round: UpdateRound | None = None
    optional: bool = False  # may be switched off: carries List-Unsubscribe
    action_count: int = 0
    duty: StatutoryDuty | None = None  # a statutory duty's reminder: recorded on it once sent

    def message(self):
        context = {**self.context, "subject": self.subject, "user": self.user, "site_url": settings.SITE_URL}
        text = render_to_string("emails/message.txt", context)
        html = render_to_string("emails/message.html", context)
        headers = {"Auto-Submitted": "auto-generated"}
        if self.optional:
            headers["List-Unsubscribe"] = f"<{site_link(reverse('partners:reminders'))}>"
        message = EmailMultiAlternatives(self.subject, text, to=[self.user.email], headers=headers)
        message.attach_alternative(html, "text/html")
        return message


def _action_rows(update_round, actions):
    rows = []
    for action in actions:
        rows.append(
            {
                "text": SENSITIVE_IN_EMAIL if action.is_sensitive else action.text,
                "plan": action.issue.priority.plan.full_title,
                "rating": Rag(action.rag).label,
                "rating_meaning": Rag.describe(action.rag) if action.rag != Rag.NOT_RATED else "",
                "last_update": action.last_update_on,
                "update_url": site_link(action.get_absolute_url() + "#add-update"),
                "no_change_url": site_link(
                    reverse(
                        "plans:round_no_change",
                        args=[action.issue.priority.plan.slug, update_round.pk, action.pk],
                    )
                )
                if update_round
                else "",
            }
        )
    return rows


def _round_page(update_round):
    plan = update_round.plans.order_by("pk").first()
    return site_link(reverse("plans:round_mine", args=[plan.slug, update_round.pk]))


ROUND_WHY = (
    "You are receiving this because you are in a team that owns these actions and {chair} asked for "
    "updates before {meeting}. Requests for updates before a meeting are part of the job and cannot be "
    "switched off; you get at most one reminder a day."
)


def round_digest(update_round, person, *, kind, key, now):
    """The digest to ``person`` (a ``rounds.PersonLine``) for a stage of the round."""
    partnership = update_round.meeting.partnership
    label = partnership_label(partnership)
    count = len(person.owing)
    noun = "action" if count == 1 else "actions"
    by = long_date(update_round.deadline)
    if kind == Kind.MISSED:
        subject = f"{label}: the deadline for updates has passed: {count} {noun} still need an update"
        intro = [
            f"The deadline for updates before {update_round.meeting} was {by}.",
            "These actions had no update by then. Updates added now are shown as late and reach the next pack.",
        ]
    else:
        prefix = "Reminder: " if kind in (Kind.BEFORE, Kind.CHASE) else ""
        subject = f"{prefix}{label} needs your updates by {by.split(',')[0]}: {count} {noun}"
        intro = [
            f"{label} asks for an update on each of your actions below by {by}, before {update_round.meeting}.",
            "For each action, add an update (and its RAG rating), or say there is no change since the last update.",
        ]
    chair = str(update_round.opened_by) if update_round.opened_by_id else "the chair"
    return Email(
        user=person.user,
        kind=kind,
        key=key,
        is_reminder=kind != Kind.CHANGED,
        subject=subject,
        update_round=update_round,
        action_count=count,
        context={
            "partnership": partnership,
            "heading": subject,
            "intro": intro,
            "message": update_round.message,
            "actions": _action_rows(update_round, [line.action for line in person.owing]),
            "button": ("See all your actions in this round and sign off", _round_page(update_round)),
            "why": ROUND_WHY.format(chair=chair, meeting=update_round.meeting),
        },
    )


def round_notice(update_round, person, *, kind, key, subject, intro):
    """A notice (not a reminder) about a round: its deadline moved, or it closed early."""
    partnership = update_round.meeting.partnership
    return Email(
        user=person.user,
        kind=kind,
        key=key,
        is_reminder=False,
        subject=f"{partnership_label(partnership)}: {subject}",
        update_round=update_round,
        action_count=len(person.owing),
        context={
            "partnership": partnership,
            "heading": subject,
            "intro": intro,
            "actions": _action_rows(update_round, [line.action for line in person.owing if update_round.is_open]),
            "button": ("See your actions in this round", _round_page(update_round)),
            "why": ROUND_WHY.format(
                chair=str(update_round.opened_by) if update_round.opened_by_id else "the chair",
                meeting=update_round.meeting,
            ),
        },
    )


def pack_notice(update_round, user):
    meeting = update_round.meeting
    partnership = meeting.partnership
    packs = list(update_round.packs.select_related("plan").order_by("pk"))
    links = [(pack.plan.full_title, site_link(pack.get_absolute_url())) for pack in packs]
    # Sensitive notes are left out of the pack made at the deadline (PdfOptions default).
    markings = sorted({pack.marking or "OFFICIAL" for pack in packs}) or ["OFFICIAL"]
    subject = f"{partnership_label(partnership)}: the pack for {meeting} is ready"
    return Email(
        user=user,
        kind=Kind.PACK,
        key=f"round-{update_round.pk}-pack",
        is_reminder=False,
        subject=subject,
        update_round=update_round,
        context={
            "partnership": partnership,
            "heading": subject,
            "intro": [
                f"The update round closed on {long_date(update_round.closed_at)} and the meeting pack was frozen, "
                "with the changes since the last meeting marked.",
                f"Protective marking: {', '.join(markings)}. Sign in to read or download it: "
                "the pack is never sent by email.",
            ],
            "links": links,
            "why": (
                f"You are receiving this because you are a chair or administrator of {partnership.name}, or a member "
                f"of {meeting.group or 'the group that meets'}. Notices of meeting packs cannot be switched off."
            ),
        },
    )


def weekly_digest(user, actions, *, key):
    count = len(actions)
    noun = "action needs" if count == 1 else "actions need"
    subject = f"Your weekly summary: {count} {noun} an update"
    partnerships = sorted({a.issue.priority.plan.partnership.name for a in actions})
    return Email(
        user=user,
        kind=Kind.WEEKLY,
        key=key,
        is_reminder=True,
        optional=True,
        subject=subject,
        action_count=count,
        context={
            "partnership": None,
            "partnership_names": partnerships,
            "heading": subject,
            "intro": ["These actions your team owns had no update for longer than your partnership asks."],
            "actions": _action_rows(None, actions),
            "button": ("See my actions", site_link(reverse("actions:mine"))),
            "why": "You are receiving this weekly summary because you have not switched it off.",
            "change": ("Change or stop the weekly summary", site_link(reverse("partners:reminders"))),
        },
    )


# What is due -----------------------------------------------------------------------------


def _stage_times(update_round):
    """The round's reminder stages while it is open: (key suffix, kind, when), in time order."""
    stages = [("opening", Kind.OPENING, update_round.opened_at)]
    for days in sorted(update_round.reminder_days, reverse=True):
        when = update_round.deadline - datetime.timedelta(days=days)
        if when > update_round.opened_at:
            stages.append((f"before-{days}", Kind.BEFORE, when))
    return stages


def missed_time(update_round):
    day = timezone.localdate(update_round.deadline) + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, MORNING))


def due_stage(update_round, now):
    """(key suffix, kind) of the reminder due now for the round, or None."""
    if update_round.is_open:
        due = [(suffix, kind) for suffix, kind, when in _stage_times(update_round) if when <= now]
        return due[-1] if due else None
    closed_at_deadline = update_round.closed_at and update_round.closed_at >= update_round.deadline
    morning = missed_time(update_round)
    if closed_at_deadline and morning <= now < morning + LATE_WINDOW:
        return ("missed", Kind.MISSED)
    return None


def due_round_emails(now):
    """The round digests and pack notices due at ``now`` (before claims are checked)."""
    emails = []
    rounds = UpdateRound.objects.filter(
        Q(state=UpdateRound.State.OPEN) | Q(closed_at__gte=now - LATE_WINDOW - datetime.timedelta(days=1))
    ).select_related("meeting__partnership", "meeting__group", "opened_by")
    for update_round in rounds.order_by("deadline", "pk"):
        stage = due_stage(update_round, now)
        if stage is not None:
            suffix, kind = stage
            for person in round_progress(update_round).owing_people():
                emails.append(
                    round_digest(update_round, person, kind=kind, key=f"round-{update_round.pk}-{suffix}", now=now)
                )
        if not update_round.is_open and update_round.closed_at >= now - LATE_WINDOW:
            emails.extend(pack_notice(update_round, user) for user in round_recipients_of_pack(update_round))
    return emails


def due_weekly_emails(now):
    """The weekly digests of stale actions due at ``now``: from Monday morning, once an ISO week,
    to people who did not switch them off and are not asked for updates in an open round."""
    today = timezone.localdate(now)
    monday = today - datetime.timedelta(days=today.weekday())
    if now < timezone.make_aware(datetime.datetime.combine(monday, MORNING)):
        return []
    year, week, _ = today.isocalendar()
    key = f"weekly-{year}-W{week:02d}"
    users = (
        User.objects.filter(is_active=True, teams__isnull=False)
        .exclude(email="")
        .exclude(reminder_preference__stale_digest=ReminderPreference.Digest.NONE)
        .exclude(sent_emails__key=key)
        .distinct()
        .order_by("pk")
    )
    asked = set()
    for update_round in UpdateRound.objects.filter(state=UpdateRound.State.OPEN).select_related("meeting"):
        asked |= {p.user.pk for p in round_progress(update_round).owing_people()}
    partnerships = list(Partnership.objects.all())
    emails = []
    for user in users:
        if user.pk in asked:
            continue
        actions = list(
            Action.objects.owned_by(user)
            .filter(stale_q(partnerships, today=today), issue__priority__plan__status=ActionPlan.Status.ACTIVE)
            .select_related("issue__priority__plan__partnership")
            .order_by("last_update_on", "pk")
        )
        if actions:
            emails.append(weekly_digest(user, actions, key=key))
    return emails


def duty_reminder(duty):
    """The notice to a duty's owner that its date is near. Duties are not sensitive; the
    email names the duty and links to the calendar, nothing of its notes or evidence."""
    partnership = duty.partnership
    due = f"{duty.due_date:%A} {duty.due_date.day} {duty.due_date:%B %Y}"
    subject = f"{partnership_label(partnership)}: {duty.title} is due by {due}"
    days = partnership.duty_reminder_days
    return Email(
        user=duty.owner,
        kind=Kind.DUTY,
        key=f"duty-{duty.pk}-{duty.due_date:%Y%m%d}",
        is_reminder=False,
        subject=subject,
        duty=duty,
        context={
            "partnership": partnership,
            "heading": subject,
            "intro": [
                f"You own this duty of {partnership.name} in its statutory calendar: {duty.title} "
                f"({duty.get_kind_display()}), due by {due}.",
                "When it is done, mark it done on the calendar with the date and the evidence "
                "(for example, the link to the committee's minutes).",
            ],
            "button": ("Open the statutory calendar", site_link(duty.get_absolute_url())),
            "why": (
                f"You are receiving this because you are the owner of this duty. Each duty's owner is "
                f"reminded once, {days} day{'' if days == 1 else 's'} before its date."
            ),
        },
    )


def due_duty_emails(now):
    """The reminders of statutory duties due at ``now``: from the morning, to the owner (still
    a member of the partnership) of each duty not done whose date is at most its partnership's
    ``duty_reminder_days`` ahead and not yet reminded."""
    today = timezone.localdate(now)
    if now < timezone.make_aware(datetime.datetime.combine(today, MORNING)):
        return []
    duties = (
        StatutoryDuty.objects.not_done()
        .filter(
            due_date__gte=today,
            due_date__lte=today + datetime.timedelta(days=LONGEST_DUTY_REMINDER_DAYS),
            owner__is_active=True,
            owner__roles__partnership=F("partnership"),
        )
        .exclude(reminder_sent_for=F("due_date"))
        .select_related("owner", "partnership")
        .order_by("due_date", "pk")
    )
    # Each partnership's own lead time, within the longest any may choose.
    return [
        duty_reminder(duty) for duty in duties if (duty.due_date - today).days <= duty.partnership.duty_reminder_days
    ]


@dataclass
class Report:
    closed: list = field(default_factory=list)
    sent: list = field(default_factory=list)  # Email
    skipped: list = field(default_factory=list)  # (Email, why)
    failed: list = field(default_factory=list)

    @property
    def people(self):
        return len({email.user.pk for email in self.sent})


def _already(emails, day):
    """Drop emails already sent (by key) and reminders beyond the first of the day per person."""
    user_ids = {e.user.pk for e in emails}
    rows = SentEmail.objects.filter(user_id__in=user_ids).filter(
        Q(key__in={e.key for e in emails}) | Q(day=day, is_reminder=True)
    )
    sent_keys = set(rows.values_list("user_id", "key"))
    reminded = set(rows.filter(day=day, is_reminder=True).values_list("user_id", flat=True))
    kept, skipped = [], []
    for email in emails:
        if (email.user.pk, email.key) in sent_keys:
            continue
        if email.is_reminder and email.user.pk in reminded:
            skipped.append((email, "already had a reminder today"))
            continue
        if email.is_reminder:
            reminded.add(email.user.pk)
        sent_keys.add((email.user.pk, email.key))
        kept.append(email)
    return kept, skipped


def claim(email, now):
    """Insert the email's ``SentEmail`` row in its own transaction: None when another run (or an
    earlier one) has it, or the person had their reminder of the day."""
    try:
        with transaction.atomic():
            return SentEmail.objects.create(
                user=email.user,
                round=email.update_round,
                kind=email.kind,
                key=email.key,
                is_reminder=email.is_reminder,
                day=timezone.localdate(now),
                sent_at=now,
                subject=email.subject[:300],
                actions=email.action_count,
            )
    except IntegrityError:
        return None


def deliver(emails, *, now, dry_run=False, report=None):
    """Claim and send ``emails``; with ``dry_run`` only say what would go."""
    report = report or Report()
    emails = [e for e in emails if e.user.email]
    emails, skipped = _already(emails, timezone.localdate(now))
    report.skipped += skipped
    for email in emails:
        if dry_run:
            report.sent.append(email)
            continue
        row = claim(email, now)
        if row is None:
            report.skipped.append((email, "sent by another run"))
            continue
        try:
            email.message().send()
        except Exception:
            logger.exception("Could not send %s to %s", email.key, email.user.email)
            SentEmail.objects.filter(pk=row.pk).delete()
            report.failed.append(email)
        else:
            report.sent.append(email)
    return report


def send_due(*, now=None, dry_run=False):
    """Everything due at ``now``: close rounds past their deadline, then send digests and notices."""
    now = now or timezone.now()
    report = Report()
    if dry_run:
        report.closed = list(UpdateRound.objects.filter(state=UpdateRound.State.OPEN, deadline__lte=now))
    else:
        report.closed = rounds_close_due(now=now)
    emails = due_round_emails(now) + due_weekly_emails(now) + due_duty_emails(now)
    report = deliver(emails, now=now, dry_run=dry_run, report=report)
    if not dry_run:
        for email in report.sent:
            if email.duty is not None:
                StatutoryDuty.objects.filter(pk=email.duty.pk).update(reminder_sent_for=email.duty.due_date)
    return report


def send_chase(update_round, *, now=None):
    """The tracker's "chase": one reminder now to each person still owing, unless they had a
    reminder today."""
    now = now or timezone.now()
    key = f"round-{update_round.pk}-chase-{timezone.localdate(now):%Y-%m-%d}"
    emails = [
        round_digest(update_round, person, kind=Kind.CHASE, key=key, now=now)
        for person in round_progress(update_round).owing_people()
    ]
    return deliver(emails, now=now)


def send_deadline_changed(update_round, *, now=None):
    """Tell the people still owing that the deadline moved."""
    now = now or timezone.now()
    stamp = timezone.localtime(update_round.deadline).strftime("%Y%m%d%H%M")
    emails = [
        round_notice(
            update_round,
            person,
            kind=Kind.CHANGED,
            key=f"round-{update_round.pk}-deadline-{stamp}",
            subject=f"the deadline for updates is now {long_date(update_round.deadline)}",
            intro=[
                f"The deadline for updates before {update_round.meeting} is now {long_date(update_round.deadline)}."
            ],
        )
        for person in round_progress(update_round).owing_people()
    ]
    return deliver(emails, now=now)


def send_closed_early(update_round, *, now=None):
    """Tell the people still owing that the chair closed the round before its deadline."""
    now = now or timezone.now()
    emails = [
        round_notice(
            update_round,
            person,
            kind=Kind.CHANGED,
            key=f"round-{update_round.pk}-closed",
            subject=f"the update round for {update_round.meeting} has closed",
            intro=[
                f"The chair closed the update round for {update_round.meeting} before its deadline.",
                "Updates added now are shown as late and reach the next pack.",
            ],
        )
        for person in round_progress(update_round).owing_people()
    ]
    return deliver(emails, now=now)
