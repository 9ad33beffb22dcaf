"""Update rounds: the chair asks the owners of a plan's actions for updates before a meeting.

Words: an action is *answered* in a round when it has an update written or dated since the
round opened (a "no change" answer is such an update, keeping the rating). Each owning team
answers for itself: someone in the team writes it. An owning organisation is answered by
someone in any of its teams. An update by someone in none of the owning teams (an
administrator writing on an owner's behalf) answers for all of them. A joint action is
answered when every owning team and organisation has answered.

``round_progress`` works all of this out for a round in a fixed number of queries, whatever
the number of actions and people: the tracker, the officer's page, the sign-off and the
reminders read it.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from actions.models import Action, ActionUpdate, Rag
from actions.services import action_add_update
from partners.models import Role, Team, User

from .models import ActionPlan, MeetingPack, RoundSignOff, SentEmail, UpdateRound
from .pdf.options import PdfOptions
from .pdf.packs import pack_request

DEFAULT_REMINDER_DAYS = (7, 2)
NO_CHANGE_TEXT = "No change since the last update."
# Reminders in the morning: "the morning after a missed deadline" is this hour, local time.
MORNING = datetime.time(8, 0)


def round_actions_queryset(*, plans, priority_number=None, ratings=None):
    """The open actions of ``plans`` a round asks about: all of them, or one priority's,
    or those with one of ``ratings``."""
    actions = Action.objects.filter(issue__priority__plan__in=plans).open()
    if priority_number:
        actions = actions.filter(issue__priority__number=priority_number)
    if ratings:
        actions = actions.filter(rag__in=ratings)
    return actions


@transaction.atomic
def round_open(
    *, meeting, opened_by, plans, deadline, message="", reminder_days=DEFAULT_REMINDER_DAYS, priority=None, ratings=()
):
    """Open an update round for ``meeting``: ask the owners of the open actions of ``plans``
    (only priority number ``priority``, only ``ratings``, when given) for updates by
    ``deadline``. Refused when the deadline has passed, a round for the meeting is open, or
    no action is left to ask about."""
    now = timezone.now()
    if deadline <= now:
        raise ValidationError("The deadline must be in the future.")
    if UpdateRound.objects.filter(meeting=meeting, state=UpdateRound.State.OPEN).exists():
        raise ValidationError("An update round for this meeting is already open: extend or close it first.")
    action_ids = list(
        round_actions_queryset(plans=plans, priority_number=priority, ratings=ratings).values_list("pk", flat=True)
    )
    if not action_ids:
        raise ValidationError("No open action matches: choose another priority or rating.")
    update_round = UpdateRound.objects.create(
        meeting=meeting,
        deadline=deadline,
        message=message.strip(),
        reminder_days=sorted({int(d) for d in reminder_days}, reverse=True),
        opened_by=opened_by,
        opened_at=now,
    )
    update_round.plans.set(plans)
    update_round.actions.set(action_ids)
    return update_round


@transaction.atomic
def round_extend(*, update_round, deadline, changed_by):
    """Move an open round's deadline (later or earlier, never into the past)."""
    locked = UpdateRound.objects.select_for_update().get(pk=update_round.pk)
    if not locked.is_open:
        raise ValidationError("This round is closed: its deadline cannot change.")
    if deadline <= timezone.now():
        raise ValidationError("The new deadline must be in the future.")
    locked.deadline = deadline
    locked._history_user = changed_by
    locked.save(update_fields=["deadline"])
    update_round.deadline = deadline
    return locked


def round_close(*, update_round, closed_by=None, now=None):
    """Close an open round (at its deadline, or early by the chair) and produce the frozen
    pack of each of its plans, with the changes since the meeting before. Returns the packs,
    or None when the round was closed already (by another process: the state changes in one
    conditional UPDATE, so only one closer wins)."""
    now = now or timezone.now()
    with transaction.atomic():
        won = UpdateRound.objects.filter(pk=update_round.pk, state=UpdateRound.State.OPEN).update(
            state=UpdateRound.State.CLOSED, closed_at=now, closed_by=closed_by
        )
        if not won:
            return None
        update_round.refresh_from_db()
        # The conditional UPDATE decided who closes; this save records the change in the history.
        update_round._history_user = closed_by
        update_round.save(update_fields=["state", "closed_at", "closed_by"])
        meeting = update_round.meeting
        previous = meeting.previous()
        options = PdfOptions(
            since=previous.date if previous else None,
            meeting_mode=previous is not None,
            include_closed=True,
            meeting_title=str(meeting),
            extra=late_answers_of_previous_round(update_round),
        )
        packs = []
        for plan in update_round.plans.order_by("pk"):
            packs.append(
                pack_request(meeting=meeting, plan=plan, options=options, user=closed_by or update_round.opened_by)
            )
        update_round.packs.add(*packs)
    return packs


def late_answers_of_previous_round(update_round):
    """``{"late_update_ids": [...], "late_for": "<meeting>"}``: the updates to the actions of the
    partnership's previous closed round written after it closed, which the pack flags as late."""
    previous = (
        UpdateRound.objects.filter(
            meeting__partnership_id=update_round.meeting.partnership_id, state=UpdateRound.State.CLOSED
        )
        .exclude(pk=update_round.pk)
        .filter(closed_at__lt=update_round.closed_at)
        .select_related("meeting")
        .order_by("-closed_at")
        .first()
    )
    if previous is None:
        return {}
    late = ActionUpdate.objects.filter(
        action__in=previous.actions.all(),
        is_deleted=False,
        is_review=False,
        created_at__gt=previous.closed_at,
        created_at__lt=update_round.opened_at,  # later ones answer this round
    )
    ids = sorted(late.values_list("pk", flat=True))
    return {"late_update_ids": ids, "late_for": str(previous.meeting)} if ids else {}


def rounds_close_due(*, now=None):
    """Close every open round whose deadline has passed; returns the rounds closed here."""
    now = now or timezone.now()
    closed = []
    for update_round in UpdateRound.objects.filter(state=UpdateRound.State.OPEN, deadline__lte=now).select_related(
        "meeting__partnership"
    ):
        if round_close(update_round=update_round, now=now) is not None:
            closed.append(update_round)
    return closed


@transaction.atomic
def round_answer_no_change(*, update_round, action, author, note=""):
    """Answer ``action`` in the round with "no change since the last update": a dated update
    that keeps the rating, with the officer's note when given."""
    if not update_round.actions.filter(pk=action.pk).exists():
        raise ValidationError("This action is not part of the round.")
    text = NO_CHANGE_TEXT + (f" {note.strip()}" if note.strip() else "")
    return action_add_update(action=action, author=author, text=text, rag=None)


@transaction.atomic
def round_sign_off(*, update_round, user):
    """Record ``user``'s "I have updated all my actions"; refused, naming them, while any of
    their actions in the round is unanswered."""
    if not update_round.is_open:
        raise ValidationError("This round is closed.")
    person = round_progress(update_round).person(user.pk)
    if person is None:
        raise ValidationError("You have no actions in this round.")
    if person.owing:
        names = "; ".join(f"“{line.action.text[:80]}”" for line in person.owing)
        raise ValidationError(f"These actions still need an answer: {names}.")
    sign_off, _ = RoundSignOff.objects.get_or_create(round=update_round, user=user)
    return sign_off


# Reading a round's progress -------------------------------------------------------------


@dataclass
class Unit:
    """One owner that must answer for an action: a team, or an organisation (any of its teams)."""

    key: str  # "team-3", "org-4"
    name: str
    team_ids: frozenset
    answered_at: datetime.datetime | None = None


@dataclass
class ActionLine:
    action: Action
    units: list
    answered_at: datetime.datetime | None = None
    late: bool = False

    @property
    def answered(self):
        return self.answered_at is not None


@dataclass
class PersonLine:
    user: User
    lines: list = field(default_factory=list)  # ActionLine of the actions they answer for
    owing: list = field(default_factory=list)  # those whose unit of theirs is unanswered
    signed_off_at: datetime.datetime | None = None
    last_reminder_at: datetime.datetime | None = None

    @property
    def answered_count(self):
        return len(self.lines) - len(self.owing)

    @property
    def owing_ids(self):
        return {line.action.pk for line in self.owing}


@dataclass
class TeamLine:
    name: str
    total: int = 0
    answered: int = 0
    late: int = 0
    people: list = field(default_factory=list)

    @property
    def owing(self):
        return self.total - self.answered


@dataclass
class RoundProgress:
    update_round: UpdateRound
    lines: list
    teams: list
    people: list

    @property
    def total(self):
        return len(self.lines)

    @property
    def answered(self):
        return sum(1 for line in self.lines if line.answered)

    @property
    def late(self):
        return sum(1 for line in self.lines if line.late)

    @property
    def percent(self):
        return round(100 * self.answered / self.total) if self.total else 100

    def person(self, user_id):
        return next((p for p in self.people if p.user.pk == user_id), None)

    def person_named(self, username):
        return next((p for p in self.people if p.user.username == username), None)

    def owing_people(self):
        return [p for p in self.people if p.owing]


def round_progress(update_round, *, today=None):
    """Who has answered what in ``update_round``: per action, per owning team, per person.
    A fixed number of queries (about nine), whatever the size of the round."""
    actions = list(
        update_round.actions.select_related("issue__priority__plan__partnership")
        .prefetch_related("owner_teams__organisation", "owner_organisations")
        .order_by("issue__priority__plan", "issue__priority__number", "issue__order", "order", "pk")
    )
    partnership_id = update_round.meeting.partnership_id
    org_ids = {o.pk for a in actions for o in a.owner_organisations.all()}
    org_teams = defaultdict(set)
    for team_id, organisation_id in Team.objects.filter(
        organisation_id__in=org_ids, partnership_id=partnership_id, ended_on__isnull=True
    ).values_list("pk", "organisation_id"):
        org_teams[organisation_id].add(team_id)

    lines = []
    for action in actions:
        units = [Unit(f"team-{t.pk}", t.name, frozenset([t.pk])) for t in action.owner_teams.all()]
        units += [
            Unit(f"org-{o.pk}", f"{o.name} (any team)", frozenset(org_teams[o.pk]))
            for o in action.owner_organisations.all()
        ]
        lines.append(ActionLine(action, units))

    all_team_ids = {t for line in lines for unit in line.units for t in unit.team_ids}
    answers = list(
        ActionUpdate.objects.filter(action__in=[a.pk for a in actions], is_deleted=False, is_review=False)
        .filter(Q(date__gte=update_round.opened_on) | Q(created_at__gte=update_round.opened_at))
        .order_by("created_at")
        .values_list("action_id", "author_id", "created_at")
    )
    author_ids = {author for _, author, _ in answers if author}
    memberships = list(
        User.teams.through.objects.filter(Q(team_id__in=all_team_ids) | Q(user_id__in=author_ids)).values_list(
            "user_id", "team_id"
        )
    )
    teams_of = defaultdict(set)
    for user_id, team_id in memberships:
        teams_of[user_id].add(team_id)

    by_action = {line.action.pk: line for line in lines}
    for action_id, author_id, created_at in answers:
        line = by_action[action_id]
        line_team_ids = {t for unit in line.units for t in unit.team_ids}
        author_teams = teams_of.get(author_id, set())
        on_behalf = not (author_teams & line_team_ids)
        for unit in line.units:
            if unit.answered_at is None and (on_behalf or author_teams & unit.team_ids):
                unit.answered_at = created_at
        if not line.units and line.answered_at is None:
            line.answered_at = created_at
    closed_at = update_round.closed_at
    for line in lines:
        if line.units:
            times = [unit.answered_at for unit in line.units]
            line.answered_at = max(times) if all(times) else None
        line.late = bool(closed_at and line.answered_at and line.answered_at > closed_at)

    # People: active users in the owning teams who may work on the partnership's actions.
    member_ids = {user_id for user_id, team_id in memberships if team_id in all_team_ids}
    users = {
        u.pk: u
        for u in User.objects.filter(pk__in=member_ids, is_active=True)
        .filter(Q(roles__partnership_id=partnership_id) | Q(teams__grants__partnership_id=partnership_id))
        .distinct()
        .order_by("first_name", "last_name", "username")
    }
    sign_offs = dict(RoundSignOff.objects.filter(round=update_round).values_list("user_id", "signed_at"))
    reminded = dict(
        SentEmail.objects.filter(round=update_round, is_reminder=True)
        .values_list("user_id")
        .annotate(last=Max("sent_at"))
        .values_list("user_id", "last")
    )
    team_names = {}
    for line in lines:
        for team in line.action.owner_teams.all():
            team_names[team.pk] = team.name
    people = {}
    for user_id, user in users.items():
        person = PersonLine(user, signed_off_at=sign_offs.get(user_id), last_reminder_at=reminded.get(user_id))
        mine = teams_of[user_id]
        for line in lines:
            theirs = [unit for unit in line.units if unit.team_ids & mine]
            if theirs:
                person.lines.append(line)
                if any(unit.answered_at is None for unit in theirs):
                    person.owing.append(line)
        if person.lines:
            people[user_id] = person

    teams = {}
    for line in lines:
        for unit in line.units or [Unit("none", "No owning team", frozenset())]:
            row = teams.setdefault(unit.key, TeamLine(unit.name))
            row.total += 1
            answered = unit.answered_at is not None if line.units else line.answered
            row.answered += answered
            row.late += bool(line.late and answered)
    for person in people.values():
        for key, row in teams.items():
            kind, _, pk = key.partition("-")
            if kind == "team" and int(pk) in teams_of[person.user.pk]:
                row.people.append(person.user)
    return RoundProgress(
        update_round,
        lines,
        sorted(teams.values(), key=lambda t: t.name.casefold()),
        list(people.values()),
    )


def open_round_for_plan(plan):
    """The open round asking about ``plan``'s actions, if any (newest first)."""
    return (
        UpdateRound.objects.filter(plans=plan, state=UpdateRound.State.OPEN)
        .select_related("meeting__partnership")
        .order_by("-opened_at")
        .first()
    )


def round_recipients_of_pack(update_round):
    """Who is told the frozen pack is ready: the partnership's chairs and administrators, and
    the people (with a role in the partnership) of the organisations in the meeting's
    governance group."""
    meeting = update_round.meeting
    people = Q(roles__partnership_id=meeting.partnership_id, roles__role__in=[Role.Kind.CHAIR, Role.Kind.ADMIN])
    if meeting.group_id:
        people |= Q(
            roles__partnership_id=meeting.partnership_id,
            teams__organisation__in=meeting.group.members.values("pk"),
        )
    return list(User.objects.filter(people, is_active=True).exclude(email="").distinct().order_by("pk"))


def rating_words(rag):
    return f"{Rag(rag).label} ({Rag.describe(rag)})"


def ready_packs(update_round):
    return list(update_round.packs.select_related("plan").exclude(state=MeetingPack.State.FAILED))


def partnership_plans(partnership):
    """The plans a round may ask about: the partnership's published plans that are not archived."""
    return ActionPlan.objects.filter(partnership=partnership, status=ActionPlan.Status.ACTIVE).order_by("-start_year")
