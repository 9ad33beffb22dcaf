"""The queryset methods of the access rule, each directly, and against the per-object
rights on data spread over three partnerships with a shared organisation, joint actions
and grants, for every kind of user."""

import datetime

import pytest

from actions.access import action_rights
from actions.models import Action, ActionUpdate, Marking, user_owns
from actions.services import action_add_update
from partners.models import Role
from plans.models import ActionPlan
from tests import factories as f


def _person(username, teams=(), **roles):
    user = f.UserFactory(username=username, teams=list(teams))
    for partnership, role in roles.items():
        f.RoleFactory(user=user, partnership=partnership_by_slug[partnership], role=role)
    return user


partnership_by_slug = {}


@pytest.fixture
def world(db):
    """Partnerships a, b, c; the county police partners all three. ``a`` granted b's police
    team; c's team owns an action of ``a`` without a grant."""
    partnership_by_slug.clear()
    for slug in "abc":
        partnership_by_slug[slug] = f.PartnershipFactory(slug=slug, name=f"Partnership {slug}", short_name=slug)
    a, b, c = (partnership_by_slug[s] for s in "abc")
    police = f.OrganisationFactory(name="County police")
    council = f.OrganisationFactory(name="Council of a")
    for p in (a, b, c):
        f.MembershipFactory(partnership=p, organisation=police)
    teams = {
        "a_council": f.TeamFactory(name="a council", organisation=council, partnership=a),
        "a_police": f.TeamFactory(name="a police", organisation=police, partnership=a),
        "b_police": f.TeamFactory(name="b police", organisation=police, partnership=b),
        "c_team": f.TeamFactory(name="c team", partnership=c),
    }
    f.TeamGrantFactory(partnership=a, team=teams["b_police"])
    actions = []
    for p in (a, b, c):
        issue = f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=p, slug=f"{p.slug}-plan")))
        actions += [
            f.ActionFactory(issue=issue, owner_teams=[teams["a_council"]]),
            f.ActionFactory(issue=issue, owner_organisations=[police]),
            f.ActionFactory(issue=issue, owner_teams=[teams["b_police"]]),
            f.ActionFactory(issue=issue, owner_teams=[teams["c_team"], teams["a_police"]]),
            f.ActionFactory(issue=issue, owner_organisations=[council]),
        ]
    archived = f.PlanFactory(partnership=a, slug="a-old", status=ActionPlan.Status.ARCHIVED)
    actions.append(
        f.ActionFactory(
            issue=f.IssueFactory(priority=f.PriorityFactory(plan=archived)), owner_teams=[teams["a_council"]]
        )
    )
    for action in actions:
        action_add_update(action=action, text="Official note")
        action_add_update(action=action, text="Restricted note", marking=Marking.OFFICIAL_SENSITIVE)
    officer, chair, admin = Role.Kind.OFFICER, Role.Kind.CHAIR, Role.Kind.ADMIN
    people = {
        "officer": _person("officer", [teams["a_council"]], a=officer),
        "other_officer": _person("other_officer", [teams["a_police"]], a=officer),
        "chair": _person("chair", a=chair),
        "admin": _person("admin", a=admin),
        "outsider": _person("outsider", c=admin),
        "granted_officer": _person("granted_officer", [teams["b_police"]], b=officer),
        "ungranted_officer": _person("ungranted_officer", [teams["c_team"]], c=officer),
        "team_without_role": _person("team_without_role", [teams["b_police"]]),
        "chair_and_officer": _person("chair_and_officer", [teams["a_police"]], a=officer, b=chair),
        "nobody": _person("nobody"),
        "superuser": f.UserFactory(username="root", is_superuser=True),
    }
    return {"people": people, "actions": actions, "teams": teams, "police": police}


def _all_actions():
    return list(
        Action.objects.select_related("issue__priority__plan").prefetch_related("owner_teams", "owner_organisations")
    )


KINDS = [
    "officer",
    "other_officer",
    "chair",
    "admin",
    "outsider",
    "granted_officer",
    "ungranted_officer",
    "team_without_role",
    "chair_and_officer",
    "nobody",
    "superuser",
]


@pytest.mark.parametrize("kind", KINDS)
def test_visible_to_and_owned_by_agree_with_the_check_of_each_action(world, kind):
    user = world["people"][kind]
    actions = _all_actions()
    rights = {a.pk: action_rights(user, a) for a in actions}
    assert set(Action.objects.visible_to(user).values_list("pk", flat=True)) == {
        pk for pk, r in rights.items() if r.may_view
    }
    owned = set(Action.objects.owned_by(user).values_list("pk", flat=True))
    assert owned == {a.pk for a in actions if user_owns(user, a)}


@pytest.mark.parametrize("kind", KINDS)
def test_readable_by_agrees_with_may_read_sensitive(world, kind):
    user = world["people"][kind]
    rights = {a.pk: action_rights(user, a) for a in _all_actions()}
    expected = {
        u.pk
        for u in ActionUpdate.objects.all()
        if rights[u.action_id].may_view and (u.marking == Marking.OFFICIAL or rights[u.action_id].may_read_sensitive)
    }
    assert set(ActionUpdate.objects.readable_by(user).values_list("pk", flat=True)) == expected


def test_the_data_is_not_vacuous(world):
    """Some people see restricted notes others do not, and the grant matters."""
    people = world["people"]
    counts = {k: ActionUpdate.objects.readable_by(people[k]).sensitive().count() for k in KINDS}
    assert counts["superuser"] > counts["admin"] > counts["officer"] > counts["nobody"] == 0
    assert counts["granted_officer"] > 0 and counts["ungranted_officer"] > 0


def test_owned_by_counts_a_team_in_its_own_partnership_and_where_granted(world):
    a_actions = world["actions"][:5]
    owned = set(Action.objects.owned_by(world["people"]["granted_officer"]))
    b_actions = world["actions"][5:10]
    # b's police team: organisation-level and team-level in b, team-level in a (granted); nothing of c
    assert owned == {a_actions[1], a_actions[2], b_actions[1], b_actions[2]}


def test_owned_by_ignores_a_team_named_without_a_grant(world):
    owned = set(Action.objects.owned_by(world["people"]["ungranted_officer"]))
    c_actions = world["actions"][10:15]
    assert owned == {c_actions[3]}


def test_visible_to_gives_nothing_to_anonymous_users(world):
    from django.contrib.auth.models import AnonymousUser

    assert not Action.objects.visible_to(AnonymousUser()).exists()
    assert not Action.objects.owned_by(AnonymousUser()).exists()
    assert not ActionUpdate.objects.readable_by(AnonymousUser()).exists()


def test_plans_for_user_are_those_of_their_partnerships(world):
    people = world["people"]
    assert set(ActionPlan.objects.for_user(people["chair_and_officer"]).values_list("slug", flat=True)) == {
        "a-plan",
        "a-old",
        "b-plan",
    }
    assert not ActionPlan.objects.for_user(people["team_without_role"]).exists()
    assert ActionPlan.objects.for_user(people["superuser"]).count() == 4


def test_rights_of_each_kind_on_a_granted_joint_action(world):
    action = next(a for a in _all_actions() if a.pk == world["actions"][2].pk)  # a's, owned by b's police team
    people = world["people"]
    summary = {
        kind: (r.may_view, r.may_edit, r.may_review, r.may_read_sensitive)
        for kind in ("officer", "chair", "admin", "granted_officer", "outsider")
        for r in [action_rights(people[kind], action)]
    }
    assert summary == {
        "officer": (True, False, False, False),
        "chair": (True, False, True, True),
        "admin": (True, True, True, True),
        "granted_officer": (True, True, False, True),
        "outsider": (False, False, False, False),
    }


# The rights object's own methods --------------------------------------------------------


@pytest.fixture
def noted(action, officer):
    return action_add_update(action=action, author=officer, text="My note")


def _rights(user, action):
    return action_rights(user, Action.objects.select_related("issue__priority__plan").get(pk=action.pk))


def test_the_author_corrects_an_update_for_24_hours(officer, action, noted):
    rights = _rights(officer, action)
    assert rights.may_edit_update(noted, now=noted.created_at + datetime.timedelta(hours=23))
    assert not rights.may_edit_update(noted, now=noted.created_at + datetime.timedelta(hours=25))
    assert not rights.may_delete_update(noted)


def test_others_of_the_partnership_do_not_correct_it_but_the_admin_does(other_officer, chair, admin, action, noted):
    assert not _rights(other_officer, action).may_edit_update(noted)
    assert not _rights(chair, action).may_edit_update(noted)
    later = noted.created_at + datetime.timedelta(days=30)
    assert _rights(admin, action).may_edit_update(noted, now=later)
    assert _rights(admin, action).may_delete_update(noted)


def test_deleted_updates_and_archived_plans_change_no_more(admin, officer, action, noted):
    noted.is_deleted = True
    assert not _rights(admin, action).may_edit_update(noted)
    assert not _rights(admin, action).may_delete_update(noted)
    noted.is_deleted = False
    plan = action.plan
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    admin_rights, officer_rights = _rights(admin, action), _rights(officer, action)
    assert not admin_rights.may_delete_update(noted)
    assert not officer_rights.may_edit_update(noted)
    assert (officer_rights.may_add_update, officer_rights.would_update_if_open) == (False, True)


def test_a_chair_reviews_and_an_anonymous_user_has_no_rights(chair, action):
    from django.contrib.auth.models import AnonymousUser

    rights = _rights(chair, action)
    assert (rights.is_reviewer, rights.may_review, rights.may_edit, rights.may_view_plan) == (True, True, False, True)
    assert not _rights(AnonymousUser(), action).may_view


def test_the_edit_form_offers_our_teams_and_those_we_granted(action, team, other_team, other_partnership):
    from actions.forms import ActionEditForm

    granted = f.TeamFactory(name="Granted team", partnership=other_partnership)
    f.TeamGrantFactory(partnership=action.plan.partnership, team=granted)
    f.TeamFactory(name="Not granted", partnership=other_partnership)
    form = ActionEditForm(action=Action.objects.get(pk=action.pk), may_change_status=False)
    assert set(form.fields["owner_teams"].queryset) == {team, other_team, granted}
