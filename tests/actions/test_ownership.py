"""What a team or an organisation owns, as the partner directory asks it (``actions.ownership``)."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from actions import ownership
from actions.models import Status
from partners import ownership as partners_ownership
from plans.models import ActionPlan
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_actions_app_answers_for_the_partners_app():
    assert partners_ownership.provider() is ownership


def test_without_an_answer_the_partners_app_says_so(monkeypatch):
    monkeypatch.setattr(partners_ownership, "_registered", [])
    with pytest.raises(ImproperlyConfigured, match="registered what teams and organisations own"):
        partners_ownership.provider()


def test_open_actions_of_the_organisation_and_its_teams_are_listed(partnership, council, team, issue, action):
    own = f.ActionFactory(issue=issue, text="The council's own action", owner_organisations=[council])
    f.ActionFactory(issue=issue, text="Finished", owner_teams=[team], status=Status.COMPLETED)
    elsewhere = f.ActionFactory(
        issue=f.IssueFactory(priority__plan__partnership=f.PartnershipFactory()), owner_organisations=[council]
    )
    listed = list(ownership.open_owned_by_organisation(partnership, council))
    assert sorted(a.pk for a in listed) == sorted([action.pk, own.pk])
    assert elsewhere not in listed


def test_an_organisations_open_actions_move_but_closed_and_archived_ones_stay(
    partnership, council, police, issue, plan
):
    open_one = f.ActionFactory(issue=issue, owner_organisations=[council])
    closed = f.ActionFactory(issue=issue, owner_organisations=[council], status=Status.COMPLETED)
    archived_plan = f.PlanFactory(
        partnership=partnership, start_year=2020, end_year=2021, status=ActionPlan.Status.ARCHIVED
    )
    archived = f.ActionFactory(issue__priority__plan=archived_plan, owner_organisations=[council])

    moved = ownership.move_organisation_actions(partnership=partnership, organisation=council, to_organisation=police)

    assert moved == 1
    assert list(open_one.owner_organisations.all()) == [police]
    assert list(closed.owner_organisations.all()) == [council]
    assert list(archived.owner_organisations.all()) == [council]
