"""Governance groups: a partnership's RAG, JAG, DA forum… with members; shared groups."""

import pytest
from django.urls import reverse

from partners import services
from partners.models import GovernanceGroup
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_officer_sees_groups_led_and_shared(client_for, officer, partnership, other_partnership):
    f.GovernanceGroupFactory(partnership=partnership, name="Testshire RAG")
    shared = f.GovernanceGroupFactory(
        partnership=other_partnership, name="Welwyn Hatfield, St Albans and Hertsmere DA Fora", kind="da_forum"
    )
    shared.partnerships.add(partnership)
    f.GovernanceGroupFactory(partnership=other_partnership, name="Otherton JAG")
    response = client_for(officer).get(reverse("partners:groups", args=[partnership.slug]))
    names = {g.name for g in response.context["groups"]}
    assert names == {"Testshire RAG", "Welwyn Hatfield, St Albans and Hertsmere DA Fora"}


def test_admin_adds_a_group_with_members(client_for, admin, partnership, council, police):
    response = client_for(admin).post(
        reverse("partners:group_add", args=[partnership.slug]),
        {
            "name": "Joint Action Group",
            "abbreviation": "JAG",
            "kind": "jag",
            "tier": 2,
            "members": [council.pk, police.pk],
        },
    )
    assert response.status_code == 302
    group = GovernanceGroup.objects.get(name="Joint Action Group")
    assert set(group.members.all()) == {council, police}


def test_duplicate_group_name_is_refused(client_for, admin, partnership):
    f.GovernanceGroupFactory(partnership=partnership, name="Testshire RAG")
    response = client_for(admin).post(
        reverse("partners:group_add", args=[partnership.slug]), {"name": "testshire  rag", "kind": "rag"}
    )
    assert response.status_code == 400
    assert "There is already a group called “testshire rag”." in response.content.decode()
    assert GovernanceGroup.objects.count() == 1


def test_admin_of_a_sharing_partnership_cannot_change_the_group(client_for, admin, partnership, other_partnership):
    shared = f.GovernanceGroupFactory(partnership=other_partnership, name="DA Fora")
    shared.partnerships.add(partnership)
    url = reverse("partners:group_edit", args=[partnership.slug, shared.pk])
    assert client_for(admin).post(url, {"name": "Renamed", "kind": "other"}).status_code == 403


def test_chair_cannot_add_a_group(client_for, chair, partnership):
    url = reverse("partners:group_add", args=[partnership.slug])
    assert client_for(chair).post(url, {"name": "X", "kind": "other"}).status_code == 403


def test_outsider_cannot_see_the_groups(client_for, outsider, partnership):
    assert client_for(outsider).get(reverse("partners:groups", args=[partnership.slug])).status_code == 404


def test_group_of_another_partnership_is_not_found(client_for, admin, partnership, other_partnership):
    foreign = f.GovernanceGroupFactory(partnership=other_partnership)
    url = reverse("partners:group_edit", args=[partnership.slug, foreign.pk])
    assert client_for(admin).get(url).status_code == 404


# A partnership never writes into another's groups, nor learns their names ------------------


def test_group_form_names_no_other_partnership(client_for, admin, partnership, other_partnership, council):
    response = client_for(admin).get(reverse("partners:group_add", args=[partnership.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Testshire Borough Council" in body
    assert "Otherton" not in body


def test_a_posted_other_partnership_is_ignored_and_the_group_stays_off_its_page(
    client_for, admin, outsider, partnership, other_partnership
):
    f.GovernanceGroupFactory(partnership=other_partnership, name="Otherton JAG")
    response = client_for(admin).post(
        reverse("partners:group_add", args=[partnership.slug]),
        {"name": "Planted group", "kind": "other", "partnerships": [other_partnership.pk]},
    )
    assert response.status_code == 302
    assert not GovernanceGroup.objects.get(name="Planted group").partnerships.exists()
    response = client_for(outsider).get(reverse("partners:groups", args=[other_partnership.slug]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Otherton JAG" in body
    assert "Planted group" not in body


def test_changing_a_shared_group_keeps_the_partnerships_a_site_administrator_set(
    client_for, admin, partnership, other_partnership
):
    shared = f.GovernanceGroupFactory(partnership=partnership, name="Tri-CSP youth panel")
    shared.partnerships.add(other_partnership)
    url = reverse("partners:group_edit", args=[partnership.slug, shared.pk])
    client = client_for(admin)
    page = client.get(url)
    assert page.status_code == 200
    assert "Tri-CSP youth panel" in page.content.decode()
    assert "Otherton" not in page.content.decode()
    assert client.post(url, {"name": "Youth panel", "kind": "panel"}).status_code == 302
    shared.refresh_from_db()
    assert (shared.name, list(shared.partnerships.all())) == ("Youth panel", [other_partnership])


def test_a_member_organisation_of_another_partnership_only_is_refused(
    client_for, admin, partnership, other_partnership
):
    theirs = f.OrganisationFactory(name="Otherton Council")
    f.MembershipFactory(partnership=other_partnership, organisation=theirs)
    response = client_for(admin).post(
        reverse("partners:group_add", args=[partnership.slug]), {"name": "JAG", "kind": "jag", "members": [theirs.pk]}
    )
    assert response.status_code == 400
    assert "from the list" in response.content.decode()
    assert not GovernanceGroup.objects.exists()


def test_the_group_service_refuses_a_group_led_by_another_partnership(partnership, other_partnership):
    theirs = f.GovernanceGroupFactory(partnership=other_partnership, name="Otherton JAG")
    with pytest.raises(services.ValidationError, match="lead partnership"):
        services.group_save(partnership=partnership, group=theirs, name="Renamed", kind="jag")
    theirs.refresh_from_db()
    assert theirs.name == "Otherton JAG"


def _groups_queries(client, partnership, extra):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(extra):
        group = f.GovernanceGroupFactory(partnership=partnership)
        group.members.add(f.OrganisationFactory(), f.OrganisationFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("partners:groups", args=[partnership.slug])).status_code == 200
    return len(queries)


def test_groups_page_query_count_does_not_grow_with_groups(client_for, admin, partnership):
    client = client_for(admin)
    assert _groups_queries(client, partnership, 2) == _groups_queries(client, partnership, 15)
