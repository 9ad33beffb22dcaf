"""Strategies, strategic assessments, action plans, priorities and issues; RAG meetings.

Words: an ``Issue`` is the "Issue" column of the action plan: the problem or
objective that a group of actions addresses ("Raise awareness of county lines,
gangs and knife crime in schools"). It is not a bug or a ticket. A ``Meeting``
is a meeting of the Responsible Authorities Group (RAG, the governance group)
at which the plan is reviewed.
"""

import re
from datetime import date

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.access import admin_partnerships
from partners.models import GovernanceGroup, Partnership, Role

YEAR_RANGE = Q(start_year__gte=1998) & Q(start_year__lte=2100)


def years_label(start_year, end_year):
    return f"{start_year} - {end_year}" if end_year != start_year else str(start_year)


def with_years(title, start_year, end_year):
    """The title followed by its years, unless the title already ends with them (people type
    "Strategic Assessment 2026 - 2027" or "2026/27" into the title too)."""
    years = rf"{start_year}\s*(?:-|–|—|/|to)\s*(?:{end_year}|{end_year % 100:02d})"
    if start_year == end_year:
        years = rf"{start_year}"
    if re.search(rf"(?:^|\s){years}$", title.strip()):
        return title.strip()
    return f"{title} {years_label(start_year, end_year)}"


def plan_full_title(short_name, title, start_year, end_year):
    """``ActionPlan.full_title`` from its parts (for pages that read plans as plain values)."""
    return f"{short_name} {with_years(title, start_year, end_year)}"


class Strategy(models.Model):
    """A multi-year partnership plan or strategy (2016-2020, 2023-2027)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="strategies")
    title = models.CharField(max_length=200)
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-start_year"]
        verbose_name_plural = "strategies"
        constraints = [
            models.CheckConstraint(
                condition=YEAR_RANGE & Q(end_year__gte=F("start_year")) & Q(end_year__lte=F("start_year") + 10),
                name="strategy_years_sane",
            ),
        ]

    def __str__(self):
        return with_years(self.title, self.start_year, self.end_year)


class StrategicAim(models.Model):
    strategy = models.ForeignKey(Strategy, on_delete=models.CASCADE, related_name="aims")
    text = models.TextField()
    description = models.TextField(blank=True, help_text="'What will we do?'")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategy", "order", "id"]

    def __str__(self):
        return self.text


class StrategicAssessment(models.Model):
    """The yearly strategic assessment: top risks and emerging risks."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(max_length=200, default="Strategic Assessment")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=YEAR_RANGE & Q(end_year__gte=F("start_year")) & Q(end_year__lte=F("start_year") + 1),
                name="assessment_years_sane",
            ),
            models.UniqueConstraint(fields=["partnership", "start_year"], name="assessment_one_per_year"),
        ]

    def __str__(self):
        return with_years(self.title, self.start_year, self.end_year)

    def top_risks(self):
        return [r for r in self.risks.all() if r.kind == Risk.Kind.TOP]

    def emerging_risks(self):
        return [r for r in self.risks.all() if r.kind == Risk.Kind.EMERGING]


class Risk(models.Model):
    """A risk named by a strategic assessment: a top risk or an emerging risk."""

    class Kind(models.TextChoices):
        TOP = "top", "Top risk"
        EMERGING = "emerging", "Emerging risk"

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="risks")
    kind = models.CharField(max_length=10, choices=Kind)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "kind", "order", "id"]
        constraints = [models.CheckConstraint(condition=Q(kind__in=["top", "emerging"]), name="risk_kind_valid")]

    def __str__(self):
        return self.text


# Who sees a draft plan (and its actions): its partnership's chairs and admins, who
# write it before the officers are asked to report on it.
SEES_DRAFTS = (Role.Kind.CHAIR, Role.Kind.ADMIN)


def published_filter(user, prefix=""):
    """The draft rule as a filter on the plan that ``prefix`` leads to: a plan that is not
    a draft, or a draft of a partnership where the user is chair or admin (superusers
    are not filtered). ``ActionPlan.is_hidden_from`` is this rule on one plan."""
    return ~Q(**{f"{prefix}status": "draft"}) | Q(
        **{f"{prefix}partnership_id__among": user.partnership_ids(*SEES_DRAFTS)}
    )


class ActionPlanQuerySet(models.QuerySet):
    def current(self):
        return self.exclude(status=ActionPlan.Status.ARCHIVED)

    def for_user(self, user):
        """Plans of the partnerships in which the user holds a role; drafts only for their
        chairs and admins."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        held = user.partnership_ids()
        plans = self.filter(partnership_id__among=held)
        if held <= user.partnership_ids(*SEES_DRAFTS):  # chair or admin wherever they hold a role
            return plans
        return plans.filter(published_filter(user))


class ActionPlan(models.Model):
    """A yearly action plan (2019-2020) of a partnership, under a strategy."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        ARCHIVED = "archived", "Archived"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="plans")
    strategy = models.ForeignKey(Strategy, null=True, blank=True, on_delete=models.PROTECT, related_name="plans")
    assessment = models.ForeignKey(
        StrategicAssessment, null=True, blank=True, on_delete=models.PROTECT, related_name="plans"
    )
    title = models.CharField(max_length=200, default="Community Safety Action Plan")
    slug = models.SlugField(max_length=80, unique=True, help_text="<partnership>-<first year>-<last year>")
    start_year = models.PositiveSmallIntegerField()
    end_year = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status, default=Status.ACTIVE)
    introduction = models.TextField(blank=True)
    rolled_over_to = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="rolled_over_from"
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-start_year"]
        constraints = [
            models.CheckConstraint(
                condition=YEAR_RANGE & Q(end_year__gte=F("start_year")) & Q(end_year__lte=F("start_year") + 5),
                name="plan_years_sane",
            ),
            models.CheckConstraint(condition=Q(status__in=["draft", "active", "archived"]), name="plan_status_valid"),
        ]

    def __str__(self):
        return f"{self.partnership.short_name} {with_years(self.title, self.start_year, self.end_year)}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.slug])

    @property
    def years(self):
        return years_label(self.start_year, self.end_year)

    @property
    def full_title(self):
        """As on the document: "Hertsmere Community Safety Action Plan 2019 - 2020"."""
        return plan_full_title(self.partnership.short_name, self.title, self.start_year, self.end_year)

    @property
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

    @property
    def ends_on(self):
        """The last day of the plan: plans run over financial years, April to March, and a
        one-year plan "2020" runs to March 2021."""
        return date(max(self.end_year, self.start_year + 1), 3, 31)

    def has_ended(self, *, today=None):
        return (today or timezone.localdate()) > self.ends_on

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def is_hidden_from(self, role):
        """``published_filter`` on this plan, for a user whose role in its partnership is ``role``."""
        return self.is_draft and role not in SEES_DRAFTS


class Priority(models.Model):
    """A numbered priority of a plan: "1. Identify and prevent serious Youth Violence…"."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.TextField()
    description = models.TextField(blank=True)
    source_risk = models.ForeignKey(
        Risk,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="priorities",
        help_text="The emerging risk this priority came from.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="priority_number_unique_in_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="priority_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.plan.slug]) + f"#priority-{self.number}"


class Issue(models.Model):
    """The "Issue" column: the problem or objective that one or more actions address."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="issues")
    title = models.TextField()
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["priority", "order", "id"]

    def __str__(self):
        return self.title or "(no issue given)"

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.priority.plan.slug]) + f"#issue-{self.pk}"


class Meeting(models.Model):
    """A meeting of the Responsible Authorities Group (or another governance group) that reviews a plan."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="meetings")
    group = models.ForeignKey(
        GovernanceGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings"
    )
    title = models.CharField(max_length=200)
    date = models.DateField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-date"]

    def __str__(self):
        return f"{self.title} ({self.date:%-d %B %Y})"

    def previous(self):
        return Meeting.objects.filter(partnership_id=self.partnership_id, date__lt=self.date).order_by("-date").first()


def pack_upload_to(instance, filename):
    if instance.meeting_id is None:  # a scrutiny pack belongs to its plan, not to a meeting
        return f"packs/{instance.plan.partnership.slug}/{instance.kind}/{filename}"
    return f"packs/{instance.meeting.partnership.slug}/{instance.meeting_id}/{filename}"


class RenderedPdf(models.Model):
    """What every PDF rendered in the background has (``plans.pdf.packs``): its options,
    where the render is (state, progress, the task and which attempt), and the file with its
    SHA-256, pages and marking, or the error in users' words."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Rendering"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"

    options = models.JSONField(default=dict)
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    error = models.TextField(blank=True)
    # Why it failed ("timeout", "memory", "crashed", "lost"): whether trying again can help.
    cause = models.CharField(max_length=10, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    marking = models.CharField(max_length=30, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The background task rendering it (django.tasks result id), and which attempt that is:
    # a render that crashed or timed out once is queued again as attempt 2.
    task_id = models.CharField(max_length=64, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def working(self):
        return self.state in (self.State.PENDING, self.State.RUNNING)

    @property
    def may_try_again(self):
        """A failed render another attempt may get past: not one too big for the memory limit."""
        return self.state == self.State.FAILED and self.cause != "memory"

    @property
    def since(self):
        """The date of its options' "changes since" (stored as ISO text), or None."""
        since = self.options.get("since")
        return date.fromisoformat(since) if since else None


class MeetingPack(RenderedPdf):
    """A frozen PDF pack: the file circulated, kept unchanged. Of a kind: a RAG meeting's
    pack of the plan (for a meeting), or the scrutiny committee's pack of the plan's year
    (``plans/pdf/scrutiny.py``; no meeting of the partnership: the committee is the council's)."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting pack"
        SCRUTINY = "scrutiny", "Scrutiny pack"

    kind = models.CharField(max_length=10, choices=Kind, default=Kind.MEETING)
    meeting = models.ForeignKey(Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="packs")
    plan = models.ForeignKey(ActionPlan, on_delete=models.PROTECT, related_name="packs")
    file = models.FileField(upload_to=pack_upload_to, blank=True)

    class Meta(RenderedPdf.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=["meeting", "scrutiny"]), name="pack_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind="scrutiny") | Q(meeting__isnull=False), name="meeting_pack_has_meeting"
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.SCRUTINY:
            return f"Scrutiny pack of {self.plan} ({self.created_at:%-d %B %Y, %H:%M})"
        return f"Pack for {self.meeting} ({self.created_at:%-d %B %Y, %H:%M})"

    def file_name(self):
        if self.kind == self.Kind.SCRUTINY:
            return f"{self.plan.slug}-scrutiny-{self.pk}.pdf"
        return f"{self.plan.slug}-{self.meeting.date:%Y-%m-%d}-{self.pk}.pdf"

    # A meeting belongs to the partnership but its packs to one plan: the pack's pages live
    # under that plan, whichever plan's meeting page lists them.
    def get_absolute_url(self):
        if self.kind == self.Kind.SCRUTINY:
            return reverse("plans:scrutiny_pack", args=[self.plan.slug, self.pk])
        return reverse("plans:pack", args=[self.plan.slug, self.meeting_id, self.pk])

    def get_download_url(self):
        if self.kind == self.Kind.SCRUTINY:
            return reverse("plans:scrutiny_pack_download", args=[self.plan.slug, self.pk])
        return reverse("plans:pack_download", args=[self.plan.slug, self.meeting_id, self.pk])


class PdfRequestQuerySet(models.QuerySet):
    def asked_by(self, user):
        """The prepared PDFs ``user`` asked for: nobody else sees them, whatever their role."""
        return self.filter(created_by=user) if user.is_authenticated else self.none()


def pdf_request_upload_to(instance, filename):
    return f"pdfs/{instance.plan.partnership.slug}/{instance.created_by_id}/{filename}"


class PdfRequest(RenderedPdf):
    """A plan PDF too big to render while the browser waits, prepared in the background for
    the one person who asked (``created_by``), who downloads it from its page. It holds what
    that person may read, and is removed after ``PDF_REQUEST_KEEP_DAYS``."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="pdf_requests")
    file = models.FileField(upload_to=pdf_request_upload_to, blank=True)

    objects = PdfRequestQuerySet.as_manager()

    class Meta(RenderedPdf.Meta):
        pass

    def __str__(self):
        return f"PDF of {self.plan} ({self.created_at:%-d %B %Y, %H:%M})"

    def file_name(self):
        return f"{self.plan.slug}-{self.created_at:%Y-%m-%d}-{self.pk}.pdf"

    def get_absolute_url(self):
        return reverse("plans:pdf_request", args=[self.plan.slug, self.pk])

    def get_download_url(self):
        return reverse("plans:pdf_request_download", args=[self.plan.slug, self.pk])


class ImportJob(models.Model):
    """A large import confirmed on the web and saved by a background task: its progress
    ("rows done of total"), and how it ended. The upload itself is kept in file storage
    (``imports/<upload id>.bin``) until the job has used it."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Failed"

    # Unique: a second click on "confirm" finds the job the first one started.
    upload_id = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State, default=State.PENDING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    digest = models.CharField(max_length=64)
    target = models.JSONField(default=dict)
    filename = models.CharField(max_length=255)
    updates_filename = models.CharField(max_length=255, blank=True)
    errors = models.JSONField(default=list)
    result = models.JSONField(default=dict, help_text="The plan imported into and the counts, once done.")
    task_id = models.CharField(max_length=64, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Import of {self.filename} ({self.get_state_display()})"

    @property
    def working(self):
        return self.state in (self.State.PENDING, self.State.RUNNING)


class RollOverJobQuerySet(models.QuerySet):
    def readable_by(self, user):
        """The roll-overs ``user`` may follow: those they asked for, and every roll-over of a
        partnership they administer (a superuser's: all)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(asked_by=user) | Q(plan__partnership__in=admin_partnerships(user)))

    def working(self):
        return self.filter(state__in=RollOverJob.WORKING)


class RollOverJob(models.Model):
    """A roll-over of more actions than ``ROLL_OVER_DIRECT_MAX_ACTIONS``, confirmed on the web
    and carried by a background task (``plans.roll_over_jobs``): the confirmed choices, and
    how it ended. One at a time per plan: a second is refused while one is queued or
    running."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting"
        RUNNING = "running", "Carrying the actions"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    WORKING = (State.QUEUED, State.RUNNING)

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="roll_over_jobs")
    target = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="roll_over_jobs_into")
    choices = models.JSONField(
        default=dict,
        help_text='The confirmed choices: {"actions": [action ids], "mapping": {source issue id: '
        '"p<priority id>", "i<issue id>" or "same"}}.',
    )
    archive = models.BooleanField(default=False, help_text="Archive the plan once its actions are carried.")
    total = models.PositiveIntegerField(default=0, help_text="The actions to carry, as confirmed.")
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=State, default=State.QUEUED)
    result = models.JSONField(default=dict, help_text="Actions carried and already carried, once done.")
    message = models.TextField(blank=True, help_text="What the asker is told: the outcome, or why it failed.")
    task_id = models.CharField(max_length=64, blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = RollOverJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]), name="roll_over_job_state_valid"
            ),
            # A second confirm (another tab, another admin) cannot queue the plan's actions twice.
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(state__in=["queued", "running"]),
                name="roll_over_job_one_working_per_plan",
            ),
            models.CheckConstraint(condition=~Q(plan=F("target")), name="roll_over_job_into_another_plan"),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running"], finished_at__isnull=True)
                | Q(state__in=["done", "failed"], finished_at__isnull=False),
                name="roll_over_job_finished_when_ended",
            ),
        ]

    def __str__(self):
        return f"Roll-over of {self.plan} into {self.target} ({self.get_state_display()})"

    def get_absolute_url(self):
        return reverse("plans:roll_over_progress", args=[self.plan.slug, self.pk])

    @property
    def working(self):
        return self.state in self.WORKING


class UpdateRound(models.Model):
    """An update round: before a meeting the chair asks the owners of some actions for their
    updates by a deadline. Owners are reminded (``plans.reminders``); at the deadline the
    round closes by itself and a frozen pack of each plan is produced (``plans.rounds``)."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="rounds")
    plans = models.ManyToManyField(ActionPlan, related_name="update_rounds")
    actions = models.ManyToManyField("actions.Action", related_name="update_rounds")
    deadline = models.DateTimeField()
    message = models.TextField(blank=True, help_text="An optional message to the owners, in every reminder.")
    reminder_days = models.JSONField(default=list, help_text="Days before the deadline to remind, e.g. [7, 2].")
    state = models.CharField(max_length=10, choices=State, default=State.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    packs = models.ManyToManyField(MeetingPack, blank=True, related_name="update_rounds")

    history = HistoricalRecords(m2m_fields=[plans, actions])

    class Meta:
        ordering = ["-opened_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=["open", "closed"]), name="round_state_valid"),
            models.CheckConstraint(condition=Q(deadline__gt=F("opened_at")), name="round_deadline_after_opening"),
            models.CheckConstraint(
                condition=Q(state="open", closed_at__isnull=True) | Q(state="closed", closed_at__isnull=False),
                name="round_closed_when_closed_at",
            ),
        ]

    def __str__(self):
        return f"Update round for {self.meeting}"

    @property
    def is_open(self):
        return self.state == self.State.OPEN

    @property
    def opened_on(self):
        return timezone.localdate(self.opened_at)

    @property
    def partnership(self):
        return self.meeting.partnership


class RoundSignOff(models.Model):
    """An owner's "I have updated all my actions" in a round."""

    round = models.ForeignKey(UpdateRound, on_delete=models.CASCADE, related_name="sign_offs")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="round_sign_offs")
    signed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "signed_at"]
        constraints = [models.UniqueConstraint(fields=["round", "user"], name="round_sign_off_once")]

    def __str__(self):
        return f"{self.user} signed off {self.round}"


class SentEmail(models.Model):
    """What ``send_reminders`` (and the tracker's chase button) sent: who, what, when, which round.

    A row is claimed (inserted, committed) *before* the email goes, so two copies of the
    command running at once cannot both send it: ``key`` is unique per person, and a
    reminder is unique per person and day (``is_reminder``). A failed send deletes its claim
    so the next run tries again."""

    class Kind(models.TextChoices):
        OPENING = "opening", "Round opened"
        BEFORE = "before", "Before the deadline"
        MISSED = "missed", "Deadline missed"
        CHASE = "chase", "Chased by the chair"
        CHANGED = "changed", "Deadline changed"
        PACK = "pack", "Pack ready"
        WEEKLY = "weekly", "Weekly stale actions"
        DUTY = "duty", "Statutory duty due"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_emails")
    round = models.ForeignKey(UpdateRound, null=True, blank=True, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(max_length=10, choices=Kind)
    key = models.CharField(max_length=100, help_text="What was sent, e.g. 'round-3-before-7'.")
    is_reminder = models.BooleanField(help_text="Reminders: at most one a person a day.")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=300, blank=True)
    actions = models.PositiveIntegerField(default=0, help_text="How many actions it listed.")

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="sent_email_once"),
            models.UniqueConstraint(
                fields=["user", "day"], condition=Q(is_reminder=True), name="sent_email_one_reminder_a_day"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} ({self.sent_at:%d/%m/%Y %H:%M})"


class PublishedPlanQuerySet(models.QuerySet):
    def public(self):
        """The snapshots the public sees: the current one of each plan (a withdrawn or
        replaced snapshot is not current)."""
        return self.filter(is_current=True, withdrawn_at__isnull=True)


class PublishedPlan(models.Model):
    """A plan as published on its public page: a frozen copy of what the public sees
    (``snapshot``, built by ``plans.publishing.public_snapshot``), taken when an
    administrator published it. Publishing again writes a new row and makes it the
    current one; withdrawing leaves none current. Old rows stay as the record of what
    was public when."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="publications")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    snapshot = models.JSONField(help_text="Exactly what the public page, its CSV and its JSON show.")
    is_current = models.BooleanField(default=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()
    objects = PublishedPlanQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan"], condition=Q(is_current=True), name="published_plan_one_current_per_plan"
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(withdrawn_at__isnull=True),
                name="published_plan_withdrawn_not_current",
            ),
        ]

    def __str__(self):
        return f"{self.plan} published {timezone.localtime(self.published_at):%d/%m/%Y %H:%M}"

    def get_absolute_url(self):
        return reverse("public:plan", args=[self.plan.partnership.slug, self.plan.slug])


from .calendar_models import CalendarFeedToken, StatutoryDuty  # noqa: E402, F401  (the statutory calendar)

# Reviews and their recommendations live in their own module; imported here so that
# ``from plans.models import Review`` works and Django finds the models.
from .review_models import (  # noqa: E402, F401
    Recommendation,
    RecommendationNote,
    Review,
    ReviewKind,
    ReviewMarking,
)


def delete_stored_files(sender, instance, **kwargs):
    """A row's stored files go with it, once its deletion is committed (a rolled-back deletion
    keeps both): a prepared PDF or a pack deleted with its plan, in the admin or by a cascade,
    would otherwise stay in storage for ever, unlisted, with whatever OFFICIAL-SENSITIVE text
    it holds. ``remove_old_pdfs`` deletes a file first; a row without one has nothing here."""
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            stored = getattr(instance, field.attname)
            if stored and stored.name:
                transaction.on_commit(
                    lambda storage=stored.storage, name=stored.name: storage.delete(name), using=kwargs.get("using")
                )


for _model in (MeetingPack, PdfRequest, Recommendation):
    post_delete.connect(delete_stored_files, sender=_model, dispatch_uid=f"plans_{_model.__name__}_files_deleted")
