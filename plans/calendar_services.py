"""Writes of the statutory calendar: duties added (one by one or this year's standard set),
changed, removed, marked done (and not done again) and repeated next year; the secret feed
addresses made, replaced and revoked. Views, the admin, the demo loader and tests all come through here.

The standard duties and their default dates (docs/statutory-calendar.md), for the plan year
that starts on 1 April of ``year``:

- the strategic assessment, by 31 December (it sets next year's priorities);
- the partnership plan refreshed, by 31 March;
- the plan sent to the Police and Crime Commissioner, by 30 April (within a month of agreement);
- the crime and disorder scrutiny committee's review of the partnership, at least yearly: by 31 October;
- the Serious Violence Duty strategy reviewed, yearly: by 31 January.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.access import partnership_role
from partners.models import User

from .calendar_models import CalendarFeedToken, StatutoryDuty

Kind = StatutoryDuty.Kind

# A standard duty already in the calendar this close to its default date is not added again.
SAME_YEAR = datetime.timedelta(days=183)


@dataclass(frozen=True)
class DefaultDuty:
    kind: str
    title: str
    due_date: datetime.date
    basis: str


def plan_year_of(day):
    """The year in which the plan year holding ``day`` starts (plan years run April to March)."""
    return day.year if day.month >= 4 else day.year - 1


def default_duties(year):
    """The standard duties of the plan year starting 1 April ``year``, with their default dates."""
    years = f"{year}-{str(year + 1)[-2:]}"
    return [
        DefaultDuty(
            Kind.STRATEGIC_ASSESSMENT,
            f"Strategic assessment {years}",
            datetime.date(year, 12, 31),
            "Crime and Disorder Act 1998 regulations: a strategic assessment every year.",
        ),
        DefaultDuty(
            Kind.SCRUTINY_REVIEW,
            f"Scrutiny committee review {years}",
            datetime.date(year, 10, 31),
            "The council's crime and disorder scrutiny committee reviews the partnership at least once a year.",
        ),
        DefaultDuty(
            Kind.SERIOUS_VIOLENCE_STRATEGY_REVIEW,
            f"Serious Violence Duty strategy review {years}",
            datetime.date(year + 1, 1, 31),
            "Police, Crime, Sentencing and Courts Act 2022: the strategy is reviewed every year.",
        ),
        DefaultDuty(
            Kind.PLAN_REFRESH,
            f"Partnership plan refreshed for {year + 1}-{str(year + 2)[-2:]}",
            datetime.date(year + 1, 3, 31),
            "Crime and Disorder Act 1998 regulations: the three-year plan is refreshed every year.",
        ),
        DefaultDuty(
            Kind.PLAN_TO_PCC,
            f"Plan {year + 1}-{str(year + 2)[-2:]} sent to the Police and Crime Commissioner",
            datetime.date(year + 1, 4, 30),
            "The partnership plan goes to the Police and Crime Commissioner within a month of its agreement.",
        ),
    ]


def owner_choices(partnership):
    """The people who may own a duty: active members of the partnership."""
    return User.objects.filter(roles__partnership=partnership, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def _check_owner(partnership, owner):
    if owner is not None and not owner_choices(partnership).filter(pk=owner.pk).exists():
        raise ValidationError("Choose an owner who is a member of the partnership")


@transaction.atomic
def duties_add_defaults(*, partnership, year, owner=None):
    """Add the standard duties of the plan year ``year`` (``default_duties``) to the calendar,
    each with its default date; a kind already there near its default date is left alone, so a
    second click adds nothing. Returns the duties added."""
    _check_owner(partnership, owner)
    added = []
    for default in default_duties(year):
        near = StatutoryDuty.objects.filter(
            partnership=partnership,
            kind=default.kind,
            due_date__range=(default.due_date - SAME_YEAR, default.due_date + SAME_YEAR),
        )
        if near.exists():
            continue
        added.append(
            StatutoryDuty.objects.create(
                partnership=partnership,
                kind=default.kind,
                title=default.title,
                due_date=default.due_date,
                owner=owner,
            )
        )
    return added


def _clash(partnership, kind, due_date, exclude=None):
    if kind == Kind.OTHER:
        return False
    clash = StatutoryDuty.objects.filter(partnership=partnership, kind=kind, due_date=due_date)
    if exclude is not None:
        clash = clash.exclude(pk=exclude.pk)
    return clash.exists()


@transaction.atomic
def duty_save(*, partnership, kind, title, due_date, owner=None, notes="", duty=None):
    """Add a duty to the partnership's calendar, or change ``duty``. Refused when a duty of the
    same kind is already due that day, or the owner is not a member."""
    _check_owner(partnership, owner)
    if _clash(partnership, kind, due_date, exclude=duty):
        raise ValidationError("A duty of this kind is already due on that date")
    if duty is None:
        duty = StatutoryDuty(partnership=partnership)
    duty.kind, duty.title, duty.due_date, duty.owner, duty.notes = kind, title.strip(), due_date, owner, notes.strip()
    duty.save()
    return duty


@transaction.atomic
def duty_delete(*, duty):
    duty.delete()


@transaction.atomic
def duty_mark_done(*, duty, user, done_on, evidence=""):
    """Record that ``duty`` was done on ``done_on`` (not after today), by ``user``, with its evidence."""
    if done_on > timezone.localdate():
        raise ValidationError("The date it was done must be today or in the past")
    duty.done_on, duty.done_by, duty.evidence = done_on, user, evidence.strip()
    duty.save(update_fields=["done_on", "done_by", "evidence"])
    return duty


@transaction.atomic
def duty_mark_not_done(*, duty):
    """Undo ``duty_mark_done`` (marked by mistake, or the evidence did not hold): the duty is
    due again, its date, owner and reminder as they were. What was recorded stays in its
    history. Returns whether it was done."""
    if duty.done_on is None:
        return False
    duty.done_on, duty.done_by, duty.evidence = None, None, ""
    duty.save(update_fields=["done_on", "done_by", "evidence"])
    return True


def _next_title(duty):
    """The title with its years moved on one: "Strategic assessment 2026-27" → "… 2027-28"."""
    title = duty.title
    for year in (duty.due_date.year, duty.due_date.year - 1):
        span = f"{year}-{str(year + 1)[-2:]}"
        if span in title:
            return title.replace(span, f"{year + 1}-{str(year + 2)[-2:]}")
    return title


def next_year_duty(duty):
    """Next year's copy of ``duty`` if it is already in the calendar, else None."""
    following = StatutoryDuty.objects.filter(
        partnership_id=duty.partnership_id, kind=duty.kind, due_date=duty.next_due_date()
    )
    if duty.kind == Kind.OTHER:
        following = following.filter(title=_next_title(duty))
    return following.first()


@transaction.atomic
def duty_repeat(*, duty):
    """Next year's duty: the same kind, owner and notes, its date a year later and the years in
    its title moved on. Returns ``(duty, created)``; a second call finds the first one's."""
    existing = next_year_duty(duty)
    if existing is not None:
        return existing, False
    owner = duty.owner if duty.owner_id and owner_choices(duty.partnership).filter(pk=duty.owner_id).exists() else None
    following = StatutoryDuty.objects.create(
        partnership=duty.partnership,
        kind=duty.kind,
        title=_next_title(duty),
        due_date=duty.next_due_date(),
        owner=owner,
        notes=duty.notes,
    )
    return following, True


# The feed's secret address ---------------------------------------------------------------


@transaction.atomic
def calendar_token_create(*, user, partnership):
    """A new secret feed address of ``partnership`` for ``user``; the old one stops working.
    Returns (CalendarFeedToken, raw token): the raw token is never stored."""
    calendar_token_revoke(user=user, partnership=partnership)
    raw, token_hash = CalendarFeedToken.new_token()
    token = CalendarFeedToken.objects.create(user=user, partnership=partnership, token_hash=token_hash)
    return token, raw


@transaction.atomic
def calendar_token_revoke(*, user, partnership):
    """Stop the user's feed address of ``partnership`` working. Returns how many were revoked."""
    return CalendarFeedToken.objects.filter(user=user, partnership=partnership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def authenticate_calendar_token(raw):
    """The active token ``raw`` names, its user still active and a member of its partnership;
    else None. Records when it was last used (at most once a minute)."""
    if not raw or len(raw) > 200:
        return None
    token = (
        CalendarFeedToken.objects.select_related("user", "partnership")
        .filter(token_hash=CalendarFeedToken.hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None or partnership_role(token.user, token.partnership) is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        CalendarFeedToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
