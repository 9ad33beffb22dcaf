"""The actions a team or an organisation owns, for the partner directory's pages.

Registered with ``partners.ownership`` by ``ActionsConfig.ready``, so the partners app can
ask without importing this one (``partners/ownership.py`` says why).
"""

from django.db.models import Q

from plans.models import ActionPlan

from .models import Action, withhold_texts  # noqa: F401 - withhold_texts is part of the interface


def owned_by_team(team):
    return Action.objects.filter(owner_teams=team).select_related("issue__priority__plan").order_by("pk")


def open_owned_by_organisation(partnership, organisation):
    return (
        Action.objects.open()
        .filter(issue__priority__plan__partnership=partnership)
        .filter(Q(owner_organisations=organisation) | Q(owner_teams__organisation=organisation))
        .select_related("issue__priority__plan")
        .distinct()
        .order_by("issue__priority__plan__start_year", "pk")
    )


def _changeable_in(partnership):
    """Actions of ``partnership``'s plans that are not archived: archived plans are a record of
    the past, and joint actions in other partnerships' plans are theirs to reassign."""
    return Action.objects.filter(issue__priority__plan__partnership=partnership).exclude(
        issue__priority__plan__status=ActionPlan.Status.ARCHIVED
    )


def move_team_actions(*, partnership, team, to_team):
    actions = list(_changeable_in(partnership).filter(owner_teams=team))
    for action in actions:
        action.owner_teams.remove(team)
        action.owner_teams.add(to_team)
    return len(actions)


def move_organisation_actions(*, partnership, organisation, to_organisation):
    actions = list(_changeable_in(partnership).open().filter(owner_organisations=organisation))
    for action in actions:
        action.owner_organisations.remove(organisation)
        action.owner_organisations.add(to_organisation)
    return len(actions)
