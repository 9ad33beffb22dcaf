"""Reviews the partnership commissions (Domestic Homicide / Domestic Abuse Related Death
Reviews, Offensive Weapons Homicide Reviews, ASB Case Reviews, ...) and their recommendations.

Who sees what (one place: ``ReviewQuerySet.readable_by``): every member of the partnership
sees that a review exists (its reference, kind, status and counts); its details (title,
dates, chair, recommendations, notes, evidence) only the partnership's administrators and
the people it names as readers, unless the review is marked OFFICIAL, when every member may.
A chair is not a reader unless named.

Imported at the end of ``plans.models`` so ``from plans.models import Review`` works. The
link to an action is a string foreign key: this module does not import ``actions``.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models import Organisation, Partnership, Role


class ReviewMarking(models.TextChoices):
    """The values of ``actions.models.Marking`` (a test keeps them equal): plans does not
    import actions' models, which import plans'."""

    OFFICIAL = "official", "OFFICIAL"
    OFFICIAL_SENSITIVE = "official_sensitive", "OFFICIAL-SENSITIVE"


MARKING_VALUES = [value for value, _ in ReviewMarking.choices]


class ReviewKindQuerySet(models.QuerySet):
    def offered_to(self, partnership):
        """The kinds a partnership may choose: those offered to every partnership and its own."""
        return self.filter(Q(partnership__isnull=True) | Q(partnership=partnership))


class ReviewKind(models.Model):
    """A kind of review ("Domestic Abuse Related Death Review"). Without a partnership it is
    offered to every partnership; an administrator may add kinds of their own."""

    partnership = models.ForeignKey(
        Partnership,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="review_kinds",
        help_text="Leave empty to offer the kind to every partnership.",
    )
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=20, blank=True, help_text='Starts its references, e.g. "DHR".')
    legislation = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()
    objects = ReviewKindQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reviews of the partnerships where the user holds a role: their summary (reference,
        kind, status, counts) only. Details need ``readable_by``."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(partnership_id__in=user.partnership_ids())

    def readable_by(self, user):
        """Reviews whose details the user may read: in a partnership where they hold a role,
        and they administer it, or are named as a reader, or the review is only OFFICIAL."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        named = Review.readers.through.objects.filter(user_id=user.pk).values("review_id")
        return self.visible_to(user).filter(
            Q(marking=ReviewMarking.OFFICIAL)
            | Q(partnership_id__in=user.partnership_ids(Role.Kind.ADMIN))
            | Q(pk__in=named)
        )


class Review(models.Model):
    """A review the partnership commissions, e.g. "DHR 2025/03"."""

    class Status(models.TextChoices):
        NOTIFIED = "notified", "Notified"
        COMMISSIONED = "commissioned", "Commissioned"
        IN_PROGRESS = "in_progress", "In progress"
        SUBMITTED = "submitted", "Submitted to the Home Office"
        PUBLISHED = "published", "Published"
        CLOSED = "closed", "Closed"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="reviews")
    reference = models.CharField(max_length=40, help_text='For example "DHR 2025/03".')
    kind = models.ForeignKey(ReviewKind, on_delete=models.PROTECT, related_name="reviews")
    title = models.CharField(max_length=300, blank=True)
    notified_on = models.DateField("Notified on", null=True, blank=True)
    commissioned_on = models.DateField("Commissioned on", null=True, blank=True)
    submitted_to_home_office_on = models.DateField("Submitted to the Home Office on", null=True, blank=True)
    published_on = models.DateField("Published on", null=True, blank=True)
    chair = models.CharField("Independent chair", max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.NOTIFIED)
    marking = models.CharField(
        "Protective marking",
        max_length=20,
        choices=ReviewMarking,
        default=ReviewMarking.OFFICIAL_SENSITIVE,
        help_text="OFFICIAL-SENSITIVE details are shown only to the administrators and the readers named.",
    )
    readers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="readable_reviews",
        help_text="People of the partnership who may see the review's details.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords(m2m_fields=[readers])
    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["partnership", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "reference"], name="review_reference_unique"),
            models.CheckConstraint(
                condition=Q(status__in=["notified", "commissioned", "in_progress", "submitted", "published", "closed"]),
                name="review_status_valid",
            ),
            models.CheckConstraint(condition=Q(marking__in=MARKING_VALUES), name="review_marking_valid"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("plans:review", args=[self.partnership.slug, self.pk])

    @property
    def is_sensitive(self):
        return self.marking == ReviewMarking.OFFICIAL_SENSITIVE


# A recommendation in one of these states needs nothing more: the tracker leaves it out.
FINISHED_RECOMMENDATION_STATUSES = ["implemented", "evidence_accepted", "not_accepted"]


class RecommendationQuerySet(models.QuerySet):
    def readable_by(self, user):
        return self.filter(review__in=Review.objects.readable_by(user).order_by().values("pk"))

    def open(self):
        return self.exclude(status__in=FINISHED_RECOMMENDATION_STATUSES)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())


def evidence_upload_to(instance, filename):
    """A random name under the review: the uploader's file name is kept only in
    ``evidence_filename`` (it may say who the review is about)."""
    extension = os.path.splitext(filename)[1].lower()
    return f"reviews/{instance.review_id}/{uuid.uuid4().hex}{extension}"


class Recommendation(models.Model):
    """A recommendation of a review to one agency, and how it is carried out."""

    class Status(models.TextChoices):
        AGREED = "agreed", "Agreed"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        EVIDENCE_ACCEPTED = "evidence_accepted", "Evidence accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    agency = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="review_recommendations")
    text = models.TextField("What it asks")
    # The CLEAR parts (assigned = agency; reviewed = the progress notes): optional.
    case_for_change = models.TextField("Case for change", blank=True)
    learning = models.TextField("Learning it carries", blank=True)
    evidence_base = models.TextField("Evidence base", blank=True)
    due_date = models.DateField("Due date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.AGREED)
    reason = models.TextField("Reason", blank=True, help_text="Why it was not accepted (required then).")
    evidence_note = models.TextField("Evidence of completion", blank=True)
    evidence_file = models.FileField(upload_to=evidence_upload_to, blank=True, max_length=200)
    evidence_filename = models.CharField(max_length=255, blank=True)
    evidence_accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence_accepted_on = models.DateField(null=True, blank=True)
    action = models.OneToOneField(
        "actions.Action", null=True, blank=True, on_delete=models.SET_NULL, related_name="recommendation"
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["review", "number", "id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="recommendation_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendation_number_positive"),
            models.CheckConstraint(
                condition=Q(status__in=["agreed", "in_progress", "implemented", "evidence_accepted", "not_accepted"]),
                name="recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="not_accepted") | ~Q(reason=""), name="recommendation_not_accepted_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.review.reference}, recommendation {self.number}"

    def get_absolute_url(self):
        return reverse("plans:review", args=[self.review.partnership.slug, self.review_id]) + f"#rec-{self.number}"

    @property
    def is_open(self):
        return self.status not in FINISHED_RECOMMENDATION_STATUSES

    def is_overdue(self, today=None):
        return self.is_open and self.due_date is not None and self.due_date < (today or timezone.localdate())


class RecommendationNoteQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Notes of recommendations the user may read; an OFFICIAL-SENSITIVE note of an
        OFFICIAL review only for its administrators and named readers."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        named = Review.readers.through.objects.filter(user_id=user.pk).values("review_id")
        readable = Recommendation.objects.readable_by(user).order_by().values("pk")
        return self.filter(recommendation__in=readable).filter(
            Q(marking=ReviewMarking.OFFICIAL)
            | Q(recommendation__review__partnership_id__in=user.partnership_ids(Role.Kind.ADMIN))
            | Q(recommendation__review_id__in=named)
        )


class RecommendationNote(models.Model):
    """A dated progress note on a recommendation (the "reviewed" of CLEAR)."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField("Date of note")
    text = models.TextField("What has happened")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marking = models.CharField(
        "Protective marking", max_length=20, choices=ReviewMarking, default=ReviewMarking.OFFICIAL_SENSITIVE
    )
    created_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()
    objects = RecommendationNoteQuerySet.as_manager()

    class Meta:
        ordering = ["recommendation", "date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(marking__in=MARKING_VALUES), name="recommendation_note_marking_valid"),
        ]

    def __str__(self):
        return f"{self.date:%d/%m/%Y} – {self.text[:60]}"
