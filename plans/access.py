"""Who may see and change plans. Every plan view goes through ``get_plan_for_user``:
the plan's partnership decides (``partners.access``), and lists use
``ActionPlan.objects.for_user``."""

from dataclasses import dataclass, replace

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.access import check_partnership_rights, partnership_role
from partners.models import Role

from .models import ActionPlan, Review, RollOverJob


def get_plan_for_user(request, slug, *, for_admin=False, queryset=None):
    """``(plan, rights)`` for the plan named by ``slug`` if the user holds a role in its
    partnership: 404 for outsiders and, for a draft, for officers
    (``ActionPlan.is_hidden_from``); 403 when ``for_admin`` and the user is not a
    partnership admin. ``rights`` is the user's ``PartnershipRights`` there (``archived``
    when the plan is); the request's current partnership is set."""
    queryset = queryset if queryset is not None else ActionPlan.objects.select_related("partnership")
    try:
        plan = queryset.get(slug=slug)
    except ActionPlan.DoesNotExist:
        raise Http404("No such plan") from None
    try:
        rights = check_partnership_rights(request, plan.partnership)
    except Http404:
        raise Http404("No such plan") from None
    if plan.is_hidden_from(rights.role):
        raise Http404("No such plan")
    if for_admin and not rights.is_admin:
        raise PermissionDenied("Only a partnership administrator may do this.")
    return plan, replace(rights, archived=plan.is_archived)


def get_plan_for_author(request, slug, *, queryset=None):
    """``get_plan_for_user`` for the pages that write the plan's priorities and issues:
    403 unless the user may author it (``PartnershipRights.may_author``) and it is not
    archived."""
    plan, rights = get_plan_for_user(request, slug, queryset=queryset)
    if plan.is_archived:
        raise PermissionDenied("This plan is archived: nothing in it can be changed.")
    if not rights.may_author:
        raise PermissionDenied("Only a partnership administrator may change this plan.")
    return plan, rights


def get_roll_over_job_for_user(request, slug, pk):
    """``(job, rights)`` for the background roll-over ``pk`` of the plan ``slug``: followed by
    whoever asked for it and the partnership's administrators
    (``RollOverJob.objects.readable_by``). 404 as for the plan (``get_plan_for_user``) and
    for a job of another plan; 403 for the partnership's other members."""
    plan, rights = get_plan_for_user(request, slug)
    jobs = RollOverJob.objects.filter(plan=plan)
    job = jobs.readable_by(request.user).select_related("target__partnership", "asked_by").filter(pk=pk).first()
    if job is None:
        if jobs.filter(pk=pk).exists():
            raise PermissionDenied("Only whoever asked for this roll-over and the administrators may follow it.")
        raise Http404("No such roll-over")
    job.plan = plan
    return job, rights


@dataclass(frozen=True)
class ReviewRights:
    """What one user may do with one review (worked out once, by ``get_review_for_user``).

    Details are for the partnership's administrators and the readers it names (every member
    for a review marked OFFICIAL: ``Review.objects.readable_by``). Readers add progress
    notes and evidence; administrators change the review, its recommendations and readers,
    and carry recommendations into a plan; evidence is accepted by an administrator or by a
    named reader who chairs."""

    role: str | None
    is_reader: bool = False

    @property
    def is_admin(self):
        return self.role == Role.Kind.ADMIN

    @property
    def may_manage(self):
        return self.is_admin

    @property
    def may_write_notes(self):
        return self.is_admin or self.is_reader

    @property
    def may_accept_evidence(self):
        return self.is_admin or (self.is_reader and self.role == Role.Kind.CHAIR)


def review_rights(user, review):
    """``ReviewRights`` of ``user`` for ``review`` (no check that they may read it)."""
    role = partnership_role(user, review.partnership_id)
    is_reader = user.is_authenticated and review.readers.filter(pk=user.pk).exists()
    return ReviewRights(role=role, is_reader=is_reader)


def get_review_for_user(request, slug, pk, *, for_manage=False, for_notes=False):
    """``(review, rights)`` for review ``pk`` of the partnership ``slug`` if the user may read
    its details (``Review.objects.readable_by``): 404 for everybody else, members included,
    who must not learn more than the list shows; 403 when ``for_manage`` and not an
    administrator, or ``for_notes`` and neither administrator nor named reader. Sets the
    request's current partnership."""
    try:
        review = (
            Review.objects.readable_by(request.user)
            .select_related("partnership", "kind")
            .get(pk=pk, partnership__slug=slug)
        )
    except (Review.DoesNotExist, ValueError, TypeError):
        raise Http404("No such review") from None
    rights = review_rights(request.user, review)
    if for_manage and not rights.may_manage:
        raise PermissionDenied("Only a partnership administrator may do this.")
    if for_notes and not rights.may_write_notes:
        raise PermissionDenied("Only the administrators and the readers the partnership names may do this.")
    request.current_partnership = review.partnership
    return review, rights
