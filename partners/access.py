"""Who may see and manage a partnership's directory, people and groups.

Every partners view goes through ``get_partnership_for_user``: outsiders get a 404
(they must not learn the partnership's pages exist), members without the admin
role get a 403 on admin pages. An admin manages only their own partnership.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Partnership, Role


def partnership_role(user, partnership):
    """The user's role in ``partnership`` ("officer", "chair", "admin") or None."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.Kind.ADMIN
    return user.role_in(partnership)


def is_partnership_admin(user, partnership):
    return partnership_role(user, partnership) == Role.Kind.ADMIN


def admin_partnerships(user):
    """Partnerships the user administers."""
    if not user.is_authenticated:
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    return Partnership.objects.filter(roles__user=user, roles__role=Role.Kind.ADMIN)


def get_partnership_for_user(request, slug, *, for_admin=False, nav_section=None):
    """The partnership named by ``slug`` if the user holds a role in it: 404 otherwise;
    with ``for_admin``, 403 unless the user is its administrator (or a superuser).

    Sets ``request.current_partnership`` so the header names it, and ``nav_section``
    (a NAVIGATION label) when the page belongs to another header entry than its URL says.
    """
    try:
        partnership = Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None
    role = partnership_role(request.user, partnership)
    if role is None:
        raise Http404("No such partnership")
    if for_admin and role != Role.Kind.ADMIN:
        raise PermissionDenied("Only the partnership administrator may do this.")
    request.current_partnership = partnership
    request.partnership_role = role
    if nav_section:
        request.nav_section = nav_section
    return partnership
