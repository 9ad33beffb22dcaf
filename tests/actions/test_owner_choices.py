"""The owners an action of a partnership may be given (``actions.owners.owner_choices``)."""

import datetime

from actions.owners import owner_choices
from tests import factories as f

TODAY = datetime.date(2026, 12, 1)


def names(queryset):
    return [o.name for o in queryset]


def test_offers_the_partnerships_current_partners_teams_and_groups(partnership, team, other_team):
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire RAG")
    choices = owner_choices(partnership, today=TODAY)
    assert names(choices.organisations) == ["Testshire Borough Council", "Testshire Constabulary"]
    assert names(choices.teams) == ["Testshire Community Safety Team", "Testshire SNT"]
    assert names(choices.groups) == [group.name]


def test_leaves_out_another_partnerships_organisations_teams_and_groups(partnership, other_partnership, team):
    org = f.OrganisationFactory(name="Otherton Council")
    f.MembershipFactory(partnership=other_partnership, organisation=org)
    f.TeamFactory(name="Otherton team", organisation=org, partnership=other_partnership)
    f.GovernanceGroupFactory(partnership=other_partnership, name="Otherton RAG")
    choices = owner_choices(partnership, today=TODAY)
    assert "Otherton Council" not in names(choices.organisations)
    assert names(choices.teams) == ["Testshire Community Safety Team"]
    assert names(choices.groups) == []


def test_offers_granted_teams_and_shared_groups(partnership, other_partnership, team):
    org = f.OrganisationFactory(name="Otherton Council")
    granted = f.TeamFactory(name="Otherton team", organisation=org, partnership=other_partnership)
    f.TeamGrantFactory(partnership=partnership, team=granted)
    shared = f.GovernanceGroupFactory(partnership=other_partnership, name="Tri-CSP panel")
    shared.partnerships.add(partnership)
    choices = owner_choices(partnership, today=TODAY)
    assert names(choices.teams) == ["Otherton team", "Testshire Community Safety Team"]
    assert names(choices.groups) == ["Tri-CSP panel"]


def test_leaves_out_ended_memberships_and_their_teams(partnership, council, team):
    ccg = f.OrganisationFactory(name="Testshire CCG", sector="health")
    f.MembershipFactory(partnership=partnership, organisation=ccg, ended_on=datetime.date(2022, 6, 30))
    f.TeamFactory(name="CCG commissioning", organisation=ccg, partnership=partnership)
    choices = owner_choices(partnership, today=TODAY)
    assert names(choices.organisations) == ["Testshire Borough Council"]
    assert names(choices.teams) == ["Testshire Community Safety Team"]


def test_leaves_out_ended_organisations_and_teams(partnership, council, police, team, other_team):
    police.ended_on = datetime.date(2021, 6, 26)
    police.save()
    f.TeamFactory(
        name="Disbanded team",
        organisation=council,
        partnership=partnership,
        ended_on=TODAY.replace(day=1) - datetime.timedelta(days=1),
    )
    choices = owner_choices(partnership, today=TODAY)
    assert names(choices.organisations) == ["Testshire Borough Council"]
    assert names(choices.teams) == ["Testshire Community Safety Team"]


def test_a_membership_ending_later_is_still_current(partnership):
    org = f.OrganisationFactory(name="Leaving soon")
    f.MembershipFactory(partnership=partnership, organisation=org, ended_on=TODAY + datetime.timedelta(days=30))
    assert names(owner_choices(partnership, today=TODAY).organisations) == ["Leaving soon"]


def test_keeps_the_present_owners_of_an_action_that_have_since_ended(partnership, issue, police, other_team):
    action = f.ActionFactory(issue=issue, owner_teams=[other_team], owner_organisations=[police])
    police.ended_on = datetime.date(2021, 6, 26)
    police.save()
    choices = owner_choices(partnership, keep=action, today=TODAY)
    assert names(choices.organisations) == ["Testshire Constabulary"]
    assert names(choices.teams) == ["Testshire SNT"]
