"""The seeded partnerships: each directory matches its seed page, the Hertsmere 2019-2020
plan rolls over into 2020-2021, and Dacorum's admin cannot reach St Albans' people.

They load the real fixtures with ``manage.py load_seed`` (the ``seeded`` fixture).
"""

import re

import pytest
from django.urls import reverse

from actions.models import Action, Status
from actions.owners import owner_choices
from partners.models import Membership, Partnership, Role, normalise_name
from plans import cycle
from tests import factories as f

# As written on the partnerships' web pages (seeds 000 and 003), kind by kind.
HERTSMERE = {
    "statutory": [
        "Hertsmere Borough Council",
        "Hertfordshire Constabulary",
        "Hertfordshire County Council including Hertfordshire Fire and Rescue Service",
        "Hertfordshire Police and Crime Commissioner",  # "(co-opted)"
        "National Probation Service",
        "Hertfordshire and West Essex Integrated Care Board",
    ],
    "non_statutory": [
        "Town and Parish councils",
        "Primary and secondary schools",
        "Housing Associations including Clarion and Peabody",
        "Beacon Hertfordshire’s victim care centre",
        "Hertfordshire Mind Network",
        "Herts Help",
        "Change Grow Live",
        "Services for Young People",
        "Specialist Adolescent Service Hertfordshire (SASH)",
        "Intensive Family Support Teams",
        "Trading Standards",
        "Neighbourhood Watch",
        "Hertfordshire Partnership Foundation Trust",
        "Hertfordshire CCTV Partnership",
    ],
}
DACORUM = {
    "statutory": [
        "Dacorum Borough Council",
        "Hertfordshire Constabulary",
        "Hertfordshire Fire and Rescue",
        "West Herts Clinical Commissioning Group",
        "BeNCH Community Rehabilitation Company (CRC)",
        "Office of the Police and Crime Commissioner (co-operating body)",
    ],
    "non_statutory": [
        "YC Herts",
        "Hightown Housing Association",
        "CGL - Change, Grow, Live.",
        "SASH formerly YOTs",
        "DENS",
        "Trading Standards",
        "HCC Road Safety unit",
        "West Herts College",
        "Neighbourhood Watch",
        "Hemel Hempstead Town Centre Bid Management",
    ],
}
# Seed 004: "The St Albans City and District CSP is made up of the following partner agencies".
ST_ALBANS = [
    "St Albans City & District Council",
    "HCC Services for Young People",
    "Hertfordshire Police & Crime Commissioner",
    "Hertfordshire Constabulary",
    "Hertfordshire Fire & Rescue Service",
    "National Probation Service",
    "Herts Valleys Clinical Commissioning Group",
    "Hertfordshire County Council",
]

pytestmark = pytest.mark.django_db


def _words(name):
    return re.sub(r"[^a-z0-9 ]", " ", normalise_name(name)).split()


def _same(expected, actual):
    """Seed pages write names loosely ("CGL - Change, Grow, Live."): match on words, either way round."""
    a, b = f" {' '.join(_words(expected))} ", f" {' '.join(_words(actual))} "
    return a.strip() != "" and b.strip() != "" and (a in b or b in a)


def _directory(client, partnership):
    """The directory page's partners: kind -> each organisation's name and the
    partnership's own wording for it (the membership note), as the page shows them;
    "past" the memberships that ended since the seed's documents (the CCG, the CRC)."""
    response = client.get(reverse("partners:directory", args=[partnership.slug]))
    assert response.status_code == 200
    shown = {
        group["type"]: [f"{m.organisation.name} | {m.note}" for m in group["memberships"]]
        for group in response.context["groups"]
    }
    return shown | {"past": [f"{m.organisation.name} | {m.note}" for m in response.context["past"]]}


def _assert_listed(expected_names, shown):
    def found(name):
        return any(_same(name, part) for entry in shown for part in entry.split(" | ") if part)

    missing = [name for name in expected_names if not found(name)]
    assert not missing, f"not in the directory: {missing}; directory has {sorted(shown)}"


def _partnership(word):
    return Partnership.objects.get(name__icontains=word)


@pytest.fixture
def directory(seeded, client_for, superuser):
    client = client_for(superuser)
    return lambda word: _directory(client, _partnership(word))


@pytest.mark.parametrize("word, expected", [("Hertsmere", HERTSMERE), ("Dacorum", DACORUM)])
def test_directory_matches_its_seed_page_kind_by_kind(directory, word, expected):
    shown = directory(word)
    _assert_listed(expected["statutory"], shown["statutory"] + shown["co_opted"] + shown["past"])
    _assert_listed(expected["non_statutory"], shown["non_statutory"])


def test_st_albans_directory_matches_its_seed(directory):
    everyone = [entry.replace("&", "and") for entries in directory("St Albans").values() for entry in entries]
    _assert_listed([a.replace("&", "and") for a in ST_ALBANS], everyone)


def test_directory_page_of_each_seeded_partnership_opens(seeded, client_for, superuser):
    client = client_for(superuser)
    for partnership in Partnership.objects.filter(is_fictional=False):
        response = client.get(reverse("partners:directory", args=[partnership.slug]))
        assert response.status_code == 200
        assert sum(len(g["memberships"]) for g in response.context["groups"]) > 0


@pytest.fixture
def hertsmere_admin(hertsmere_plan):
    user = f.UserFactory(username="hertsmere_admin")
    f.RoleFactory(user=user, partnership=hertsmere_plan.partnership, role=Role.Kind.ADMIN)
    return user


def test_hertsmere_2019_2020_rolls_over_into_2020_2021(hertsmere_plan, hertsmere_admin, client_for):
    open_actions = set(Action.objects.in_plan(hertsmere_plan).open())
    closed = {a.pk: a.status for a in Action.objects.in_plan(hertsmere_plan).exclude(status=Status.OPEN)}
    assert open_actions and closed, "the seeded 2019-2020 plan has open actions and a discharged one"
    partnership = hertsmere_plan.partnership
    assessment = f.AssessmentFactory(partnership=partnership, start_year=2019, end_year=2020)
    f.RiskFactory(assessment=assessment, text="Serious youth violence")
    target = cycle.plan_create_from_assessment(
        assessment=assessment,
        start_year=2020,
        end_year=2021,
        priorities=[(r, r.text) for r in assessment.emerging_risks()],
    )
    client = client_for(hertsmere_admin)

    page = client.get(reverse("plans:roll_over", args=[hertsmere_plan.slug]))
    assert {row["action"] for row in page.context["rows"] if row["checked"]} == open_actions
    response = client.post(
        reverse("plans:roll_over", args=[hertsmere_plan.slug]),
        {"target": target.pk, "actions": [a.pk for a in open_actions]},
    )
    assert response.status_code == 302

    carried = list(Action.objects.in_plan(target).select_related("carried_from"))
    assert {a.carried_from for a in carried} == open_actions
    for copy in carried:
        original = copy.carried_from
        assert (copy.text, copy.rag, copy.status) == (original.text, original.rag, Status.OPEN)
        assert set(copy.owner_teams.all()) == set(original.owner_teams.all())
        assert set(copy.owner_organisations.all()) == set(original.owner_organisations.all())
        assert set(copy.owner_groups.all()) == set(original.owner_groups.all())
        assert copy.owner_role == original.owner_role
        original.refresh_from_db()
        assert original.status == Status.CARRIED_FORWARD
    assert {a.pk: a.status for a in Action.objects.in_plan(hertsmere_plan).filter(pk__in=closed)} == closed
    hertsmere_plan.refresh_from_db()
    assert hertsmere_plan.is_archived
    assert hertsmere_plan.rolled_over_to == target
    # Both ends show the link.
    sample = carried[0]
    assert target.full_title in client.get(sample.carried_from.get_absolute_url()).content.decode()
    assert hertsmere_plan.full_title in client.get(sample.get_absolute_url()).content.decode()
    # And it cannot happen twice.
    again = client.post(reverse("plans:roll_over", args=[hertsmere_plan.slug]), {"target": target.pk})
    assert again.status_code == 302
    assert Action.objects.in_plan(target).count() == len(open_actions)


def test_dacorum_admin_cannot_see_or_change_st_albans_people(seeded, client_for):
    dacorum, st_albans = _partnership("Dacorum"), _partnership("St Albans")
    dacorum_admin = f.UserFactory(username="dacorum_admin")
    f.RoleFactory(user=dacorum_admin, partnership=dacorum, role=Role.Kind.ADMIN)
    st_albans_officer = f.UserFactory(username="st_albans_officer")
    f.RoleFactory(user=st_albans_officer, partnership=st_albans, role=Role.Kind.OFFICER)
    client = client_for(dacorum_admin)

    assert client.get(reverse("partners:people", args=[st_albans.slug])).status_code == 404
    assert client.get(reverse("partners:person", args=[st_albans.slug, st_albans_officer.pk])).status_code == 404
    response = client.post(reverse("partners:person", args=[dacorum.slug, st_albans_officer.pk]), {"role": "admin"})
    assert response.status_code == 404
    response = client.post(reverse("partners:person_deactivate", args=[dacorum.slug, st_albans_officer.pk]))
    assert response.status_code == 404
    st_albans_officer.refresh_from_db()
    assert st_albans_officer.is_active
    assert list(Role.objects.filter(user=st_albans_officer).values_list("partnership_id", "role")) == [
        (st_albans.pk, "officer")
    ]


def test_the_abolished_ccg_and_crc_are_past_partners_not_offered_as_owners(seeded):
    dacorum = _partnership("Dacorum")
    ended = dict(
        Membership.objects.filter(partnership=dacorum, ended_on__isnull=False).values_list(
            "organisation__name", "ended_on"
        )
    )
    assert {name: str(day) for name, day in ended.items()} == {
        "Herts Valleys Clinical Commissioning Group": "2022-06-30",
        "BeNCH Community Rehabilitation Company (CRC)": "2021-06-25",
    }
    offered = {o.name for o in owner_choices(dacorum).organisations}
    assert "Dacorum Borough Council" in offered
    assert not offered & set(ended)
