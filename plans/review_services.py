"""Writing reviews and their recommendations: each a keyword-only function in one
transaction, refusing (``ValidationError``, its message for the page) what may not be done.
Who may call them is the views' question (``plans.access.ReviewRights``)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from actions.authoring import action_create

from .models import Recommendation, RecommendationNote, Review

REVIEW_FIELDS = [
    "reference",
    "kind",
    "title",
    "notified_on",
    "commissioned_on",
    "submitted_to_home_office_on",
    "published_on",
    "chair",
    "status",
    "marking",
]
RECOMMENDATION_FIELDS = [
    "agency",
    "text",
    "case_for_change",
    "learning",
    "evidence_base",
    "due_date",
    "status",
    "reason",
]


def _check_reference(partnership, reference, review):
    taken = Review.objects.filter(partnership=partnership, reference__iexact=reference)
    if review is not None:
        taken = taken.exclude(pk=review.pk)
    if taken.exists():
        raise ValidationError(f"The partnership already has a review “{reference}”: give another reference.")


@transaction.atomic
def review_save(*, partnership, editor, review=None, **fields):
    """Add a review to ``partnership`` or (given ``review``) change it. ``fields`` are
    ``REVIEW_FIELDS``; the reference is unique in the partnership, whatever its case."""
    fields["reference"] = " ".join(fields["reference"].split())
    _check_reference(partnership, fields["reference"], review)
    if review is None:
        review = Review(partnership=partnership)
    else:
        review = Review.objects.select_for_update().get(pk=review.pk)
    for name in REVIEW_FIELDS:
        if name in fields:
            setattr(review, name, fields[name])
    review._history_user = editor
    review.save()
    return review


@transaction.atomic
def review_set_readers(*, review, editor, readers):
    """Name the people of the partnership who may see ``review``'s details; only people
    holding a role in its partnership may be named."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    outsiders = [user for user in readers if not user.roles.filter(partnership_id=review.partnership_id).exists()]
    if outsiders:
        raise ValidationError("Only people of the partnership may be named as readers.")
    review._history_user = editor
    review.readers.set(readers)
    return review


def _check_reason(status, reason):
    if status == Recommendation.Status.NOT_ACCEPTED and not reason.strip():
        raise ValidationError("Give the reason the recommendation was not accepted.")


@transaction.atomic
def recommendation_save(*, review, editor, recommendation=None, **fields):
    """Add a recommendation at the end of ``review`` (numbered one after the last) or (given
    ``recommendation``) change it. ``fields`` are ``RECOMMENDATION_FIELDS``; a recommendation
    not accepted needs its reason."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _check_reason(fields.get("status", Recommendation.Status.AGREED), fields.get("reason", ""))
    if recommendation is None:
        last = review.recommendations.aggregate(last=Max("number"))["last"] or 0
        recommendation = Recommendation(review=review, number=last + 1)
    else:
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk, review=review)
    for name in RECOMMENDATION_FIELDS:
        if name in fields:
            setattr(recommendation, name, fields[name])
    recommendation._history_user = editor
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_add_note(*, recommendation, author, date, text, marking):
    """Add a dated progress note to ``recommendation``; a note is never dated in the future."""
    if date > timezone.localdate():
        raise ValidationError("A progress note cannot be dated in the future.")
    note = RecommendationNote(recommendation=recommendation, author=author, date=date, text=text, marking=marking)
    note._history_user = author
    note.save()
    if recommendation.status == Recommendation.Status.AGREED:
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        recommendation.status = Recommendation.Status.IN_PROGRESS
        recommendation._history_user = author
        recommendation.save(update_fields=["status"])
    return note


@transaction.atomic
def recommendation_record_evidence(*, recommendation, editor, note="", file=None):
    """Record the evidence that ``recommendation`` is implemented: a note, a document, or
    both (a new document replaces the old). The recommendation becomes implemented, to wait
    for someone to accept the evidence."""
    if not note.strip() and file is None:
        raise ValidationError("Describe the evidence or attach a document.")
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status in (Recommendation.Status.EVIDENCE_ACCEPTED, Recommendation.Status.NOT_ACCEPTED):
        raise ValidationError(f"This recommendation is {recommendation.get_status_display().lower()} already.")
    recommendation.evidence_note = note.strip()
    if file is not None:
        old = recommendation.evidence_file.name
        recommendation.evidence_file.save(file.name, file, save=False)
        recommendation.evidence_filename = file.name[:255]
        if old:
            transaction.on_commit(lambda: recommendation.evidence_file.storage.delete(old))
    recommendation.status = Recommendation.Status.IMPLEMENTED
    recommendation._history_user = editor
    recommendation.save()
    return recommendation


@transaction.atomic
def recommendation_accept_evidence(*, recommendation, editor):
    """Accept the evidence of an implemented recommendation: who and when are kept."""
    recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
    if recommendation.status != Recommendation.Status.IMPLEMENTED or not (
        recommendation.evidence_note or recommendation.evidence_file
    ):
        raise ValidationError("Only the evidence of an implemented recommendation can be accepted.")
    recommendation.status = Recommendation.Status.EVIDENCE_ACCEPTED
    recommendation.evidence_accepted_by = editor
    recommendation.evidence_accepted_on = timezone.localdate()
    recommendation._history_user = editor
    recommendation.save(update_fields=["status", "evidence_accepted_by", "evidence_accepted_on"])
    return recommendation


@transaction.atomic
def recommendation_carry(*, recommendation, editor, issue, marking):
    """Carry ``recommendation`` into the action plan: a new action under ``issue`` (of a plan
    of the review's partnership), owned by the recommendation's agency, due when it is due,
    marked ``marking``; linked both ways. Refused when it is carried already."""
    recommendation = Recommendation.objects.select_for_update().select_related("review").get(pk=recommendation.pk)
    if recommendation.action_id:
        raise ValidationError("This recommendation is in the action plan already.")
    if issue.priority.plan.partnership_id != recommendation.review.partnership_id:
        raise ValidationError("Choose an issue of one of the partnership's plans.")
    action = action_create(
        issue=issue,
        author=editor,
        text=recommendation.text,
        marking=marking,
        owner_organisations=[recommendation.agency],
        target_date=recommendation.due_date,
    )
    recommendation.action = action
    recommendation._history_user = editor
    recommendation.save(update_fields=["action"])
    return action
