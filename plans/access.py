"""Who may see and change plans. Every plan view goes through ``get_plan_for_user``."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from partners.models import Role

from .models import ActionPlan


def plans_for_user(user):
    """Plans of the partnerships in which the user holds a role."""
    if not user.is_authenticated:
        return ActionPlan.objects.none()
    if user.is_superuser:
        return ActionPlan.objects.all()
    return ActionPlan.objects.filter(partnership_id__in=user.partnership_ids())


def plan_role(user, plan):
    """The user's role in the plan's partnership ("officer", "chair", "admin") or None."""
    if user.is_superuser:
        return Role.Kind.ADMIN
    return user.role_in(plan.partnership_id)


def can_view_plan(user, plan):
    return user.is_authenticated and plan_role(user, plan) is not None


def can_admin_plan(user, plan):
    return plan_role(user, plan) == Role.Kind.ADMIN


def get_plan_for_user(request, slug, *, for_admin=False, queryset=None):
    """The plan named by ``slug`` if the user may see it: 404 for outsiders, 403 when
    ``for_admin`` and the user is not a partnership admin."""
    queryset = queryset if queryset is not None else ActionPlan.objects.select_related("partnership")
    try:
        plan = queryset.get(slug=slug)
    except ActionPlan.DoesNotExist:
        raise Http404("No such plan") from None
    role = plan_role(request.user, plan)
    if role is None:
        raise Http404("No such plan")
    if for_admin and role != Role.Kind.ADMIN:
        raise PermissionDenied("Only a partnership administrator may do this.")
    return plan
