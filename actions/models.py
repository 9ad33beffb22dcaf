"""Actions, their owners, dated updates with RAG ratings, and performance measures.

Words: in this module "RAG" always means the Red / Amber / Green rating of an
action (``Rag``), never the Responsible Authorities Group.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords
from simple_history.signals import post_create_historical_record, pre_create_historical_record

from partners.models import GovernanceGroup, Organisation, Role, Team
from plans.models import SEES_DRAFTS, Issue, Priority, StrategicAim, published_filter


class Rag(models.TextChoices):
    """The RAG rating. Blue means complete; "not yet rated" is the honest default."""

    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    NOT_RATED = "not_rated", "Not yet rated"

    @classmethod
    def describe(cls, value):
        return {
            "red": "off track",
            "amber": "at risk",
            "green": "on track",
            "blue": "complete",
            "not_rated": "not yet rated",
        }.get(value, "")


RAG_VALUES = [value for value, _ in Rag.choices]


class Status(models.TextChoices):
    OPEN = "open", "Open"
    COMPLETED = "completed", "Completed"
    DISCHARGED = "discharged", "Discharged from the plan"
    CARRIED_FORWARD = "carried_forward", "Carried forward"
    CANCELLED = "cancelled", "Cancelled"
    # An officer's proposal waits for an administrator (or an authoring chair) to accept
    # it (it becomes open) or reject it: rejected, not cancelled, since it never was an
    # action of the plan.
    PROPOSED = "proposed", "Proposed"
    REJECTED = "rejected", "Proposal rejected"


CLOSED_STATUSES = [Status.COMPLETED, Status.DISCHARGED, Status.CARRIED_FORWARD, Status.CANCELLED]
# Not (or not yet) part of the plan: left out of its pages, dashboards, PDF and exports.
PROPOSAL_STATUSES = [Status.PROPOSED, Status.REJECTED]


class Marking(models.TextChoices):
    """Government Security Classification of an update, or of an action's text."""

    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


def new_reference():
    """A short, stable reference for an action, used by exports and re-imports."""
    return "A-" + secrets.token_hex(5).upper()


def month_number(day):
    """Months counted from year 0: consecutive months have consecutive numbers."""
    return day.year * 12 + day.month - 1


def rating_history(updates):
    """``[[month number, rating], ...]``: an action's rating at the end of each month in
    which a live update changed it, from its live updates as (date, rag) in date order
    (then order, then id). The first entry is the month of its first update."""
    history = []
    for day, rag in updates:
        month = month_number(day)
        if history and history[-1][0] == month:
            history[-1][1] = rag  # the month's last update gives its end-of-month rating
        else:
            history.append([month, rag])
    kept = []
    for month, rag in history:
        if not kept or kept[-1][1] != rag:
            kept.append([month, rag])
    return kept


def update_summaries(action_ids):
    """{action id: (date of its latest live update, its rating_history, when its newest live
    update was added)}, from the updates: the values of ``SUMMARY_FIELDS``, in that order."""
    updates = {pk: [] for pk in action_ids}
    added = dict.fromkeys(action_ids)
    rows = (
        ActionUpdate.objects.filter(action_id__in=action_ids, is_deleted=False)
        .order_by("action_id", "date", "order", "id")
        .values_list("action_id", "date", "rag", "created_at")
    )
    for action_id, day, rag, created_at in rows:
        updates[action_id].append((day, rag))
        if added[action_id] is None or created_at > added[action_id]:
            added[action_id] = created_at
    return {pk: (notes[-1][0] if notes else None, rating_history(notes), added[pk]) for pk, notes in updates.items()}


PLAN = "issue__priority__plan__"  # from an action to its plan, for ``published_filter``


class ActionQuerySet(models.QuerySet):
    def in_plan(self, plan):
        """The plan's actions: not its proposals (``proposals``)."""
        return self.filter(issue__priority__plan=plan).agreed()

    def agreed(self):
        """Actions of the plan, whatever their status: not proposals, pending or rejected."""
        return self.exclude(status__in=PROPOSAL_STATUSES)

    def proposals(self):
        return self.filter(status__in=PROPOSAL_STATUSES)

    def open(self):
        return self.filter(status=Status.OPEN)

    def refresh_update_summary(self):
        """Set what each of these actions keeps from its live updates (``SUMMARY_FIELDS``:
        ``last_update_on``, ``rating_history``, ``last_update_added_at``): one read of their
        updates, one bulk write, no history row (a summary of the updates, not an edit).
        Returns the number of actions."""
        with transaction.atomic():
            # The actions' rows are locked first, so that two people changing different
            # updates of one action at once each read the other's change, in turn.
            ids = list(
                Action.objects.select_for_update()
                .filter(pk__in=self.order_by().values("pk"))
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            summaries = [
                Action(pk=pk, **dict(zip(SUMMARY_FIELDS, summary, strict=True)))
                for pk, summary in update_summaries(ids).items()
            ]
            Action.objects.bulk_update(summaries, SUMMARY_FIELDS, batch_size=500)
        return len(ids)

    def with_suggestion_facts(self, today=None):
        """Annotate what the suggested rating reads besides the action's own fields
        (``actions.suggestion.facts_of``): ``overdue_milestones`` (not done, due before
        ``today``) and ``oldest_overdue_due`` (the earliest due date among them). Two
        subqueries of the same query, whatever the number of actions."""
        today = today or timezone.localdate()
        overdue = Milestone.objects.filter(action=OuterRef("pk"), done_on__isnull=True, due_date__lt=today)
        count = overdue.order_by().values("action").annotate(n=Count("pk")).values("n")
        return self.annotate(
            overdue_milestones=Coalesce(Subquery(count), 0),
            oldest_overdue_due=Subquery(overdue.order_by("due_date").values("due_date")[:1]),
        )

    def owned_by(self, user):
        """Actions the user owns by the owner rule (``owner_filter``)."""
        if not user.is_authenticated:
            return self.none()
        # Implied by the owner rule (each of its clauses is about the action's own partnership),
        # said outright so that the planner starts from those partnerships' actions: the ORed
        # EXISTS clauses are otherwise tried on every action of the installation (2 s with 300).
        in_scope = Q(issue__priority__plan__partnership_id__among=sorted(user.owner_scopes()))
        return self.filter(in_scope).filter(owner_filter(user)).filter(published_filter(user, PLAN))

    def visible_to(self, user):
        """Actions of the partnerships where the user holds a role, and those they own;
        those of a draft plan only to its partnership's chairs and admins."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        # The partnerships first (implied, as in ``owned_by``), so that the owner rule's EXISTS
        # clauses are tried on their actions only, not on every action of the installation.
        held = user.partnership_ids()
        partnerships = held | set(user.owner_scopes())
        visible = self.filter(issue__priority__plan__partnership_id__among=sorted(partnerships))
        if partnerships != held:  # teams counted as owners where the user holds no role
            visible = visible.filter(Q(issue__priority__plan__partnership_id__among=held) | owner_filter(user))
        if not partnerships <= user.partnership_ids(*SEES_DRAFTS):  # else every plan is one they may see
            visible = visible.filter(published_filter(user, PLAN))
        return visible


def owner_filter(user, *, action="pk", teams_only=False):
    """The owner rule as a filter on the action the outer field ``action`` names (``user_owns`` on
    one action): one of the user's teams, counted only in its own partnership and in
    those that granted it, is among the action's owning teams, or (unless
    ``teams_only``) its organisation among the owning organisations. Exists rather
    than joins: no duplicate rows, so no DISTINCT."""
    action = OuterRef(action)
    owns = Q(pk__in=[])
    for partnership_id, scope in sorted(user.owner_scopes().items()):
        in_partnership = {"action__issue__priority__plan__partnership_id": partnership_id}
        owns |= Exists(
            Action.owner_teams.through.objects.filter(action_id=action, team_id__in=scope.team_ids, **in_partnership)
        )
        if not teams_only:
            owns |= Exists(
                Action.owner_organisations.through.objects.filter(
                    action_id=action, organisation_id__in=scope.organisation_ids, **in_partnership
                )
            )
    return owns


def user_owns(user, action, *, teams_only=False):
    """``owner_filter`` for one action (its owners prefetched, its plan selected)."""
    scope = user.owner_scopes().get(action.issue.priority.plan.partnership_id)
    if scope is None:
        return False
    if any(team.pk in scope.team_ids for team in action.owner_teams.all()):
        return True
    return not teams_only and any(o.pk in scope.organisation_ids for o in action.owner_organisations.all())


def readable_update_filter(user):
    """Which updates of actions the user sees they may read (``ActionRights.may_read_sensitive``):
    OFFICIAL ones; OFFICIAL-SENSITIVE ones as a chair or admin of the action's partnership
    or in a team owning it by ``owner_filter`` (organisation-level ownership is not enough)."""
    if user.is_superuser:
        return Q()
    senior = user.partnership_ids(Role.Kind.CHAIR, Role.Kind.ADMIN)
    readable = Q(marking=Marking.OFFICIAL) | owner_filter(user, action="action_id", teams_only=True)
    if senior:
        readable |= Q(action__issue__priority__plan__partnership_id__among=senior)
    return readable


def readable_text_filter(user, prefix=""):
    """Which actions (reached through ``prefix``, e.g. ``"action__"`` from an update) have
    text the user may read: OFFICIAL ones; OFFICIAL-SENSITIVE ones under the same rule as
    sensitive updates (``readable_update_filter``, ``ActionRights.may_read_sensitive``)."""
    if user.is_superuser:
        return Q()
    senior = user.partnership_ids(Role.Kind.CHAIR, Role.Kind.ADMIN)
    readable = Q(**{f"{prefix}marking": Marking.OFFICIAL}) | owner_filter(user, action=f"{prefix}pk", teams_only=True)
    if senior:
        readable |= Q(**{f"{prefix}issue__priority__plan__partnership_id__among": senior})
    return readable


WITHHELD_TEXT = "OFFICIAL-SENSITIVE: text withheld"


def readable_text_ids(user, ids):
    """Which of the actions ``ids`` have text ``user`` may read: one query, none for no ids."""
    ids = set(ids)
    if not ids or user.is_superuser:
        return ids
    if not user.is_authenticated:
        return set()
    return set(Action.objects.filter(pk__in=ids).filter(readable_text_filter(user)).values_list("pk", flat=True))


def withhold_texts(user, actions):
    """Mark each of ``actions`` (any iterable of ``Action``, however loaded) with
    ``text_withheld``: True for an OFFICIAL-SENSITIVE action whose text ``user`` may not
    read (``readable_text_filter``). At most one query, only when a sensitive action is
    among them. Returns the actions as a list. Templates print ``action|action_text``."""
    actions = [a for a in actions if a is not None]
    sensitive = {a.pk for a in actions if a.marking == Marking.OFFICIAL_SENSITIVE}
    readable = readable_text_ids(user, sensitive)
    for action in actions:
        action.text_withheld = action.pk in sensitive and action.pk not in readable
    return actions


SUMMARY_FIELDS = ["last_update_on", "rating_history", "last_update_added_at"]


class Action(models.Model):
    """An action under an issue: "Arrange events in the community"."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="actions")
    reference = models.CharField(max_length=20, unique=True, default=new_reference, editable=False)
    text = models.TextField()
    marking = models.CharField(
        "Protective marking",
        max_length=20,
        choices=Marking,
        default=Marking.OFFICIAL,
        help_text="OFFICIAL-SENSITIVE text is shown only to the owning teams, the chair and administrators.",
    )
    order = models.PositiveIntegerField(default=0)
    owner_teams = models.ManyToManyField(Team, blank=True, related_name="actions")
    owner_organisations = models.ManyToManyField(Organisation, blank=True, related_name="actions")
    owner_groups = models.ManyToManyField(GovernanceGroup, blank=True, related_name="actions")
    measures = models.ManyToManyField(
        "PerformanceMeasure",
        blank=True,
        related_name="actions",
        help_text="The performance measures of the plan's priorities and strategy the action contributes to.",
    )
    owner_role = models.CharField(
        max_length=200, blank=True, help_text="A named person or role, e.g. 'DI Macbeth', 'Sgt Vaughan'."
    )
    owner_label = models.CharField(
        max_length=300, blank=True, help_text="The owner as written in the source document, when it differs."
    )
    target_date = models.DateField(null=True, blank=True)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag, default=Rag.NOT_RATED)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    status_reason = models.TextField(blank=True)
    carried_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to"
    )
    version = models.PositiveIntegerField(default=1, help_text="Optimistic locking: bumped on every edit.")
    created_at = models.DateTimeField(default=timezone.now)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_actions"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True, help_text="When the proposal was accepted or rejected.")
    # Kept from the live updates by ActionQuerySet.refresh_update_summary(), never edited.
    last_update_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The date of the latest update that is not deleted."
    )
    rating_history = models.JSONField(
        default=list,
        blank=True,
        editable=False,
        help_text="[[month number, rating], ...]: the rating at the end of each month in which an update changed it.",
    )
    last_update_added_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When the newest update that is not deleted was added."
    )

    history = HistoricalRecords(
        m2m_fields=[owner_teams, owner_organisations, owner_groups, measures], excluded_fields=SUMMARY_FIELDS
    )
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["issue", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(rag__in=RAG_VALUES), name="action_rag_valid"),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _ in Status.choices]), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(marking__in=["official", "official_sensitive"]), name="action_marking_valid"
            ),
        ]

    def __str__(self):
        return self.text[:80]

    def save(self, *args, update_fields=None, **kwargs):
        """The summary of the updates is written only by ``refresh_update_summary`` (and on
        creation): saving an action loaded earlier must not put back what it said then."""
        if update_fields is None and not self._state.adding and self.pk is not None:
            update_fields = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in SUMMARY_FIELDS
            ]
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        return reverse("actions:detail", args=[self.pk])

    @property
    def plan(self):
        return self.issue.priority.plan

    @property
    def is_sensitive(self):
        return self.marking == Marking.OFFICIAL_SENSITIVE

    def text_for(self, rights):
        """The text for a reader with ``rights`` (``ActionRights``), or the placeholder."""
        return WITHHELD_TEXT if self.is_sensitive and not rights.may_read_sensitive else self.text

    @property
    def is_open(self):
        return self.status == Status.OPEN

    def owner_names(self):
        """Owners as a list of names, in the order a reader expects (teams, organisations, groups, role)."""
        names = [t.name for t in self.owner_teams.all()]
        names += [o.name for o in self.owner_organisations.all()]
        names += [g.name for g in self.owner_groups.all()]
        if self.owner_role:
            names.append(self.owner_role)
        return names

    def owners_display(self):
        return self.owner_label or " / ".join(self.owner_names())

    def is_stale(self, *, today=None, interval_days=None, last_update_on=None):
        """True when an open action had no update for longer than the partnership's interval."""
        if not self.is_open:
            return False
        today = today or timezone.localdate()
        if interval_days is None:
            interval_days = self.issue.priority.plan.partnership.update_interval_days
        if last_update_on is None:
            last_update_on = self.last_update_on
        if last_update_on is None:
            return (today - timezone.localdate(self.created_at)) > timedelta(days=interval_days)
        return (today - last_update_on) > timedelta(days=interval_days)


def note_author(author_name, *, user_name=None):
    """Who wrote a note, as pages show it: the user (``str(user)``), else the name recorded
    with an imported note."""
    return user_name or author_name or "Not recorded"


class UpdateQuerySet(models.QuerySet):
    def live(self):
        return self.filter(is_deleted=False)

    def sensitive(self):
        return self.filter(marking=Marking.OFFICIAL_SENSITIVE)

    def readable_by(self, user):
        """Updates of actions visible to the user that they may read (deleted ones included)."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        visible = Action.objects.visible_to(user).order_by().values("pk")
        return self.filter(action__in=visible).filter(readable_update_filter(user))


class ActionUpdate(models.Model):
    """A dated progress note on an action, with the RAG rating given at that time.

    ``date`` is the day the note is about; ``written_on`` the day it was recorded.
    A note can be back-dated, never dated after the day it was written.
    ``previous_rag`` is the action's rating just before this update, kept so
    "changed from Amber" and the history of ratings are known.
    """

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField("Date of update")
    written_on = models.DateField(default=timezone.localdate)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="action_updates"
    )
    author_name = models.CharField(
        max_length=200, blank=True, help_text="Who wrote it, when not a user here (imported notes)."
    )
    text = models.TextField("What has happened")
    rag = models.CharField("RAG rating", max_length=10, choices=Rag, default=Rag.NOT_RATED)
    previous_rag = models.CharField(max_length=10, choices=Rag, blank=True)
    status_change = models.CharField(max_length=20, choices=Status, blank=True)
    suggested_rag = models.CharField(
        "Suggested RAG rating",
        max_length=10,
        choices=Rag,
        blank=True,
        help_text="What the app suggested when the update was written (actions/suggestion.py); empty when none.",
    )
    rating_reason = models.TextField(
        "Why the rating differs from the suggestion", blank=True, help_text="The owner's reason, shown to the chair."
    )
    marking = models.CharField("Protective marking", max_length=20, choices=Marking, default=Marking.OFFICIAL)
    is_review = models.BooleanField(default=False, help_text="A review comment by a chair or reviewer.")
    source_note = models.CharField(
        max_length=300, blank=True, help_text="Where this came from, e.g. how an imported note's date was chosen."
    )
    order = models.PositiveIntegerField(default=0, help_text="Orders notes that share a date.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_deleted = models.BooleanField(default=False)

    history = HistoricalRecords()
    objects = UpdateQuerySet.as_manager()

    class Meta:
        ordering = ["action", "date", "order", "id"]
        indexes = [models.Index(fields=["action", "date"], name="update_action_date")]
        constraints = [
            models.CheckConstraint(condition=Q(date__lte=F("written_on")), name="update_not_after_written"),
            models.CheckConstraint(condition=Q(rag__in=RAG_VALUES), name="update_rag_valid"),
            models.CheckConstraint(
                condition=Q(previous_rag="") | Q(previous_rag__in=RAG_VALUES), name="update_previous_rag_valid"
            ),
            models.CheckConstraint(
                condition=Q(suggested_rag="") | Q(suggested_rag__in=RAG_VALUES), name="update_suggested_rag_valid"
            ),
            models.CheckConstraint(
                condition=Q(marking__in=["official", "official_sensitive"]), name="update_marking_valid"
            ),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.text[:60]}"

    @property
    def is_sensitive(self):
        return self.marking == Marking.OFFICIAL_SENSITIVE

    @property
    def departs_from_suggestion(self):
        return bool(self.suggested_rag) and self.suggested_rag != self.rag

    @property
    def rag_changed(self):
        return bool(self.previous_rag) and self.previous_rag != self.rag

    @property
    def author_display(self):
        return note_author(self.author_name, user_name=str(self.author) if self.author_id else None)


@receiver(post_save, sender=ActionUpdate, dispatch_uid="actions_update_saved_refreshes_action")
@receiver(post_delete, sender=ActionUpdate, dispatch_uid="actions_update_deleted_refreshes_action")
def _refresh_action_summary(sender, instance, origin=None, **kwargs):
    """Every update saved or deleted one at a time (the services, the admin, fixtures) keeps
    its action's summary right; bulk writers call ``refresh_update_summary`` themselves.
    Updates deleted because their action is being deleted leave it alone."""
    if "created" not in kwargs and not _deletes_updates(origin):
        return
    Action.objects.filter(pk=instance.action_id).refresh_update_summary()


def _deletes_updates(origin):
    model = origin.model if isinstance(origin, models.QuerySet) else type(origin)
    return origin is None or model is ActionUpdate


# django-simple-history asks a new history row for its action (``instance``) once per
# many-to-many field while it copies the owners and measures (``create_historical_record_m2ms``),
# only to find each field's through model; with ``excluded_fields`` every ask reads the
# summary fields again (one query each: four per history row, 92 of the 311 queries of a
# five-action roll-over). The row being written needs none of them: it is told it has no
# excluded fields until its many-to-many rows are written.
@receiver(pre_create_historical_record, sender=Action.history.model, dispatch_uid="actions_history_no_reread")
def _history_row_reads_no_summary(sender, history_instance, **kwargs):
    history_instance._history_excluded_fields = ()


@receiver(post_create_historical_record, sender=Action.history.model, dispatch_uid="actions_history_reread_again")
def _history_row_reads_summary_again(sender, history_instance, **kwargs):
    history_instance.__dict__.pop("_history_excluded_fields", None)


class Milestone(models.Model):
    """A dated step inside an action ("Venue booked by 1 March"). Optional: most actions have
    none. Its owner is the action's unless a team or a named role is given here."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    text = models.TextField("Milestone")
    due_date = models.DateField("Due date")
    owner_team = models.ForeignKey(
        Team,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
        help_text="Leave empty when the action's owners own it.",
    )
    owner_role = models.CharField(max_length=200, blank=True, help_text='A named role, e.g. "DI Macbeth".')
    done_on = models.DateField("Done on", null=True, blank=True)
    order = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "order", "due_date", "id"]
        indexes = [models.Index(fields=["action", "due_date"], name="milestone_action_due")]

    def __str__(self):
        return self.text[:80]

    @property
    def is_done(self):
        return self.done_on is not None

    def is_overdue(self, today=None):
        return self.done_on is None and self.due_date < (today or timezone.localdate())


class PerformanceMeasure(models.Model):
    """A performance measure on a strategic aim or on a priority ("Rate of all crime")."""

    class Better(models.TextChoices):
        LOWER = "lower", "Lower is better"
        HIGHER = "higher", "Higher is better"
        NEITHER = "neither", "Neither (context only)"

    class Period(models.TextChoices):
        MONTH = "month", "Monthly"
        QUARTER = "quarter", "Quarterly"

    aim = models.ForeignKey(StrategicAim, null=True, blank=True, on_delete=models.CASCADE, related_name="measures")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.CASCADE, related_name="measures")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    unit = models.CharField(max_length=40, blank=True, help_text="e.g. 'crimes per 1,000 people', '%'.")
    better = models.CharField(max_length=10, choices=Better, default=Better.LOWER)
    period = models.CharField(max_length=10, choices=Period, default=Period.MONTH)
    target = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    baseline = models.DecimalField(max_digits=14, decimal_places=3, null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(aim__isnull=False) & Q(priority__isnull=True))
                | (Q(aim__isnull=True) & Q(priority__isnull=False)),
                name="measure_on_aim_or_priority",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def partnership(self):
        if self.aim_id:
            return self.aim.strategy.partnership
        return self.priority.plan.partnership


class MeasureValue(models.Model):
    """A measure's value for one period (a month, or a quarter named by its first day)."""

    measure = models.ForeignKey(PerformanceMeasure, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=3)
    source = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period_start"], name="measure_value_one_per_period"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.value} ({self.period_start:%b %Y})"
