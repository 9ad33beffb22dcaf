"""Who may see, update, review and read the sensitive notes of an action.

The rules (DOMAIN.md, docs/administration.md "Who sees whose actions"):

- every team belongs to one partnership; another partnership's team works on this
  partnership's actions only when this partnership granted it (``TeamGrant``, made
  by this partnership's admin);
- a user *owns* an action when one of their teams, belonging to the action's
  partnership or granted by it, is among the action's owning teams, or its
  organisation among the owning organisations. An organisation shared by many
  partnerships (the county police) thus never lets another partnership's team in.
  ``actions.models.owner_filter`` is this rule in SQL, ``user_owns`` on one action;
- anyone with a role in the plan's partnership sees the action; so does its owner;
- an officer edits the actions they own; a chair may add review comments, and edits
  actions only when the partnership lets chairs write the plan (``chairs_may_author``);
  a partnership admin edits everything of their partnership; a superuser everything;
- adding, moving, closing, reopening and deleting actions, and deciding proposals, is
  for the admin and the authoring chairs (``may_author``);
- OFFICIAL-SENSITIVE updates, and the text of OFFICIAL-SENSITIVE actions, are readable by
  the partnership's chairs and admins and by the users of owning teams (organisation-level
  ownership is not enough); others see "OFFICIAL-SENSITIVE: text withheld";
- nothing in an archived plan can be changed;
- a draft plan and its actions are seen only by its partnership's chairs and admins
  (``plans.models.published_filter``).

Views call ``get_action_for_user``: 404 to outsiders, 403 to read-only users; it
returns the action with its ``ActionRights``, worked out once, which templates read.
Lists use ``Action.objects.visible_to`` / ``owned_by`` and
``ActionUpdate.objects.readable_by``.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from partners.access import PartnershipRights, partnership_role
from partners.models import Role

from .models import Action, ActionUpdate, user_owns

# How long the author of an update may still correct it (admins may at any time).
UPDATE_EDIT_WINDOW = timedelta(hours=24)

SENIOR = (Role.Kind.CHAIR, Role.Kind.ADMIN)


@dataclass(frozen=True)
class ActionRights:
    """What one user may do with one action."""

    user_id: int | None
    role: str | None  # in the action's partnership; a superuser's is admin
    archived: bool
    may_view: bool
    may_edit: bool  # add updates, change text, owners and target date
    may_review: bool  # add review comments
    may_read_sensitive: bool
    would_update_if_open: bool  # to explain a refusal in an archived plan
    may_author: bool = False  # move, close, reopen, decide proposals (PartnershipRights.may_author)

    @property
    def is_admin(self):
        return self.role == Role.Kind.ADMIN

    @property
    def is_senior(self):
        """Chairs and admins: they see the dashboard's figures, the monitoring quality too."""
        return self.role in SENIOR

    @property
    def may_add_update(self):
        """An editor adds progress, a chair a review comment."""
        return self.may_edit or self.may_review

    @property
    def is_reviewer(self):
        """Chairs and reviewers write review comments rather than progress updates."""
        return self.role == Role.Kind.CHAIR

    @property
    def may_view_plan(self):
        return self.role is not None

    def may_edit_update(self, update, now=None):
        """The author may correct their own update for 24 hours; a partnership admin at any
        time. Nothing in an archived plan changes, and deleted updates stay as they are."""
        if update.is_deleted or self.archived:
            return False
        if self.is_admin:
            return True
        if update.author_id is None or update.author_id != self.user_id or not self.may_add_update:
            return False
        return (now or timezone.now()) - update.created_at <= UPDATE_EDIT_WINDOW

    def may_delete_update(self, update):
        """Deleting (softly) is an administrator's act."""
        return self.is_admin and not update.is_deleted and not self.archived


NO_RIGHTS = ActionRights(None, None, True, False, False, False, False, False)


def action_rights(user, action):
    """The user's rights on ``action`` (plan selected, owners prefetched)."""
    if not user.is_authenticated:
        return NO_RIGHTS
    plan = action.issue.priority.plan
    role = partnership_role(user, plan.partnership_id)
    if plan.is_hidden_from(role):
        return NO_RIGHTS
    archived = plan.is_archived
    # Only a chair's right depends on the setting: nobody else reads the partnership.
    chairs_may_author = role == Role.Kind.CHAIR and plan.partnership.chairs_may_author
    may_author = PartnershipRights(role, chairs_may_author, archived).may_author
    senior = role in SENIOR
    # A chair's or admin's rights do not depend on owning.
    owns = not senior and user_owns(user, action)
    return ActionRights(
        user_id=user.pk,
        role=role,
        archived=archived,
        may_view=role is not None or owns,
        may_edit=(may_author or owns) and not archived,
        may_review=senior and not archived,
        may_read_sensitive=senior or (owns and user_owns(user, action, teams_only=True)),
        would_update_if_open=senior or owns,
        may_author=may_author,
    )


def get_action_for_user(request, pk, *, for_edit=False, queryset=None):
    """``(action, rights)`` for the action ``pk`` if the user may see it (404 otherwise);
    with ``for_edit``, 403 unless the user may edit it. Sets the request's current
    partnership."""
    queryset = queryset if queryset is not None else Action.objects.all()
    queryset = queryset.select_related("issue__priority__plan__partnership").prefetch_related(
        "owner_teams", "owner_organisations", "owner_groups"
    )
    try:
        action = queryset.get(pk=pk)
    except (Action.DoesNotExist, ValueError, TypeError):
        raise Http404("No such action") from None
    rights = action_rights(request.user, action)
    if not rights.may_view:
        raise Http404("No such action")
    if for_edit and not rights.may_edit:
        raise PermissionDenied("You may not change this action.")
    action.text_withheld = action.is_sensitive and not rights.may_read_sensitive  # the ``action_text`` filter
    request.current_partnership = action.plan.partnership
    return action, rights


def get_update_for_user(request, action, rights, pk, *, for_edit=False, for_delete=False):
    """The live update ``pk`` of ``action`` (already checked with ``get_action_for_user``,
    which gave ``rights``): 404 when it is not this action's or the user may not read it,
    403 when the user may not change (``for_edit``) or delete (``for_delete``) it."""
    try:
        update = ActionUpdate.objects.select_related("author").get(pk=pk, action=action, is_deleted=False)
    except (ActionUpdate.DoesNotExist, ValueError, TypeError):
        raise Http404("No such update") from None
    update.action = action
    if update.is_sensitive and not rights.may_read_sensitive:
        raise Http404("No such update")
    if for_edit and not rights.may_edit_update(update):
        raise PermissionDenied(
            "Only the author (within 24 hours) or a partnership administrator may change this update."
        )
    if for_delete and not rights.may_delete_update(update):
        raise PermissionDenied("Only a partnership administrator may delete an update.")
    return update
