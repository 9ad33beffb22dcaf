"""What a carried-forward action brings from last year's plan: its predecessor's rating,
number of updates and last update, so that the copy does not read "No updates yet"."""

from dataclasses import dataclass

from django.db.models import Count, Q

from .access import ActionRights, action_rights
from .models import Action, ActionUpdate


@dataclass(frozen=True)
class Predecessor:
    action: Action
    rights: ActionRights  # the reader's, on the predecessor: its sensitive notes stay hidden
    update_count: int
    last_update: ActionUpdate | None


def predecessor_of(action, user):
    """The ``Predecessor`` of a carried ``action`` as ``user`` may see it, or None when the
    action was not carried or its predecessor is hidden from the user."""
    if action.carried_from_id is None:
        return None
    origin = (
        Action.objects.select_related("issue__priority__plan__partnership")
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        .annotate(live_updates=Count("updates", filter=Q(updates__is_deleted=False)))
        .get(pk=action.carried_from_id)
    )
    rights = action_rights(user, origin)
    if not rights.may_view:
        return None
    last = origin.updates.live().select_related("author").order_by("-date", "-order", "-id").first()
    return Predecessor(origin, rights, origin.live_updates, last)


def last_updates_before_carry(carried, *, sensitive_allowed):
    """``({carried action id: its predecessor's last live update}, number left out as
    restricted)`` for the actions ``carried`` (exports and PDFs). A sensitive update is
    kept only when ``sensitive_allowed(predecessor)``: the predecessor's owners decide
    who reads its notes, as on its page."""
    origins = {
        origin.pk: origin
        for origin in Action.objects.filter(pk__in=[a.carried_from_id for a in carried if a.carried_from_id])
        .select_related("issue__priority__plan__partnership")
        .prefetch_related("owner_teams", "owner_organisations")
    }
    last = {}
    for update in (
        ActionUpdate.objects.live()
        .filter(action_id__in=origins)
        .select_related("author")
        .order_by("date", "order", "id")
    ):
        last[update.action_id] = update
    found, restricted = {}, 0
    for action in carried:
        update = last.get(action.carried_from_id)
        if update is None:
            continue
        if update.is_sensitive and not sensitive_allowed(origins[update.action_id]):
            restricted += 1
            continue
        found[action.pk] = update
    return found, restricted
