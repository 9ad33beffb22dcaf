"""People and actions for the officer workflow tests: a jointly owned action and its other side."""

import pytest

from partners.models import Role
from tests import factories as f


@pytest.fixture
def other_side_team(other_partnership):
    org = f.OrganisationFactory(name="Otherton Borough Council")
    return f.TeamFactory(name="Otherton Community Safety Team", organisation=org, partnership=other_partnership)


@pytest.fixture
def other_side_officer(other_partnership, other_side_team):
    """An officer of another partnership whose team co-owns ``joint_action``."""
    user = f.UserFactory(username="other_side_officer", teams=[other_side_team])
    f.RoleFactory(user=user, partnership=other_partnership, role=Role.Kind.OFFICER)
    return user


@pytest.fixture
def joint_action(issue, team, other_side_team):
    """Owned with another partnership's team, which the action's partnership granted."""
    f.TeamGrantFactory(partnership=issue.priority.plan.partnership, team=other_side_team)
    return f.ActionFactory(issue=issue, text="Run the Tri-CSP youth panel", owner_teams=[team, other_side_team])


@pytest.fixture
def people(officer, other_officer, chair, admin, outsider):
    return {
        "officer": officer,
        "other_officer": other_officer,
        "chair": chair,
        "admin": admin,
        "outsider": outsider,
    }
