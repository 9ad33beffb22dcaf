"""The seed fixtures transcribe the public documents faithfully, and load_seed is idempotent.

The expected lists and counts below were written from the seed text
(/work/shared/seeds), not from the fixtures.
"""

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from actions.models import Action, ActionUpdate, PerformanceMeasure, Rag, Status
from actions.services import action_add_update
from csp.loaders.seed import fixture_paths
from partners.models import Contact, GovernanceGroup, Membership, Organisation, Partnership, Team, normalise_name
from plans.models import ActionPlan, Issue, Priority, Risk, StrategicAim, StrategicAssessment, Strategy

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def _seeded_once(django_db_setup, django_db_blocker):
    """Load the seed once for this module, in a transaction rolled back at its end.

    Each test runs in a savepoint within it, and conftest's ``seeded`` (behind
    ``hertsmere_plan``) then reloads over it: a no-op that takes some 0.05 s.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_seed", verbosity=0)
        yield
        transaction.set_rollback(True)


MODELS = [
    Partnership,
    Organisation,
    Membership,
    Team,
    GovernanceGroup,
    Contact,
    Strategy,
    StrategicAim,
    PerformanceMeasure,
    StrategicAssessment,
    Risk,
    ActionPlan,
    Priority,
    Issue,
    Action,
    ActionUpdate,
]

# Partner lists, in the seeds' order, grouped by membership type. Where a seed names a
# shared body differently, the organisation's one name is used and the seed's wording
# is checked separately (Membership.note).
PARTNERS = {
    "hertsmere": {  # 000
        "statutory": [
            "Hertsmere Borough Council",
            "Hertfordshire Constabulary",
            "Hertfordshire County Council",
            # "Hertfordshire County Council including Hertfordshire Fire and Rescue Service"
            "Hertfordshire Fire and Rescue Service",
            "National Probation Service",
            "Hertfordshire and West Essex Integrated Care Board",
        ],
        "co_opted": ["Hertfordshire Police and Crime Commissioner"],
        "non_statutory": [
            "Town and Parish councils",
            "Primary and secondary schools",
            "Housing Associations",  # "Housing Associations including Clarion and Peabody"
            "Clarion",
            "Peabody",
            "Beacon",  # "Beacon Hertfordshire’s victim care centre"
            "Hertfordshire Mind Network",
            "Herts Help",
            "Change Grow Live",
            "Hertfordshire Services for Young People",  # "Services for Young People"
            "Specialist Adolescent Service Hertfordshire (SASH)",
            "Intensive Family Support Teams",
            "Trading Standards",
            "Neighbourhood Watch",
            "Hertfordshire Partnership Foundation Trust",
            "Hertfordshire CCTV Partnership",
        ],
    },
    "dacorum": {  # 003
        "statutory": [
            "Dacorum Borough Council",
            "Hertfordshire Constabulary",
            "Hertfordshire Fire and Rescue Service",  # "Hertfordshire Fire and Rescue"
            "Herts Valleys Clinical Commissioning Group",  # "West Herts Clinical Commissioning Group"
            "BeNCH Community Rehabilitation Company (CRC)",
        ],
        "co_opted": ["Hertfordshire Police and Crime Commissioner"],  # "co-operating body"
        "non_statutory": [
            "Hertfordshire Services for Young People",  # "YC Herts"
            "Hightown Housing Association",
            "Change Grow Live",  # "CGL - Change, Grow, Live."
            "Specialist Adolescent Service Hertfordshire (SASH)",  # "SASH formerly YOTs"
            "DENS",
            "Trading Standards",
            "HCC Road Safety unit",
            "West Herts College",
            "Neighbourhood Watch",
            "Hemel Hempstead Town Centre Bid Management",
        ],
    },
    "st-albans": {  # 004: the partner agencies, then "other agencies such as…"
        "statutory": [
            "St Albans City & District Council",
            "Hertfordshire Constabulary",
            "Hertfordshire Fire and Rescue Service",
            "National Probation Service",
            "Herts Valleys Clinical Commissioning Group",
            "Hertfordshire County Council",
        ],
        "co_opted": ["Hertfordshire Police and Crime Commissioner"],
        "non_statutory": [
            "Hertfordshire Services for Young People",  # "HCC Services for Young People"
            "British Transport Police",
            "Govia Thameslink",
            "Central Herts Magistrates Bench",
            "Crown Prosecution Service",
            "Trading Standards",  # "Hertfordshire County Council’s Trading Standards and Highways teams"
            "Hertfordshire County Council Highways",
            "Housing Associations",
            "Oaklands College",
            "Change Grow Live",  # "CGL (Change, Grow, Live)"
            "The Living Room",
            "Safer Places",
            "Communities 1st",
        ],
    },
}

# (actions, updates) per priority of the 2019-2020 plan, counted by hand in 002: one
# update per dated note (and per undated note or list entry), none for an empty "•".
PER_PRIORITY_2019_2020 = {1: (17, 77), 2: (5, 9), 3: (6, 31), 4: (10, 26), 5: (12, 15)}


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def history_counts():
    return {model.__name__: model.history.count() for model in MODELS}


def action_named(plan, text):
    return Action.objects.in_plan(plan).get(text=text)


# -- the partner directories ----------------------------------------------------------


@pytest.mark.parametrize("slug", PARTNERS)
def test_partner_list_matches_the_seed(seeded, slug):
    memberships = Membership.objects.filter(partnership__slug=slug).select_related("organisation")
    found = {kind: [] for kind in PARTNERS[slug]}
    for membership in memberships.order_by("type", "order"):
        found[membership.type].append(membership.organisation.name)
    assert found == PARTNERS[slug]


@pytest.mark.parametrize(
    ("slug", "organisation", "note"),
    [
        (
            "hertsmere",
            "Hertfordshire Police and Crime Commissioner",
            "Hertfordshire Police and Crime Commissioner (co-opted)",
        ),
        (
            "dacorum",
            "Hertfordshire Police and Crime Commissioner",
            "Office of the Police and Crime Commissioner (co-operating body)",
        ),
        ("dacorum", "Change Grow Live", "CGL - Change, Grow, Live."),
        ("dacorum", "Herts Valleys Clinical Commissioning Group", "West Herts Clinical Commissioning Group"),
        (
            "st-albans",
            "Hertfordshire Services for Young People",
            "HCC Services for Young People; listed among the partner agencies",
        ),
    ],
)
def test_membership_keeps_the_partnerships_own_wording(seeded, slug, organisation, note):
    membership = Membership.objects.get(partnership__slug=slug, organisation__name=organisation)
    assert membership.note == note


def test_shared_organisations_are_one_row_with_a_membership_in_each_partnership(seeded):
    for name in [
        "Hertfordshire Constabulary",
        "Hertfordshire Fire and Rescue Service",
        "Trading Standards",
        "Change Grow Live",
    ]:
        organisation = Organisation.objects.get(name__iexact=name)
        slugs = set(organisation.memberships.values_list("partnership__slug", flat=True))
        assert slugs == {"hertsmere", "dacorum", "st-albans"}, name


def test_dacorum_has_its_three_governance_tiers(seeded):
    groups = GovernanceGroup.objects.filter(partnership__slug="dacorum").order_by("tier")
    assert [(g.abbreviation, g.kind, g.tier) for g in groups] == [
        ("RAOG", "raog", 1),
        ("JAG", "jag", 2),
        ("CSAG", "csag", 3),
    ]


def test_hertsmere_contacts_page_is_public(seeded):
    contacts = Contact.objects.filter(partnership__slug="hertsmere")
    assert contacts.count() == 9
    assert all(c.is_public for c in contacts)
    assert contacts.get(name="Borehamwood Fire Station").phone == "020 8258 1100"


def test_da_fora_are_shared_with_st_albans(seeded):
    group = GovernanceGroup.objects.get(name="Welwyn Hatfield, St Albans and Hertsmere DA Fora")
    assert group.partnership.slug == "hertsmere"
    assert list(group.partnerships.values_list("slug", flat=True)) == ["st-albans"]


# -- strategies and the assessment ---------------------------------------------------


def test_2016_2020_aims_carry_their_performance_measures_without_values(seeded):
    strategy = Strategy.objects.get(
        partnership__slug="hertsmere", title="Community Safety Partnership Plan", start_year=2016
    )
    measures = {aim.text: [m.name for m in aim.measures.all()] for aim in strategy.aims.all()}
    assert measures == {
        "To create safer environments by tackling crime and anti-social behaviour": [
            "Rate of all crime",
            "Crime rates for burglary dwelling, vehicle crime, robbery, violence against the person, criminal damage, "
            "theft from person, domestic abuse, anti-social behaviour",
            "Customer satisfaction surveys",
        ],
        "To reduce harm caused by drugs and alcohol": [
            "Effectiveness of Hertsmere Pub Watch",
            "Drug related offending rate",
        ],
        "To build community confidence and increase feelings of safety": [
            "Feedback from Safer Streets",
            "Perception surveys - residents feelings of safety",
            "Feedback from local CSP meetings",
        ],
    }
    assert not PerformanceMeasure.objects.filter(values__isnull=False).exists()
    assert not PerformanceMeasure.objects.filter(target__isnull=False).exists()


def test_2019_2020_plan_keeps_the_four_aims_it_states(hertsmere_plan):
    assert hertsmere_plan.strategy.start_year == 2016
    assert hertsmere_plan.strategy.aims.count() == 4
    assert hertsmere_plan.strategy.aims.first().text == "Tackle crime, anti-social behaviour and extremism"


def test_assessment_lists_six_top_risks_and_five_emerging_risks(hertsmere_plan):
    assessment = hertsmere_plan.assessment
    assert (assessment.start_year, assessment.end_year) == (2018, 2019)
    assert len(assessment.top_risks()) == 6
    assert len(assessment.emerging_risks()) == 5


# -- the 2019-2020 action plan -------------------------------------------------------


def test_2019_2020_plan_has_five_priorities_from_the_emerging_risks(hertsmere_plan):
    priorities = list(hertsmere_plan.priorities.select_related("source_risk"))
    assert [p.number for p in priorities] == [1, 2, 3, 4, 5]
    assert all(p.source_risk.kind == Risk.Kind.EMERGING and p.source_risk.text == p.title for p in priorities)
    assert priorities[0].title == "Identify and prevent serious Youth Violence, with a specific focus on knife crime"


@pytest.mark.parametrize(("number", "expected"), PER_PRIORITY_2019_2020.items())
def test_actions_and_updates_per_priority_match_the_hand_count(hertsmere_plan, number, expected):
    actions = Action.objects.filter(issue__priority__plan=hertsmere_plan, issue__priority__number=number)
    updates = ActionUpdate.objects.filter(action__in=actions)
    assert (actions.count(), updates.count()) == expected


def test_op_scorpion_action_is_owned_by_di_macbeth(hertsmere_plan):
    action = Action.objects.in_plan(hertsmere_plan).get(text__startswith="Utilise Weekly Op Scorpion meetings")
    assert action.owner_role == "DI Macbeth"
    assert action.owners_display() == "DI Macbeth"


def test_referrals_action_carries_the_update_of_9_december_2019(hertsmere_plan):
    action = action_named(hertsmere_plan, "Refer young people at risk to the CYP, Schools and Gang team")
    update = action.updates.get(date=datetime.date(2019, 12, 9), text__startswith="09/12/2019")
    assert "23 young people have been referred" in update.text
    assert update.written_on == update.date


def test_owners_map_to_teams_organisations_and_groups(hertsmere_plan):
    closure = Action.objects.in_plan(hertsmere_plan).get(text__startswith="Secure closure orders")
    assert [t.name for t in closure.owner_teams.all()] == ["Hertsmere SNT"]
    assert closure.owner_role == "Sgt Vaughan"
    assert closure.owner_label == "Hertsmere SNT Sgt Vaughan"
    stop_search = Action.objects.in_plan(hertsmere_plan).get(text__startswith="Ensure messages re use of stop search")
    assert [o.name for o in stop_search.owner_organisations.all()] == ["Hertfordshire Constabulary"]
    assert stop_search.owner_label == "Hertsmere Police"
    conference = action_named(hertsmere_plan, "Annual Domestic Abuse conference")
    assert [g.name for g in conference.owner_groups.all()] == ["Welwyn Hatfield, St Albans and Hertsmere DA Fora"]


def test_action_split_by_a_page_break_is_one_action_with_its_notes(hertsmere_plan):
    action = Action.objects.in_plan(hertsmere_plan).get(text__endswith="from the St Giles Trust worker")
    assert action.text.startswith("Refer young people who are at serious risk or involved in gangs to the YAP")
    assert action.updates.count() == 3


def test_stop_and_search_action_is_discharged_with_its_reason(hertsmere_plan):
    action = Action.objects.in_plan(hertsmere_plan).get(text__startswith="Ensure messages re use of stop search")
    assert action.status == Status.DISCHARGED
    assert "can therefore be discharged from action plan" in action.status_reason


def test_stop_and_search_email_update_is_official_sensitive(hertsmere_plan):
    sensitive = ActionUpdate.objects.filter(action__issue__priority__plan=hertsmere_plan).sensitive()
    assert sensitive.count() == 1
    update = sensitive.get()
    assert "OFFICIAL SENSITIVE - OPERATIONAL" in update.text
    assert update.status_change == Status.DISCHARGED
    assert update.action.text.startswith("Ensure messages re use of stop search")


def test_no_action_or_update_has_an_invented_rating(seeded):
    assert set(Action.objects.values_list("rag", flat=True)) == {Rag.NOT_RATED}
    assert set(ActionUpdate.objects.values_list("rag", flat=True)) == {Rag.NOT_RATED}
    assert set(Action.objects.exclude(status=Status.OPEN).values_list("text", flat=True)) == {
        "Ensure messages re use of stop search are circulated via Chiefs message and are monitored through local "
        "Performance Review board"
    }


def test_empty_bullet_notes_are_not_updates(hertsmere_plan):
    action = action_named(hertsmere_plan, "Actively promote the Hertfordshire DA helpline")
    assert action.updates.count() == 0


def test_updates_are_recorded_as_the_app_records_them(hertsmere_plan):
    updates = ActionUpdate.objects.filter(action__issue__priority__plan=hertsmere_plan)
    assert not updates.exclude(previous_rag=Rag.NOT_RATED).exists()
    assert all(u.written_on == u.date for u in updates)
    assert all(u.source_note.startswith("Community Safety Action Plan 2019 - 2020") for u in updates)


def test_undated_notes_say_how_their_date_was_chosen(hertsmere_plan):
    update = ActionUpdate.objects.get(text="Need to raise awareness on social media")
    assert update.date == datetime.date(2019, 12, 11)
    assert "Undated" in update.source_note


def test_actions_keep_document_order(hertsmere_plan):
    issue = hertsmere_plan.priorities.get(number=1).issues.first()
    assert [a.text for a in issue.actions.all()][:2] == [
        "Arrange events in the community",
        "Arrange workshops for students in Primary and Secondary Schools to raise awareness of knife crime, county "
        "lines, exploitation, drugs and gangs",
    ]


# -- the other plans ---------------------------------------------------------------------


def test_hertsmere_2025_2026_priorities_list_what_the_partnership_will_do(seeded):
    plan = ActionPlan.objects.get(slug="hertsmere-2025-2026")
    per_priority = [Action.objects.filter(issue__priority=p).count() for p in plan.priorities.all()]
    assert per_priority == [12, 15, 8]
    assert not ActionUpdate.objects.filter(action__issue__priority__plan=plan).exists()
    assert plan.strategy.aims.count() == 3


def test_st_albans_commitments_sit_under_one_issue_per_agency(seeded):
    plan = ActionPlan.objects.get(slug="st-albans-2024-2027")
    issues = {p.number: [i.title for i in p.issues.all()] for p in plan.priorities.all()}
    assert issues == {
        1: [
            "St Albans City & District Council",
            "Hertfordshire Services for Young People",
            "Hertfordshire Fire and Rescue Service",
            "Hertfordshire Constabulary",
        ],
        2: [
            "Hertfordshire Services for Young People",
            "Hertfordshire Fire and Rescue Service",
            "Hertfordshire Constabulary",
        ],
        3: ["St Albans City and District Community Safety Partnership"],
    }
    assert Action.objects.in_plan(plan).count() == 28
    unowned = Action.objects.in_plan(plan).filter(owner_organisations__isnull=True, owner_groups__isnull=True)
    assert not unowned.exists()


# -- loading again -----------------------------------------------------------------------


def test_loading_twice_changes_nothing(seeded):
    before, history_before = counts(), history_counts()
    call_command("load_seed", verbosity=0)
    assert counts() == before
    assert history_counts() == history_before


def test_reload_keeps_what_was_added_since(hertsmere_plan):
    action = action_named(hertsmere_plan, "Deliver Safer Street events")
    action_add_update(action=action, text="Another event", rag=Rag.GREEN)
    action.text = "Deliver Safer Streets events"
    action.save()
    before = counts()
    call_command("load_seed", verbosity=0)
    assert counts() == before
    action.refresh_from_db()
    assert (action.text, action.rag) == ("Deliver Safer Streets events", Rag.GREEN)


def test_row_without_an_action_keeps_its_note_under_its_issue(hertsmere_plan):
    issue = Issue.objects.get(priority__plan=hertsmere_plan, title="Children missing and CSE working group")
    first, second = issue.actions.all()
    assert first.text == "(no action given)"
    assert [u.text for u in first.updates.all()] == ["Actions to be agreed"]
    assert first.owners_display() == ""
    assert second.owner_label == "CST/SNT"
    assert second.owner_teams.count() == 2


def test_fixture_naming_an_unknown_owner_fails_and_loads_nothing(db, tmp_path):
    fixture = {
        "partnership": {"slug": "nowhere", "name": "Nowhere CSP", "short_name": "Nowhere"},
        "plans": [
            {
                "slug": "nowhere-2025-2026",
                "title": "Community Safety Action Plan",
                "start_year": 2025,
                "end_year": 2026,
                "priorities": [
                    {
                        "number": 1,
                        "title": "Reduce harm",
                        "issues": [{"title": "Harm", "actions": [{"text": "Act", "owner": {"teams": ["Ghost team"]}}]}],
                    }
                ],
            }
        ],
    }
    path = tmp_path / "nowhere.json"
    path.write_text(json.dumps(fixture), encoding="utf-8")
    with pytest.raises(CommandError, match="Ghost team"):
        call_command("load_seed", str(path), verbosity=0)
    assert not Partnership.objects.filter(slug="nowhere").exists()


def test_an_organisation_shared_by_fixtures_is_described_the_same_in_each(db):
    described = {}
    for path in fixture_paths():
        for spec in json.loads(path.read_text(encoding="utf-8"))["organisations"]:
            described.setdefault(normalise_name(spec["name"]), []).append(spec)
    differing = [name for name, specs in described.items() if any(s != specs[0] for s in specs)]
    assert differing == []
