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

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from partners.models import Role

from .models import Action, ActionUpdate

# How long the author of an update may still correct it (admins may at any time).
UPDATE_EDIT_WINDOW = timedelta(hours=24)


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


def could_update_if_open(user, action):
    """Would add updates or reviews if the plan were not archived (to explain a refusal)."""
    if not user.is_authenticated:
        return False
    return role_for_action(user, action) in (Role.Kind.ADMIN, Role.Kind.CHAIR) or _owns(user, action)


def can_add_update(user, action):
    """May post to the action's update form: an editor adds progress, a chair a review comment."""
    return can_edit_action(user, action) or can_review_action(user, action)


def is_partnership_admin(user, action):
    return role_for_action(user, action) == Role.Kind.ADMIN


def can_edit_update(user, update, *, now=None):
    """The author may correct their own update for 24 hours; a partnership admin at any time.
    Nothing in an archived plan changes, and deleted updates stay as they are."""
    action = update.action
    if not user.is_authenticated or update.is_deleted or action.issue.priority.plan.is_archived:
        return False
    if is_partnership_admin(user, action):
        return True
    if update.author_id != user.pk:
        return False
    if not (can_edit_action(user, action) or can_review_action(user, action)):
        return False
    return (now or timezone.now()) - update.created_at <= UPDATE_EDIT_WINDOW


def can_delete_update(user, update):
    """Deleting (softly) is an administrator's act."""
    action = update.action
    if not user.is_authenticated or update.is_deleted or action.issue.priority.plan.is_archived:
        return False
    return is_partnership_admin(user, action)


def actions_visible_to(user, queryset=None):
    """All actions the user may see: those of their partnerships and those they jointly own."""
    queryset = queryset if queryset is not None else Action.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    # Exists rather than joins to the owner tables: no duplicate rows, so no DISTINCT.
    visible = Q(issue__priority__plan__partnership_id__in=user.partnership_ids())
    if user.team_ids():
        visible |= Exists(
            Action.owner_teams.through.objects.filter(action_id=OuterRef("pk"), team_id__in=user.team_ids())
        )
        visible |= Exists(
            Action.owner_organisations.through.objects.filter(
                action_id=OuterRef("pk"), organisation_id__in=user.organisation_ids()
            )
        )
    return queryset.filter(visible)


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


def get_update_for_user(request, action, pk, *, for_edit=False, for_delete=False):
    """The live update ``pk`` of ``action`` (already checked with ``get_action_for_user``):
    404 when it is not this action's or the user may not read it, 403 when the user
    may not change (``for_edit``) or delete (``for_delete``) it."""
    try:
        update = ActionUpdate.objects.select_related("author").get(pk=pk, action=action, is_deleted=False)
    except (ActionUpdate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such update") from None
    update.action = action
    if update.is_sensitive and not can_see_sensitive(request.user, action):
        raise Http404("No such update")
    if for_edit and not can_edit_update(request.user, update):
        raise PermissionDenied(
            "Only the author (within 24 hours) or a partnership administrator may change this update."
        )
    if for_delete and not can_delete_update(request.user, update):
        raise PermissionDenied("Only a partnership administrator may delete an update.")
    return update
