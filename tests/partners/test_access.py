"""Every administration page, for each kind of person: outsiders get 404, members who
are not the partnership admin get 403 on admin pages, the admin gets the page."""

import pytest
from django.urls import reverse

from partners.access import get_partnership_for_user
from partners.models import Contact
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(partnership, council, team, plan, officer):
    """(url name, args) of every admin page of this issue that answers GET."""
    assessment = f.AssessmentFactory(partnership=partnership)
    f.RiskFactory(assessment=assessment)
    strategy = f.StrategyFactory(partnership=partnership)
    group = f.GovernanceGroupFactory(partnership=partnership)
    contact = Contact.objects.create(partnership=partnership, organisation=council, name="Desk")
    membership = council.memberships.get()
    s = partnership.slug
    return [
        ("partners:membership_add", [s]),
        ("partners:membership_edit", [s, membership.pk]),
        ("partners:membership_end", [s, membership.pk]),
        ("partners:organisation_edit", [s, council.pk]),
        ("partners:team_add", [s, council.pk]),
        ("partners:contact_add", [s, council.pk]),
        ("partners:team_edit", [s, team.pk]),
        ("partners:team_end", [s, team.pk]),
        ("partners:team_delete", [s, team.pk]),
        ("partners:contact_edit", [s, contact.pk]),
        ("partners:people", [s]),
        ("partners:invite", [s]),
        ("partners:person", [s, officer.pk]),
        ("partners:group_add", [s]),
        ("partners:group_edit", [s, group.pk]),
        ("plans:strategy_add", [s]),
        ("plans:strategy_edit", [s, strategy.pk]),
        ("plans:assessment_add", [s]),
        ("plans:assessment_edit", [s, assessment.pk]),
        ("plans:plan_from_assessment", [s, assessment.pk]),
        ("plans:roll_over", [plan.slug]),
        ("plans:archive", [plan.slug]),
    ]


READ_ONLY_PAGES = ["partners:directory", "partners:groups", "partners:contacts", "plans:cycle"]


def test_admin_opens_every_admin_page(client_for, admin, pages):
    client = client_for(admin)
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 200, name


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_members_who_are_not_admins_are_refused_every_admin_page(client_for, request, pages, who):
    client = client_for(request.getfixturevalue(who))
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 403, name


def test_outsider_gets_not_found_on_every_page(client_for, outsider, pages, partnership):
    client = client_for(outsider)
    for name, args in pages:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    for name in READ_ONLY_PAGES:
        assert client.get(reverse(name, args=[partnership.slug])).status_code == 404, name


@pytest.mark.parametrize("who", ["officer", "chair"])
def test_members_read_the_directory_groups_contacts_and_cycle(client_for, request, partnership, who):
    client = client_for(request.getfixturevalue(who))
    for name in READ_ONLY_PAGES:
        assert client.get(reverse(name, args=[partnership.slug])).status_code == 200, name


def test_superuser_administers_every_partnership(rf, superuser, partnership):
    request = rf.get("/")
    request.user = superuser
    found, rights = get_partnership_for_user(request, partnership.slug, for_admin=True)
    assert found == partnership
    assert rights.is_admin


def test_unknown_partnership_is_not_found(client_for, admin):
    assert client_for(admin).get(reverse("partners:directory", args=["nowhere"])).status_code == 404


def test_contact_of_another_partnership_cannot_be_changed_or_removed(client_for, admin, partnership, other_partnership):
    foreign = Contact.objects.create(partnership=other_partnership, name="Theirs")
    client = client_for(admin)
    assert client.get(reverse("partners:contact_edit", args=[partnership.slug, foreign.pk])).status_code == 404
    assert client.post(reverse("partners:contact_delete", args=[partnership.slug, foreign.pk])).status_code == 404
    assert Contact.objects.filter(pk=foreign.pk).exists()


def test_team_of_another_partnership_cannot_be_deleted(client_for, admin, partnership, other_partnership):
    foreign = f.TeamFactory(partnership=other_partnership)
    f.MembershipFactory(partnership=other_partnership, organisation=foreign.organisation)
    assert (
        client_for(admin).post(reverse("partners:team_delete", args=[partnership.slug, foreign.pk])).status_code == 404
    )


def test_strategy_of_another_partnership_is_not_found(client_for, admin, partnership, other_partnership):
    foreign = f.StrategyFactory(partnership=other_partnership)
    assert client_for(admin).get(reverse("plans:strategy_edit", args=[partnership.slug, foreign.pk])).status_code == 404
