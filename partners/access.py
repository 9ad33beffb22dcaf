"""Who may see and manage a partnership's directory, people, teams and groups.

Every partners view goes through ``get_partnership_for_user``: outsiders get a 404
(they must not learn the partnership's pages exist), members without the admin
role get a 403 on admin pages. An admin manages only their own partnership: its
teams, the people in them, and the grants (``TeamGrant``) that let another
partnership's team work on its actions; access to actions follows from these
(``actions.access``). ``partnership_role`` is the one answer to "what is this user
here?", for partnerships, plans and actions alike.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Partnership, Role


@dataclass(frozen=True)
class PartnershipRights:
    """What one user may do in one partnership (and its plans)."""

    role: str | None  # "officer", "chair", "admin"; a superuser's is admin
    chairs_may_author: bool = False  # the partnership's setting
    archived: bool = False  # set for a plan's rights (plans.access): nothing in it changes

    @property
    def is_author(self):
        """Writes the partnership's plans: the admin, and the chairs when the partnership lets them."""
        return self.is_admin or (self.role == Role.Kind.CHAIR and self.chairs_may_author)

    @property
    def may_author(self):
        """Add, move, close and reopen actions, and decide officers' proposals: an author
        (``is_author``), never in an archived plan."""
        return self.is_author and not self.archived

    @property
    def is_admin(self):
        return self.role == Role.Kind.ADMIN

    @property
    def is_senior(self):
        """Chairs and admins: review, read every sensitive note of the partnership."""
        return self.role in (Role.Kind.CHAIR, Role.Kind.ADMIN)


def partnership_role(user, partnership):
    """The user's role in ``partnership`` (an object or an id): "officer", "chair",
    "admin" (a superuser's everywhere) or None."""
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


def show_partnership(request, partnership):
    """Name ``partnership`` in the header of a page that lists things of several (when all
    are of this one): the getters below do it for pages of one partnership."""
    request.current_partnership = partnership


def check_partnership_rights(request, partnership, *, for_admin=False):
    """``PartnershipRights`` of the user in ``partnership``: 404 without a role, 403 when
    ``for_admin`` and not its admin. Sets the request's current partnership."""
    rights = PartnershipRights(partnership_role(request.user, partnership), partnership.chairs_may_author)
    if rights.role is None:
        raise Http404("No such partnership")
    if for_admin and not rights.is_admin:
        raise PermissionDenied("Only a partnership administrator may do this.")
    request.current_partnership = partnership
    return rights


def get_partnership_for_user(request, slug, *, for_admin=False, nav_section=None):
    """``(partnership, rights)`` for the partnership named by ``slug`` if the user holds a
    role in it: 404 otherwise; with ``for_admin``, 403 unless the user is its
    administrator (or a superuser).

    Sets ``request.current_partnership`` so the header names it, and ``nav_section``
    (a NAVIGATION label) when the page belongs to another header entry than its URL says.
    """
    try:
        partnership = Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404("No such partnership") from None
    rights = check_partnership_rights(request, partnership, for_admin=for_admin)
    if nav_section:
        request.nav_section = nav_section
    return partnership, rights
