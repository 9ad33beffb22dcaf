"""Who may be chosen to own an action of a partnership: the one answer for every form that
offers owners (new action, action edit, bulk reassign)."""

from typing import NamedTuple

from django.db.models import Q
from django.utils import timezone

from partners.models import GovernanceGroup, Membership, Organisation, Team


class OwnerChoices(NamedTuple):
    teams: object
    organisations: object
    groups: object


def _not_ended(today, prefix=""):
    return Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gte": today})


def owner_choices(partnership, *, keep=None, today=None):
    """``OwnerChoices(teams, organisations, groups)``: querysets of the owners an action of
    ``partnership`` may be given. Organisations are its current partners (membership and
    organisation not ended, so an abolished body is not offered); teams are its own teams
    of those partners, and the teams it granted (``TeamGrant``), not ended; groups are
    those it leads or takes part in. Nothing of another partnership is offered unless
    granted.

    ``keep`` (an action) adds its present owners, so editing an action whose owner has
    since ended does not drop that owner unasked: past actions keep who owned them.
    """
    today = today or timezone.localdate()
    members = Membership.objects.filter(_not_ended(today), partnership=partnership).values("organisation_id")
    organisations = Organisation.objects.filter(_not_ended(today), pk__in=members)
    teams = Team.objects.filter(
        _not_ended(today),
        _not_ended(today, "organisation__"),
        Q(partnership=partnership, organisation__in=members) | Q(grants__partnership=partnership),
    )
    groups = GovernanceGroup.objects.filter(Q(partnership=partnership) | Q(partnerships=partnership))
    if keep is not None and keep.pk:
        teams = Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk__in=keep.owner_teams.values("pk")))
        organisations = Organisation.objects.filter(
            Q(pk__in=organisations.values("pk")) | Q(pk__in=keep.owner_organisations.values("pk"))
        )
        groups = GovernanceGroup.objects.filter(
            Q(pk__in=groups.values("pk")) | Q(pk__in=keep.owner_groups.values("pk"))
        )
    else:
        teams = Team.objects.filter(pk__in=teams.values("pk"))
        groups = GovernanceGroup.objects.filter(pk__in=groups.values("pk"))
    return OwnerChoices(teams.order_by("name"), organisations.order_by("name"), groups.order_by("name"))
