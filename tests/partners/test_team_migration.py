"""partners 0002/0003: every team gets a partnership, and a grant from each other
partnership whose actions it owned, so nothing visible to its owners disappears.

Run for real: the database is taken back to before the migration, rows are written
with the models of that time, and the migrations run forward again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def _latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


# The state partners 0002 was written against: later migrations of actions depend on later
# partners migrations, so they are taken back too.
BEFORE = {
    "partners": "0001_initial",
    "actions": "0006_action_update_summary",
    "plans": "0002_background_tasks_for_packs_and_imports",
}


def _before():
    """Every app at its latest migration but partners (before grants) and actions (as it then was)."""
    return [node for node in _latest() if node[0] not in BEFORE] + list(BEFORE.items())


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def old_apps(transactional_db):
    apps = _migrate(_before())
    yield apps
    _migrate(_latest())


def _build(apps):
    """Two partnerships; teams without a partnership in each way the migration must place them."""
    Partnership = apps.get_model("partners", "Partnership")
    Organisation = apps.get_model("partners", "Organisation")
    Membership = apps.get_model("partners", "Membership")
    Team = apps.get_model("partners", "Team")
    User = apps.get_model("partners", "User")
    Role = apps.get_model("partners", "Role")
    ActionPlan = apps.get_model("plans", "ActionPlan")
    Priority = apps.get_model("plans", "Priority")
    Issue = apps.get_model("plans", "Issue")
    Action = apps.get_model("actions", "Action")

    herts = Partnership.objects.create(name="Hertsmere CSP", short_name="Hertsmere", slug="hertsmere")
    albans = Partnership.objects.create(name="St Albans CSP", short_name="St Albans", slug="st-albans")
    police = Organisation.objects.create(name="Hertfordshire Constabulary")
    council = Organisation.objects.create(name="Hertsmere Borough Council")
    charity = Organisation.objects.create(name="Youth charity")
    Membership.objects.create(partnership=herts, organisation=police, type="statutory")
    Membership.objects.create(partnership=albans, organisation=police, type="statutory")
    Membership.objects.create(partnership=herts, organisation=council, type="statutory")
    Membership.objects.create(partnership=albans, organisation=charity, type="co_opted", ended_on="2020-01-01")

    def action_in(partnership, *teams):
        plan = ActionPlan.objects.create(
            partnership=partnership, title="Plan", slug=f"{partnership.slug}-plan", start_year=2024, end_year=2025
        )
        issue = Issue.objects.create(priority=Priority.objects.create(plan=plan, number=1, title="P"), title="I")
        action = Action.objects.create(issue=issue, text=f"Action of {partnership.short_name}", reference=plan.slug)
        action.owner_teams.set(teams)
        return action

    joint = Team.objects.create(organisation=police, name="Joint SNT")  # owns 2 Hertsmere actions, 1 St Albans
    by_members = Team.objects.create(organisation=police, name="Members' team")  # owns nothing
    by_membership = Team.objects.create(organisation=council, name="Council team")  # only one current partner
    by_past = Team.objects.create(organisation=charity, name="Charity team")  # a past membership only
    placed = Team.objects.create(organisation=police, name="Placed", partnership=albans)  # owns a Hertsmere action
    first = action_in(herts, joint, placed)
    Action.objects.create(issue=first.issue, text="Second", reference="second").owner_teams.set([joint])
    action_in(albans, joint)
    member = User.objects.create(username="member")
    member.teams.set([by_members])
    Role.objects.create(user=member, partnership=albans, role="officer")
    return {
        "herts": herts.pk,
        "albans": albans.pk,
        "joint": joint.pk,
        "by_members": by_members.pk,
        "by_membership": by_membership.pk,
        "by_past": by_past.pk,
        "placed": placed.pk,
    }


def test_migration_places_every_team_and_grants_joint_owners(old_apps):
    ids = _build(old_apps)
    _migrate(_latest())
    from partners.models import Team, TeamGrant

    partnership_of = dict(Team.objects.values_list("pk", "partnership_id"))
    assert partnership_of[ids["joint"]] == ids["herts"]  # most of its actions
    assert partnership_of[ids["by_members"]] == ids["albans"]  # its members' roles
    assert partnership_of[ids["by_membership"]] == ids["herts"]  # its organisation's only current membership
    assert partnership_of[ids["by_past"]] == ids["albans"]  # its organisation's earliest membership
    grants = set(TeamGrant.objects.values_list("partnership_id", "team_id"))
    assert grants == {(ids["albans"], ids["joint"]), (ids["herts"], ids["placed"])}
