"""Who may see, update, review and read the sensitive notes of an action.

The rules (DOMAIN.md, the officer-workflow issue):

- anyone with a role in the plan's partnership sees the action;
- a user in a team that owns the action (or whose organisation owns it) sees and
  edits it even from another partnership (jointly owned actions), and sees
  nothing else of that partnership;
- an officer edits the actions their teams or organisation own; a chair edits
  nothing but may add review comments; a partnership admin edits everything;
- OFFICIAL-SENSITIVE updates are readable by the owning teams' users and the
  partnership's chairs and admins;
- nothing in an archived plan can be changed.

Views call ``get_action_for_user``: 404 to outsiders, 403 to read-only users.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from partners.models import Role

from .models import Action


def _owns(user, action):
    team_ids = user.team_ids()
    org_ids = user.organisation_ids()
    if any(t.id in team_ids for t in action.owner_teams.all()):
        return True
    return any(o.id in org_ids for o in action.owner_organisations.all())


def role_for_action(user, action):
    if user.is_superuser:
        return Role.Kind.ADMIN
    return user.role_in(action.issue.priority.plan.partnership_id)


def can_view_action(user, action):
    if not user.is_authenticated:
        return False
    return role_for_action(user, action) is not None or _owns(user, action)


def can_edit_action(user, action):
    """May add updates and change the action (text, owners, target date)."""
    if not user.is_authenticated or action.issue.priority.plan.is_archived:
        return False
    role = role_for_action(user, action)
    if role == Role.Kind.ADMIN:
        return True
    if role == Role.Kind.CHAIR:
        return False
    return _owns(user, action)


def can_review_action(user, action):
    """Chairs and reviewers may add review comments (updates marked as a review)."""
    if not user.is_authenticated or action.issue.priority.plan.is_archived:
        return False
    return role_for_action(user, action) in (Role.Kind.CHAIR, Role.Kind.ADMIN)


def can_see_sensitive(user, action):
    if not user.is_authenticated:
        return False
    if role_for_action(user, action) in (Role.Kind.CHAIR, Role.Kind.ADMIN):
        return True
    team_ids = user.team_ids()
    return any(t.id in team_ids for t in action.owner_teams.all())


def actions_visible_to(user, queryset=None):
    """All actions the user may see: those of their partnerships and those they jointly own."""
    queryset = queryset if queryset is not None else Action.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(
        Q(issue__priority__plan__partnership_id__in=user.partnership_ids())
        | Q(owner_teams__in=user.team_ids())
        | Q(owner_organisations__in=user.organisation_ids())
    ).distinct()


def get_action_for_user(request, pk, *, for_edit=False, queryset=None):
    """The action ``pk`` if the user may see it (404 otherwise); with ``for_edit``,
    403 unless the user may edit it."""
    queryset = queryset if queryset is not None else Action.objects.all()
    queryset = queryset.select_related("issue__priority__plan__partnership").prefetch_related(
        "owner_teams", "owner_organisations", "owner_groups"
    )
    try:
        action = queryset.get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action") from None
    if not can_view_action(request.user, action):
        raise Http404("No such action")
    if for_edit and not can_edit_action(request.user, action):
        raise PermissionDenied("You may not change this action.")
    return action
