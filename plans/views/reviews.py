"""Reviews the partnership commissions and their recommendations (see ``plans.review_models``
for who sees what). Every page of one review goes through ``get_review_for_user``; the list
and the tracker through ``Review.objects.visible_to`` / ``readable_by``."""

import csv
import io
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.access import get_partnership_for_user
from partners.fields import format_date
from partners.pdf import RenderFailed, stored_pdf
from partners.slots import SlotsBusy
from partners.views.forms import form_page

from .. import review_services as services
from ..access import get_review_for_user
from ..models import Recommendation, RecommendationNote, Review, ReviewMarking
from ..review_forms import CarryForm, EvidenceForm, NoteForm, ReadersForm, RecommendationForm, ReviewForm
from ..review_models import FINISHED_RECOMMENDATION_STATUSES
from ..transfer.columns import csv_safe

FORM = "plans/reviews/form.html"


def _list_url(partnership):
    return reverse("plans:reviews", args=[partnership.slug])


def _recommendation(review, rec_pk):
    return get_object_or_404(
        Recommendation.objects.select_related("agency", "action", "review__partnership"), pk=rec_pk, review=review
    )


def _counts(queryset, today):
    open_ = ~Q(recommendations__status__in=FINISHED_RECOMMENDATION_STATUSES)
    return queryset.annotate(
        recommendation_count=Count("recommendations"),
        open_count=Count("recommendations", filter=open_),
        overdue_count=Count("recommendations", filter=open_ & Q(recommendations__due_date__lt=today)),
    )


@login_required
@require_safe
def review_list(request, slug):
    """The partnership's reviews: every member sees each one's reference, kind, status and
    counts; its title and page only those who may read it."""
    partnership, rights = get_partnership_for_user(request, slug)
    today = timezone.localdate()
    reviews = _counts(
        Review.objects.visible_to(request.user).filter(partnership=partnership).select_related("kind"), today
    )
    readable = set(
        Review.objects.readable_by(request.user).filter(partnership=partnership).values_list("pk", flat=True)
    )
    return render(
        request,
        "plans/reviews/list.html",
        {
            "partnership": partnership,
            "reviews": reviews,
            "readable": readable,
            "is_admin": rights.is_admin,
            "page_title": f"Reviews: {partnership.name}",
        },
    )


def _review_initial(review):
    return {name: getattr(review, name) for name in services.REVIEW_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def review_add(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    form = ReviewForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        partnership,
        form,
        partial(services.review_save, partnership=partnership, editor=request.user),
        saved=lambda review: f"Review {review.reference} added. Name who else may see it under “Readers”.",
        next_url=lambda review: review.get_absolute_url(),
        error_field="reference",
        title="Add a review",
        cancel_url=_list_url(partnership),
        template=FORM,
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, slug, pk):
    review, _ = get_review_for_user(request, slug, pk, for_manage=True)
    form = ReviewForm(request.POST or None, partnership=review.partnership, initial=_review_initial(review))
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.review_save, partnership=review.partnership, editor=request.user, review=review),
        saved=f"Review {review.reference} saved.",
        next_url=review.get_absolute_url(),
        error_field="reference",
        title=f"Change review {review.reference}",
        cancel_url=review.get_absolute_url(),
        template=FORM,
        review=review,
    )


@login_required
@require_safe
def review_detail(request, slug, pk):
    """A review with its recommendations, their notes, evidence and linked actions."""
    review, rights = get_review_for_user(request, slug, pk)
    notes = RecommendationNote.objects.readable_by(request.user).select_related("author").order_by("date", "id")
    recommendations = review.recommendations.select_related(
        "agency", "action", "evidence_accepted_by"
    ).prefetch_related(Prefetch("notes", queryset=notes, to_attr="readable_notes"))
    return render(
        request,
        "plans/reviews/detail.html",
        {
            "partnership": review.partnership,
            "review": review,
            "rights": rights,
            "recommendations": recommendations,
            "readers": review.readers.order_by("first_name", "last_name", "username"),
            "today": timezone.localdate(),
            "page_title": f"Review {review.reference}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_readers(request, slug, pk):
    review, _ = get_review_for_user(request, slug, pk, for_manage=True)
    form = ReadersForm(request.POST or None, partnership=review.partnership, initial={"readers": review.readers.all()})
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.review_set_readers, review=review, editor=request.user),
        saved=f"Readers of review {review.reference} saved.",
        next_url=review.get_absolute_url(),
        title=f"Who may see review {review.reference}",
        cancel_url=review.get_absolute_url(),
        template=FORM,
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, slug, pk):
    review, _ = get_review_for_user(request, slug, pk, for_manage=True)
    form = RecommendationForm(request.POST or None, partnership=review.partnership)
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.recommendation_save, review=review, editor=request.user),
        saved=lambda rec: f"Recommendation {rec.number} added.",
        next_url=lambda rec: rec.get_absolute_url(),
        title=f"Add a recommendation to review {review.reference}",
        intro="Good recommendations are CLEAR: a case for change, learning oriented, evidence based, "
        "assigned to an agency and reviewed. Only the agency and what it asks are required.",
        cancel_url=review.get_absolute_url(),
        template=FORM,
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_edit(request, slug, pk, rec_pk):
    review, _ = get_review_for_user(request, slug, pk, for_manage=True)
    recommendation = _recommendation(review, rec_pk)
    initial = {name: getattr(recommendation, name) for name in services.RECOMMENDATION_FIELDS}
    form = RecommendationForm(request.POST or None, partnership=review.partnership, initial=initial)
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.recommendation_save, review=review, editor=request.user, recommendation=recommendation),
        saved=f"Recommendation {recommendation.number} saved.",
        next_url=recommendation.get_absolute_url(),
        error_field="reason",
        title=f"Change recommendation {recommendation.number} of review {review.reference}",
        cancel_url=recommendation.get_absolute_url(),
        template=FORM,
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_note_add(request, slug, pk, rec_pk):
    review, _ = get_review_for_user(request, slug, pk, for_notes=True)
    recommendation = _recommendation(review, rec_pk)
    form = NoteForm(
        request.POST or None, initial={"date": format_date(timezone.localdate()), "marking": review.marking}
    )
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.recommendation_add_note, recommendation=recommendation, author=request.user),
        saved="Progress note added.",
        next_url=recommendation.get_absolute_url(),
        error_field="date",
        title=f"Add a progress note to recommendation {recommendation.number}",
        cancel_url=recommendation.get_absolute_url(),
        template=FORM,
        review=review,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_evidence(request, slug, pk, rec_pk):
    """Record the evidence of completion: a note, a document (type and size checked), or both."""
    review, _ = get_review_for_user(request, slug, pk, for_notes=True)
    recommendation = _recommendation(review, rec_pk)
    form = EvidenceForm(request.POST or None, request.FILES or None, initial={"note": recommendation.evidence_note})
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.recommendation_record_evidence, recommendation=recommendation, editor=request.user),
        saved="Evidence recorded: it waits to be accepted.",
        next_url=recommendation.get_absolute_url(),
        title=f"Evidence for recommendation {recommendation.number} of review {review.reference}",
        cancel_url=recommendation.get_absolute_url(),
        template=FORM,
        review=review,
        multipart=True,
    )


@login_required
@require_safe
def recommendation_evidence_download(request, slug, pk, rec_pk):
    review, _ = get_review_for_user(request, slug, pk)
    recommendation = _recommendation(review, rec_pk)
    if not recommendation.evidence_file:
        raise Http404("No document")
    return FileResponse(
        recommendation.evidence_file.open("rb"),
        as_attachment=True,
        filename=recommendation.evidence_filename or "evidence",
    )


@login_required
@require_POST
def recommendation_accept(request, slug, pk, rec_pk):
    """Accept the evidence (administrators, and named readers who chair)."""
    review, rights = get_review_for_user(request, slug, pk)
    if not rights.may_accept_evidence:
        raise PermissionDenied("Only an administrator or a named reader who chairs may accept evidence.")
    recommendation = _recommendation(review, rec_pk)
    try:
        services.recommendation_accept_evidence(recommendation=recommendation, editor=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(recommendation.get_absolute_url())
    messages.success(request, f"The evidence for recommendation {recommendation.number} is accepted.")
    return redirect(recommendation.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_carry(request, slug, pk, rec_pk):
    """Carry a recommendation into the action plan as an action (administrators)."""
    review, _ = get_review_for_user(request, slug, pk, for_manage=True)
    recommendation = _recommendation(review, rec_pk)
    if recommendation.action_id:
        messages.error(request, "This recommendation is in the action plan already.")
        return redirect(recommendation.get_absolute_url())
    form = CarryForm(request.POST or None, partnership=review.partnership, initial={"marking": review.marking})
    return form_page(
        request,
        review.partnership,
        form,
        partial(services.recommendation_carry, recommendation=recommendation, editor=request.user),
        saved=f"Recommendation {recommendation.number} is now an action of the plan.",
        next_url=lambda action: action.get_absolute_url(),
        error_field="issue",
        title=f"Carry recommendation {recommendation.number} into the action plan",
        intro="A new action, owned by the agency and due when the recommendation is due, linked both ways.",
        cancel_url=recommendation.get_absolute_url(),
        template=FORM,
        review=review,
        submit_label="Add the action",
    )


def tracker_rows(user, partnership, today):
    """Every open recommendation of the reviews the user may read: by agency, overdue first."""
    rows = list(
        Recommendation.objects.readable_by(user)
        .filter(review__partnership=partnership)
        .open()
        .select_related("agency", "review__kind", "review__partnership", "action")
        .order_by("agency__name", "due_date", "review__reference", "number")
    )
    for row in rows:
        row.overdue = row.is_overdue(today)
    return sorted(rows, key=lambda r: (r.agency.name.casefold(), not r.overdue))


@login_required
@require_safe
def review_tracker(request, slug):
    partnership, _ = get_partnership_for_user(request, slug)
    today = timezone.localdate()
    rows = tracker_rows(request.user, partnership, today)
    agencies = {}
    for row in rows:
        agencies.setdefault(row.agency, []).append(row)
    return render(
        request,
        "plans/reviews/tracker.html",
        {
            "partnership": partnership,
            "agencies": agencies.items(),
            "count": len(rows),
            "overdue": sum(row.overdue for row in rows),
            "page_title": f"Review tracker: {partnership.name}",
        },
    )


CSV_HEADINGS = [
    "Agency",
    "Review",
    "Kind",
    "Recommendation",
    "What it asks",
    "Due date",
    "Status",
    "Overdue",
    "Marking",
]


@login_required
@require_safe
def review_tracker_csv(request, slug):
    """The tracker as CSV: the same rows, scoped the same way."""
    partnership, _ = get_partnership_for_user(request, slug)
    today = timezone.localdate()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADINGS)
    for row in tracker_rows(request.user, partnership, today):
        writer.writerow(
            [
                row.agency.name,
                row.review.reference,
                row.review.kind.name,
                row.number,
                csv_safe(row.text),
                row.due_date.isoformat() if row.due_date else "",
                row.get_status_display(),
                "Yes" if row.overdue else "No",
                ReviewMarking(row.review.marking).label,
            ]
        )
    response = HttpResponse(("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{partnership.slug}-review-tracker.csv"'
    return response


def _readable_notes(user):
    notes = RecommendationNote.objects.readable_by(user).order_by("date", "id")
    return Prefetch("notes", queryset=notes, to_attr="readable_notes")


def _pdf(request, partnership, html, *, key, filename):
    """The PDF of ``html`` (rendered in this process within its time and memory limits, kept
    by the HTML's digest), or the page that says to try again when every render slot is
    taken, or why the render failed."""
    context = {"partnership": partnership, "page_title": "The PDF is not ready"}
    try:
        pdf = stored_pdf(html, key=key)
    except SlotsBusy:
        response = render(request, "plans/reviews/pdf_busy.html", context, status=503)
        response["Retry-After"] = str(settings.PDF_DIRECT_TIMEOUT)
        return response
    except RenderFailed as error:  # out of memory, or stopped by its time or memory limit
        return render(request, "plans/reviews/pdf_busy.html", {**context, "failed": error}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _pdf_context(partnership, *, title, marking, intro, groups, review=None):
    produced_at = timezone.localtime()
    return {
        "partnership": partnership,
        "title": title,
        "marking": marking,
        "intro": intro,
        "groups": groups,
        "review": review,
        "produced_at": produced_at,
        "produced": f"Produced {produced_at:%d/%m/%Y %H:%M}",
    }


@login_required
@require_safe
def review_pdf(request, slug, pk):
    """The review's action plan as a landscape PDF (the form reviewers attach to a report)."""
    review, _ = get_review_for_user(request, slug, pk)
    today = timezone.localdate()
    rows = list(
        review.recommendations.select_related("agency", "action").prefetch_related(_readable_notes(request.user))
    )
    for row in rows:
        row.overdue = row.is_overdue(today)
    context = _pdf_context(
        review.partnership,
        title=f"Review {review.reference}: action plan",
        marking=review.get_marking_display(),
        intro=f"{len(rows)} recommendation{'s' if len(rows) != 1 else ''}.",
        groups=[{"heading": f"{review.reference}: {review.kind.name}", "rows": rows}] if rows else [],
        review=review,
    )
    html = render_to_string("plans/reviews/pdf.html", context)
    filename = f"{review.partnership.slug}-review-{review.pk}-{today:%Y-%m-%d}.pdf"
    return _pdf(request, review.partnership, html, key=f"review-{review.pk}-{request.user.pk}", filename=filename)


@login_required
@require_safe
def review_tracker_pdf(request, slug):
    """The tracker as a PDF: the same rows, by agency, overdue first."""
    partnership, _ = get_partnership_for_user(request, slug)
    today = timezone.localdate()
    rows = tracker_rows(request.user, partnership, today)
    by_pk = {row.pk: row for row in rows}
    notes = RecommendationNote.objects.readable_by(request.user).filter(recommendation__in=list(by_pk))
    for row in rows:
        row.readable_notes = []
    for note in notes.order_by("date", "id"):
        by_pk[note.recommendation_id].readable_notes.append(note)
    groups = {}
    for row in rows:
        groups.setdefault(row.agency.name, []).append(row)
    sensitive = any(row.review.is_sensitive for row in rows)
    context = _pdf_context(
        partnership,
        title="Review tracker",
        marking=ReviewMarking.OFFICIAL_SENSITIVE.label if sensitive else ReviewMarking.OFFICIAL.label,
        intro=f"{len(rows)} open recommendation{'s' if len(rows) != 1 else ''}, "
        f"{sum(row.overdue for row in rows)} overdue, by agency.",
        groups=[{"heading": name, "rows": agency_rows} for name, agency_rows in groups.items()],
    )
    html = render_to_string("plans/reviews/pdf.html", context)
    filename = f"{partnership.slug}-review-tracker-{today:%Y-%m-%d}.pdf"
    return _pdf(
        request, partnership, html, key=f"review-tracker-{partnership.slug}-{request.user.pk}", filename=filename
    )
