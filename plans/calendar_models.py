"""The statutory calendar: the partnership's yearly duties with their dates, owners and
evidence (issue 16), and the secret addresses of its ``.ics`` feed.

Imported at the end of ``plans.models`` so Django finds the models in the plans app.
"""

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models import Partnership


class StatutoryDutyQuerySet(models.QuerySet):
    def done(self):
        return self.filter(done_on__isnull=False)

    def not_done(self):
        return self.filter(done_on__isnull=True)

    def overdue(self, *, today=None):
        return self.not_done().filter(due_date__lt=today or timezone.localdate())

    def upcoming(self, *, today=None):
        return self.not_done().filter(due_date__gte=today or timezone.localdate())

    def owned_by(self, user):
        """The duties ``user`` owns in partnerships where they still hold a role (where they may
        mark them done)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(owner=user, partnership_id__in=user.partnership_ids())

    def met(self):
        """Done by their due date."""
        return self.done().filter(done_on__lte=models.F("due_date"))

    def missed(self, *, today=None):
        """Done late, or past their date and still not done."""
        return self.filter(
            Q(done_on__gt=models.F("due_date")) | Q(done_on__isnull=True, due_date__lt=today or timezone.localdate())
        )


class StatutoryDuty(models.Model):
    """A duty the partnership must meet by a date: the strategic assessment, the plan's
    refresh, sending the plan to the Police and Crime Commissioner, the scrutiny committee's
    review, the Serious Violence Duty strategy's review, or another. Yearly duties come
    again: marking one done offers next year's (``calendar_services.duty_repeat``)."""

    class Kind(models.TextChoices):
        STRATEGIC_ASSESSMENT = "strategic_assessment", "Strategic assessment"
        PLAN_REFRESH = "plan_refresh", "Partnership plan refreshed"
        PLAN_TO_PCC = "plan_to_pcc", "Plan sent to the Police and Crime Commissioner"
        SCRUTINY_REVIEW = "scrutiny_review", "Crime and disorder scrutiny committee review"
        SERIOUS_VIOLENCE_STRATEGY_REVIEW = "serious_violence_strategy_review", "Serious Violence Duty strategy review"
        OTHER = "other", "Other duty"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="statutory_duties")
    kind = models.CharField(max_length=40, choices=Kind)
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="statutory_duties",
        help_text="A member of the partnership; reminded before the due date.",
    )
    notes = models.TextField(blank=True)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.CharField(
        max_length=500, blank=True, help_text="What shows it was done, e.g. the link to the committee's minutes."
    )
    reminder_sent_for = models.DateField(
        null=True, blank=True, help_text="The due date the owner was reminded of: one reminder a date."
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = StatutoryDutyQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name_plural = "statutory duties"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "strategic_assessment",
                        "plan_refresh",
                        "plan_to_pcc",
                        "scrutiny_review",
                        "serious_violence_strategy_review",
                        "other",
                    ]
                ),
                name="statutory_duty_kind_valid",
            ),
            # Evidence and who did it belong to a duty done.
            models.CheckConstraint(
                condition=Q(done_on__isnull=False) | Q(done_by__isnull=True, evidence=""),
                name="statutory_duty_evidence_when_done",
            ),
            # The standard duties once a date: "Add this year's duties" and "next year's" twice add nothing.
            models.UniqueConstraint(
                fields=["partnership", "kind", "due_date"],
                condition=~Q(kind="other"),
                name="statutory_duty_once_a_date",
            ),
        ]

    def __str__(self):
        return f"{self.title} (by {self.due_date:%-d %B %Y})"

    def get_absolute_url(self):
        return reverse("plans:calendar", args=[self.partnership.slug]) + f"#duty-{self.pk}"

    @property
    def is_done(self):
        return self.done_on is not None

    def is_overdue(self, *, today=None):
        return not self.is_done and self.due_date < (today or timezone.localdate())

    @property
    def was_met(self):
        """Done by its date (None while not done)."""
        return None if self.done_on is None else self.done_on <= self.due_date

    def next_due_date(self):
        """The same date a year later (28 February for 29 February)."""
        try:
            return self.due_date.replace(year=self.due_date.year + 1)
        except ValueError:
            return self.due_date.replace(year=self.due_date.year + 1, day=28)


def _hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class CalendarFeedToken(models.Model):
    """A person's secret address of a partnership's calendar feed, for Outlook or another
    calendar to subscribe to without signing in. Only its hash is kept; a new one revokes the
    old. The feed answers while the person holds a role in the partnership."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="calendar_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "partnership"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_token_one_active",
            ),
        ]

    def __str__(self):
        state = "revoked" if self.revoked_at else "active"
        return f"Calendar feed of {self.partnership} for {self.user} ({state})"

    @staticmethod
    def new_token():
        raw = "cal_" + secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash_token(raw):
        return _hash_token(raw)


# How many days before a duty's date its owner is reminded (once) is the partnership's
# setting (``Partnership.duty_reminder_days``, 14 unless changed); at most this many.
LONGEST_DUTY_REMINDER_DAYS = 90
