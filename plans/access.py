"""Who may see and change plans. Every plan view goes through ``get_plan_for_user``:
the plan's partnership decides (``partners.access``), and lists use
``ActionPlan.objects.for_user``."""

from dataclasses import replace

from django.http import Http404

from partners.access import check_partnership_rights

from .models import ActionPlan


def get_plan_for_user(request, slug, *, for_admin=False, queryset=None):
    """``(plan, rights)`` for the plan named by ``slug`` if the user holds a role in its
    partnership: 404 for outsiders, 403 when ``for_admin`` and the user is not a
    partnership admin. ``rights`` is the user's ``PartnershipRights`` there (``archived``
    when the plan is); the request's current partnership is set."""
    queryset = queryset if queryset is not None else ActionPlan.objects.select_related("partnership")
    try:
        plan = queryset.get(slug=slug)
    except ActionPlan.DoesNotExist:
        raise Http404("No such plan") from None
    try:
        rights = check_partnership_rights(request, plan.partnership, for_admin=for_admin)
    except Http404:
        raise Http404("No such plan") from None
    return plan, replace(rights, archived=plan.is_archived)
