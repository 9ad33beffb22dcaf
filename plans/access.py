"""Who may see and change plans. Every plan view goes through ``get_plan_for_user``:
the plan's partnership decides (``partners.access``), and lists use
``ActionPlan.objects.for_user``."""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.access import check_partnership_rights

from .models import ActionPlan


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
