"""The partner directory: grouped memberships, history, add/edit/end, teams that own
actions, the contacts page in HTML and PDF."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners import services
from partners.models import Contact, Membership, Organisation, Team
from tests import factories as f

pytestmark = pytest.mark.django_db


def directory_url(partnership):
    return reverse("partners:directory", args=[partnership.slug])


# Seeing the directory ---------------------------------------------------------------


def test_officer_sees_partners_grouped_by_kind(client_for, officer, partnership, council, police):
    f.MembershipFactory(
        partnership=partnership, organisation=f.OrganisationFactory(name="Age UK"), type=Membership.Type.NON_STATUTORY
    )
    response = client_for(officer).get(directory_url(partnership))
    assert response.status_code == 200
    groups = {g["type"]: [m.organisation.name for m in g["memberships"]] for g in response.context["groups"]}
    assert groups["statutory"] == ["Testshire Borough Council", "Testshire Constabulary"]
    assert groups["non_statutory"] == ["Age UK"]


def test_officer_sees_no_admin_links(client_for, officer, partnership):
    response = client_for(officer).get(directory_url(partnership))
    assert b"Add a partner" not in response.content


def test_outsider_cannot_see_the_directory(client_for, outsider, partnership):
    assert client_for(outsider).get(directory_url(partnership)).status_code == 404


def test_anonymous_visitor_is_sent_to_sign_in(client, partnership):
    response = client.get(directory_url(partnership))
    assert response.status_code == 302
    assert "/sign-in/" in response["Location"]


def test_ended_membership_is_listed_under_past_partners_with_its_replacement(client_for, admin, partnership):
    ccg = f.MembershipFactory(partnership=partnership, organisation=f.OrganisationFactory(name="Herts Valleys CCG"))
    services.membership_add(
        partnership=partnership,
        new_organisation={"name": "Herts and West Essex ICB"},
        type=Membership.Type.STATUTORY,
        started_on=datetime.date(2022, 7, 1),
        replaces=ccg,
    )
    response = client_for(admin).get(directory_url(partnership))
    assert [m.organisation.name for m in response.context["past"]] == ["Herts Valleys CCG"]
    assert "replaced by Herts and West Essex ICB" in response.content.decode()


def _directory_queries(client, partnership, extra):
    for _ in range(extra):
        org = f.OrganisationFactory()
        f.MembershipFactory(partnership=partnership, organisation=org)
        f.TeamFactory(organisation=org, partnership=partnership)
        f.ContactFactory(partnership=partnership, organisation=org)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(directory_url(partnership)).status_code == 200
    return len(queries)


def test_directory_query_count_does_not_grow_with_partners(client_for, admin, partnership):
    client = client_for(admin)
    few = _directory_queries(client, partnership, 2)
    many = _directory_queries(client, partnership, 20)
    assert few == many


def test_organisation_page_shows_teams_and_membership(client_for, officer, partnership, council, team):
    response = client_for(officer).get(reverse("partners:organisation", args=[partnership.slug, council.pk]))
    assert response.status_code == 200
    assert "Testshire Community Safety Team" in response.content.decode()


def test_organisation_of_another_partnership_is_not_found(client_for, admin, partnership, other_partnership):
    stranger = f.OrganisationFactory(name="Otherton Council")
    f.MembershipFactory(partnership=other_partnership, organisation=stranger)
    response = client_for(admin).get(reverse("partners:organisation", args=[partnership.slug, stranger.pk]))
    assert response.status_code == 404


# Adding, changing and ending memberships ------------------------------------------------


def test_admin_adds_a_new_partner_organisation(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {
            "new_name": "  Victim   Support ",
            "sector": "voluntary",
            "type": "non_statutory",
            "website": "www.victimsupport.org.uk",
        },
    )
    assert response.status_code == 302
    membership = Membership.objects.get(partnership=partnership, organisation__name="Victim Support")
    assert membership.type == Membership.Type.NON_STATUTORY


def test_admin_adds_an_existing_organisation(client_for, admin, partnership, other_partnership):
    shared = f.OrganisationFactory(name="Hertfordshire Constabulary")
    f.MembershipFactory(partnership=other_partnership, organisation=shared)
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"organisation": shared.pk, "type": "statutory", "sector": "police"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(partnership=partnership, organisation=shared).exists()


@pytest.fixture
def known_organisations(partnership, other_partnership, council):
    """A public partner of another partnership, a past one, and one that is nobody's partner."""
    public = f.OrganisationFactory(name="Hertfordshire Constabulary")
    f.MembershipFactory(partnership=other_partnership, organisation=public)
    past = f.OrganisationFactory(name="Herts Valleys CCG")
    f.MembershipFactory(partnership=other_partnership, organisation=past, ended_on=datetime.date(2022, 6, 30))
    unattached = f.OrganisationFactory(name="Unlisted Trust")
    return public, past, unattached


def test_current_partners_are_organisations_with_a_membership_not_ended(
    partnership, other_partnership, council, known_organisations
):
    public, past, unattached = known_organisations
    assert set(Organisation.objects.current_partners()) == {council, public}
    assert list(Organisation.objects.current_partners(partnership)) == [council]
    assert list(Organisation.objects.current_partners(other_partnership)) == [public]


def test_add_partner_offers_public_partners_elsewhere_by_name_only(client_for, admin, partnership, known_organisations):
    public, past, unattached = known_organisations
    response = client_for(admin).get(reverse("partners:membership_add", args=[partnership.slug]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["organisation"].queryset) == [public]
    body = response.content.decode()
    assert "Hertfordshire Constabulary" in body
    for hidden in ("Herts Valleys CCG", "Unlisted Trust", "Otherton"):
        assert hidden not in body


@pytest.mark.parametrize("which", ["past", "unattached", "current here"])
def test_an_organisation_not_offered_is_refused_by_id(
    client_for, admin, partnership, council, known_organisations, which
):
    _, past, unattached = known_organisations
    chosen = {"past": past, "unattached": unattached, "current here": council}[which]
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"organisation": chosen.pk, "type": "statutory", "sector": "other"},
    )
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    assert list(Membership.objects.filter(partnership=partnership)) == list(council.memberships.all())


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("hertfordshire  CONSTABULARY", "choose it from the list above"),
        ("testshire borough council", "is a current partner here"),
        ("unlisted trust", "is not a current partner of any partnership"),
    ],
)
def test_a_new_name_already_in_use_says_where_it_can_be_chosen(
    client_for, admin, partnership, known_organisations, typed, told
):
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"new_name": typed, "type": "statutory", "sector": "other"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "already exists" in body
    assert told in body
    assert "Otherton" not in body
    assert Organisation.objects.count() == 4


def test_a_garbled_organisation_id_is_a_form_error(client_for, admin, partnership):
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"organisation": "99999999999999999999", "type": "statutory", "sector": "other"},
    )
    assert response.status_code == 400
    assert "from the list" in response.content.decode()


def test_duplicate_organisation_name_is_refused_ignoring_case_and_spaces(client_for, admin, partnership, council):
    response = client_for(admin).post(
        reverse("partners:membership_add", args=[partnership.slug]),
        {"new_name": "testshire   BOROUGH council", "sector": "other", "type": "statutory"},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Organisation.objects.filter(name__icontains="borough council").count() == 1


def test_overlapping_membership_is_refused_and_nothing_is_created(partnership):
    org = f.OrganisationFactory(name="Probation")
    f.MembershipFactory(
        partnership=partnership,
        organisation=org,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2020, 1, 1),
    )
    with pytest.raises(services.ValidationError, match="already has a membership"):
        services.membership_add(
            partnership=partnership, organisation=org, type="statutory", started_on=datetime.date(2019, 6, 1)
        )
    assert Membership.objects.filter(organisation=org).count() == 1


def test_a_new_membership_after_an_ended_one_is_allowed(partnership):
    org = f.OrganisationFactory(name="Probation")
    f.MembershipFactory(
        partnership=partnership,
        organisation=org,
        started_on=datetime.date(2015, 1, 1),
        ended_on=datetime.date(2020, 1, 1),
    )
    services.membership_add(
        partnership=partnership, organisation=org, type="statutory", started_on=datetime.date(2021, 1, 1)
    )
    assert Membership.objects.filter(organisation=org).count() == 2


def test_replacing_a_partner_ends_the_old_membership_and_links_it(partnership, action, council):
    ccg_org = f.OrganisationFactory(name="Herts Valleys CCG")
    ccg = f.MembershipFactory(partnership=partnership, organisation=ccg_org)
    action.owner_organisations.add(ccg_org)
    icb = services.membership_add(
        partnership=partnership,
        new_organisation={"name": "Herts and West Essex ICB"},
        type="statutory",
        started_on=datetime.date(2022, 7, 1),
        replaces=ccg,
    )
    ccg.refresh_from_db()
    assert (ccg.ended_on, ccg.replaced_by) == (datetime.date(2022, 7, 1), icb)
    assert list(ccg_org.actions.all()) == [action]


def test_admin_ends_a_membership(client_for, admin, partnership, council):
    membership = council.memberships.get()
    response = client_for(admin).post(
        reverse("partners:membership_end", args=[partnership.slug, membership.pk]), {"ended_on": "2024-03-31"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2024, 3, 31)


def test_end_page_lists_the_open_actions_the_organisation_owns(client_for, admin, partnership, council, action):
    membership = council.memberships.get()
    response = client_for(admin).get(reverse("partners:membership_end", args=[partnership.slug, membership.pk]))
    assert "Deliver Safer Street events" in response.content.decode()


def test_ending_a_membership_twice_is_refused(partnership, council):
    membership = council.memberships.get()
    services.membership_end(membership=membership, ended_on=datetime.date(2024, 1, 1))
    with pytest.raises(services.ValidationError, match="already ended"):
        services.membership_end(membership=membership, ended_on=datetime.date(2024, 2, 1))


def test_chair_cannot_end_a_membership(client_for, chair, partnership, council):
    membership = council.memberships.get()
    url = reverse("partners:membership_end", args=[partnership.slug, membership.pk])
    assert client_for(chair).post(url, {"ended_on": "2024-03-31"}).status_code == 403


def test_admin_cannot_end_another_partnerships_membership(client_for, admin, partnership, other_partnership):
    foreign = f.MembershipFactory(partnership=other_partnership)
    url = reverse("partners:membership_end", args=[partnership.slug, foreign.pk])
    assert client_for(admin).post(url, {"ended_on": "2024-03-31"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.ended_on is None


def test_a_replacing_membership_of_another_partnership_is_refused(
    client_for, admin, partnership, other_partnership, council
):
    membership = council.memberships.get()
    theirs = f.MembershipFactory(partnership=other_partnership)
    response = client_for(admin).post(
        reverse("partners:membership_end", args=[partnership.slug, membership.pk]),
        {"ended_on": "2024-03-31", "replaced_by": theirs.pk},
    )
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    membership.refresh_from_db()
    assert membership.ended_on is None


def test_actions_cannot_be_handed_to_a_partner_of_another_partnership(
    client_for, admin, partnership, other_partnership, council, action
):
    theirs = f.MembershipFactory(partnership=other_partnership).organisation
    action.owner_organisations.add(council)
    response = client_for(admin).post(
        reverse("partners:membership_reassign", args=[partnership.slug, council.memberships.get().pk]),
        {"to_organisation": theirs.pk},
        follow=True,
    )
    assert response.status_code == 200
    assert "Choose the organisation to take the actions." in response.content.decode()
    assert list(action.owner_organisations.all()) == [council]


def test_admin_edits_a_membership(client_for, admin, partnership, council):
    membership = council.memberships.get()
    response = client_for(admin).post(
        reverse("partners:membership_edit", args=[partnership.slug, membership.pk]),
        {"type": "co_opted", "started_on": "2010-04-01", "note": "co-operating body"},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.type, membership.note) == ("co_opted", "co-operating body")


def test_the_organisation_form_shows_the_organisation_as_it_is(client_for, admin, partnership, council):
    council.website = "www.testshire.gov.uk"
    council.save()
    response = client_for(admin).get(reverse("partners:organisation_edit", args=[partnership.slug, council.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Testshire Borough Council"' in body
    assert 'value="www.testshire.gov.uk"' in body


def test_renaming_an_organisation_to_an_existing_name_is_refused(client_for, admin, partnership, council, police):
    response = client_for(admin).post(
        reverse("partners:organisation_edit", args=[partnership.slug, council.pk]),
        {"name": "TESTSHIRE constabulary", "sector": "local_authority"},
    )
    assert response.status_code == 400
    assert "<title>Change Testshire Borough Council" in response.content.decode()
    assert "An organisation called “Testshire Constabulary” already exists." in response.content.decode()
    council.refresh_from_db()
    assert council.name == "Testshire Borough Council"


# Teams ---------------------------------------------------------------------------------


def test_team_that_owns_actions_cannot_be_deleted(client_for, admin, partnership, team, action):
    response = client_for(admin).post(reverse("partners:team_delete", args=[partnership.slug, team.pk]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "owns 1 action" in body
    assert "Deliver Safer Street events" in body
    assert Team.objects.filter(pk=team.pk).exists()


def test_actions_can_be_reassigned_then_the_team_deleted(client_for, admin, partnership, team, other_team, action):
    client = client_for(admin)
    response = client.post(
        reverse("partners:team_reassign", args=[partnership.slug, team.pk]), {"to_team": other_team.pk}
    )
    assert response.status_code == 302
    assert list(action.owner_teams.all()) == [other_team]
    assert client.post(reverse("partners:team_delete", args=[partnership.slug, team.pk])).status_code == 302
    assert not Team.objects.filter(pk=team.pk).exists()


def test_reassigning_leaves_archived_plans_alone(partnership, team, other_team, action, plan):
    plan.status = "archived"
    plan.save()
    assert services.team_reassign_actions(partnership=partnership, team=team, to_team=other_team) == 0
    assert list(action.owner_teams.all()) == [team]


def test_admin_ends_a_team(client_for, admin, partnership, team):
    response = client_for(admin).post(
        reverse("partners:team_end", args=[partnership.slug, team.pk]), {"ended_on": "2024-01-01"}
    )
    assert response.status_code == 302
    team.refresh_from_db()
    assert team.ended_on == datetime.date(2024, 1, 1)


def test_admin_adds_a_team_and_a_duplicate_is_refused(client_for, admin, partnership, council, team):
    client = client_for(admin)
    url = reverse("partners:team_add", args=[partnership.slug, council.pk])
    assert client.post(url, {"name": "Testshire ASB Team"}).status_code == 302
    assert client.post(url, {"name": "testshire asb team"}).status_code == 400


def test_a_team_added_in_a_directory_belongs_to_that_partnership(
    client_for, admin, partnership, other_partnership, police
):
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    response = client_for(admin).post(
        reverse("partners:team_add", args=[partnership.slug, police.pk]), {"name": "Testshire Licensing"}
    )
    assert response.status_code == 302
    assert Team.objects.get(name="Testshire Licensing").partnership == partnership


def test_a_refused_team_name_leaves_the_page_naming_the_team_as_it_is(client_for, admin, partnership, team, other_team):
    f.TeamFactory(organisation=team.organisation, partnership=partnership, name="Licensing")
    response = client_for(admin).post(
        reverse("partners:team_edit", args=[partnership.slug, team.pk]), {"name": "licensing"}
    )
    assert response.status_code == 400
    assert "<title>Change Testshire Community Safety Team" in response.content.decode()
    assert "already has a team called “licensing”" in response.content.decode()
    team.refresh_from_db()
    assert team.name == "Testshire Community Safety Team"


# Contacts -------------------------------------------------------------------------------


@pytest.fixture
def contacts(partnership, council):
    from partners.models import Contact

    public = Contact.objects.create(
        partnership=partnership,
        organisation=council,
        name="Borehamwood Fire Station",
        phone="020 8258 1100",
        is_public=True,
    )
    private = Contact.objects.create(
        partnership=partnership, organisation=council, name="Jo Private", email="jo@example.org", is_public=False
    )
    return public, private


def test_contacts_page_shows_public_contacts_only(client_for, officer, partnership, contacts):
    body = client_for(officer).get(reverse("partners:contacts", args=[partnership.slug])).content.decode()
    assert "Borehamwood Fire Station" in body
    assert "Jo Private" not in body


def test_unpublished_contacts_page_is_not_found_for_anonymous_visitors(client, partnership, contacts):
    assert client.get(reverse("partners:contacts", args=[partnership.slug])).status_code == 404
    assert client.get(reverse("partners:contacts_pdf", args=[partnership.slug])).status_code == 404


def test_published_contacts_page_is_public_without_private_contacts(client_for, admin, client, partnership, contacts):
    client_for(admin).post(reverse("partners:contacts_publish", args=[partnership.slug]), {"publish": "1"})
    client.logout()
    response = client.get(reverse("partners:contacts", args=[partnership.slug]))
    assert response.status_code == 200
    assert "Jo Private" not in response.content.decode()


def test_officer_cannot_publish_the_contacts_page(client_for, officer, partnership):
    response = client_for(officer).post(reverse("partners:contacts_publish", args=[partnership.slug]), {"publish": "1"})
    assert response.status_code == 403
    partnership.refresh_from_db()
    assert not partnership.contacts_public


def test_contacts_pdf_is_a_pdf(client_for, officer, partnership, contacts):
    response = client_for(officer).get(reverse("partners:contacts_pdf", args=[partnership.slug]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_admin_adds_a_private_contact(client_for, admin, partnership, council):
    response = client_for(admin).post(
        reverse("partners:contact_add", args=[partnership.slug, council.pk]),
        {"name": "Sam Manager", "role": "Community Safety Manager", "email": "sam@example.org", "order": 0},
    )
    assert response.status_code == 302
    assert council.contacts.get().is_public is False


def test_contact_form_offers_only_this_partnerships_teams_of_a_shared_organisation(
    client_for, admin, partnership, other_partnership, police, other_team
):
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    theirs = f.TeamFactory(organisation=police, partnership=other_partnership, name="Otherton SNT")
    client = client_for(admin)
    url = reverse("partners:contact_add", args=[partnership.slug, police.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Testshire SNT" in page.content.decode()
    assert "Otherton SNT" not in page.content.decode()
    response = client.post(url, {"name": "Desk", "team": theirs.pk, "order": 0})
    assert response.status_code == 400
    assert not police.contacts.exists()


def test_the_contact_service_refuses_a_team_of_another_partnership(partnership, other_partnership, police):
    theirs = f.TeamFactory(organisation=police, partnership=other_partnership)
    with pytest.raises(services.ValidationError, match="this partnership's teams"):
        services.contact_save(partnership=partnership, organisation=police, name="Desk", team=theirs)
    assert not police.contacts.exists()


def test_admin_removes_a_contact(client_for, admin, partnership, council, contacts):
    public, _ = contacts
    response = client_for(admin).post(reverse("partners:contact_delete", args=[partnership.slug, public.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("partners:organisation", args=[partnership.slug, council.pk])
    assert list(council.contacts.values_list("name", flat=True)) == ["Jo Private"]


def test_chair_cannot_remove_a_contact(client_for, chair, partnership, contacts):
    public, _ = contacts
    response = client_for(chair).post(reverse("partners:contact_delete", args=[partnership.slug, public.pk]))
    assert response.status_code == 403
    assert Contact.objects.filter(pk=public.pk).exists()


def test_a_contact_of_another_partnership_cannot_be_removed_through_ones_own(
    client_for, outsider, partnership, other_partnership, contacts
):
    public, _ = contacts
    response = client_for(outsider).post(reverse("partners:contact_delete", args=[other_partnership.slug, public.pk]))
    assert response.status_code == 404
    assert Contact.objects.filter(pk=public.pk).exists()


def test_the_contact_service_refuses_to_remove_another_partnerships_contact(other_partnership, contacts):
    public, _ = contacts
    with pytest.raises(services.ValidationError, match="not one of"):
        services.contact_delete(partnership=other_partnership, contact=public)
    assert Contact.objects.filter(pk=public.pk).exists()


def test_admin_changes_a_contact_and_keeps_the_unchanged_fields(
    client_for, admin, partnership, council, team, contacts
):
    _, private = contacts
    url = reverse("partners:contact_edit", args=[partnership.slug, private.pk])
    client = client_for(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="jo@example.org"' in page.content.decode()
    response = client.post(url, {"name": "Jo Private", "email": "jo@example.org", "team": team.pk, "order": 2})
    assert response.status_code == 302
    private.refresh_from_db()
    assert (private.team, private.order, private.is_public) == (team, 2, False)


def _contacts_queries(client, partnership, extra):
    for _ in range(extra):
        f.ContactFactory(partnership=partnership, organisation=f.OrganisationFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("partners:contacts", args=[partnership.slug])).status_code == 200
    return len(queries)


def test_contacts_page_query_count_does_not_grow_with_contacts(client_for, officer, partnership):
    client = client_for(officer)
    assert _contacts_queries(client, partnership, 2) == _contacts_queries(client, partnership, 20)


def test_reassigning_leaves_other_partnerships_joint_actions_alone(partnership, other_partnership, team, other_team):
    theirs = f.ActionFactory(
        issue=f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=other_partnership))),
        owner_teams=[team],
    )
    assert services.team_reassign_actions(partnership=partnership, team=team, to_team=other_team) == 0
    assert list(theirs.owner_teams.all()) == [team]


def test_reassigning_to_a_team_of_another_partnership_is_refused(partnership, other_partnership, team, action):
    foreign = f.TeamFactory(partnership=other_partnership)
    with pytest.raises(services.ValidationError, match="not a team of"):
        services.team_reassign_actions(partnership=partnership, team=team, to_team=foreign)


def test_a_team_of_another_partnership_in_a_shared_organisation_is_not_offered_or_changeable(
    client_for, admin, partnership, other_partnership, police
):
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    theirs = f.TeamFactory(organisation=police, partnership=other_partnership, name="Otherton SNT")
    assert theirs not in services.teams_for_partnership(partnership)
    response = client_for(admin).post(
        reverse("partners:team_edit", args=[partnership.slug, theirs.pk]), {"name": "Renamed"}
    )
    assert response.status_code == 404


def test_a_shared_organisation_is_changed_only_by_a_site_administrator(
    client_for, admin, superuser, partnership, other_partnership, police
):
    f.MembershipFactory(partnership=other_partnership, organisation=police)
    url = reverse("partners:organisation_edit", args=[partnership.slug, police.pk])
    assert client_for(admin).get(url).status_code == 403
    assert client_for(superuser).get(url).status_code == 200


def test_admin_hands_an_ending_partners_own_actions_to_its_replacement(
    client_for, admin, partnership, council, police, action
):
    action.owner_organisations.add(council)
    membership = council.memberships.get()
    response = client_for(admin).post(
        reverse("partners:membership_reassign", args=[partnership.slug, membership.pk]), {"to_organisation": police.pk}
    )
    assert response.status_code == 302
    assert list(action.owner_organisations.all()) == [police]


def test_actions_cannot_be_handed_to_an_organisation_outside_the_partnership(partnership, council, action):
    stranger = f.OrganisationFactory()
    action.owner_organisations.add(council)
    with pytest.raises(services.ValidationError, match="not a current partner"):
        services.organisation_reassign_actions(partnership=partnership, organisation=council, to_organisation=stranger)
    assert list(action.owner_organisations.all()) == [council]
