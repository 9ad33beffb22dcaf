"""Bulk changes to a plan's actions (``actions.bulk``): what they write, one history row per
action, all or nothing, refused when stale or outside the plan, flat in queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from actions.bulk import Change, OwnerMode, bulk_change, bulk_preview
from actions.models import Action, HistoricalAction_owner_teams, Status
from plans.models import ActionPlan
from tests import factories as f

WRITES = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def twenty(issue, team):
    return [f.ActionFactory(issue=issue, owner_teams=[team]) for _ in range(20)]


def _versions(actions):
    return {action.pk: action.version for action in actions}


def _state(plan):
    """Everything a bulk change could touch, to compare before and after."""
    actions = Action.objects.in_plan(plan).order_by("pk")
    return (
        list(actions.values_list("pk", "issue_id", "order", "target_date", "status", "status_reason", "version")),
        list(Action.owner_teams.through.objects.order_by("pk").values_list("action_id", "team_id")),
        list(Action.owner_groups.through.objects.order_by("pk").values_list("action_id", "governancegroup_id")),
        Action.history.count(),
        HistoricalAction_owner_teams.objects.count(),
    )


def _reassign(plan, admin, actions, *teams, mode=OwnerMode.REPLACE, groups=()):
    return bulk_change(
        plan=plan,
        editor=admin,
        versions=_versions(actions),
        change=Change.OWNERS,
        owner_mode=mode,
        owner_teams=list(teams),
        owner_organisations=[],
        owner_groups=list(groups),
    )


def _close(plan, admin, actions, reason="Delivered in full"):
    return bulk_change(
        plan=plan,
        editor=admin,
        versions=_versions(actions),
        change=Change.CLOSE,
        status=Status.COMPLETED,
        status_reason=reason,
    )


def test_bulk_reassign_of_twenty_actions_writes_one_history_row_each_with_the_new_owners(
    plan, admin, twenty, other_team
):
    rows_before = {action.pk: action.history.count() for action in twenty}

    changed = _reassign(plan, admin, twenty, other_team)

    assert len(changed) == 20
    for action in twenty:
        assert list(action.owner_teams.values_list("pk", flat=True)) == [other_team.pk]
        latest, *earlier = action.history.order_by("-history_id")
        assert len(earlier) == rows_before[action.pk]
        assert latest.history_user == admin
        assert latest.version == 2
        assert [t.team_id for t in latest.owner_teams.all()] == [other_team.pk]


def test_bulk_close_of_twenty_actions_writes_one_history_row_each(plan, admin, twenty):
    rows_before = {action.pk: action.history.count() for action in twenty}

    _close(plan, admin, twenty)

    for action in twenty:
        action.refresh_from_db()
        assert (action.status, action.status_reason, action.version) == (Status.COMPLETED, "Delivered in full", 2)
        assert action.history.count() == rows_before[action.pk] + 1
        assert action.history.first().history_user == admin
        # The owners are recorded on the new row too, unchanged.
        assert action.history.first().owner_teams.count() == 1


def test_adding_an_owner_keeps_the_current_ones_and_skips_actions_that_have_it(
    plan, admin, issue, team, other_team, partnership
):
    group = f.GovernanceGroupFactory(partnership=partnership)
    has_both = f.ActionFactory(issue=issue, owner_teams=[team, other_team], owner_role="DI Macbeth")
    has_one = f.ActionFactory(issue=issue, owner_teams=[team], owner_role="DI Macbeth")
    rows_before = has_both.history.count()

    changed = _reassign(plan, admin, [has_both, has_one], other_team, mode=OwnerMode.ADD)

    assert changed == [has_one]
    assert set(has_one.owner_teams.values_list("pk", flat=True)) == {team.pk, other_team.pk}
    has_one.refresh_from_db()
    assert has_one.owner_role == "DI Macbeth"
    has_both.refresh_from_db()
    assert (has_both.version, has_both.history.count()) == (1, rows_before)
    _reassign(plan, admin, [has_both], mode=OwnerMode.ADD, groups=[group])
    assert list(has_both.owner_groups.all()) == [group]


def test_replacing_owners_drops_the_named_person_and_the_source_label(plan, admin, issue, team, other_team):
    action = f.ActionFactory(issue=issue, owner_teams=[team], owner_role="DI Macbeth", owner_label="CST (Macbeth)")

    _reassign(plan, admin, [action], other_team)

    action.refresh_from_db()
    assert (action.owner_role, action.owner_label, action.owners_display()) == ("", "", other_team.name)


def test_moving_puts_the_actions_after_those_already_under_the_issue(plan, admin, twenty, priority):
    target = f.IssueFactory(priority=priority, title="Reduce repeat victims")
    already = f.ActionFactory(issue=target, order=7)

    bulk_change(plan=plan, editor=admin, versions=_versions(twenty[:3]), change=Change.ISSUE, issue=target)

    moved = list(Action.objects.filter(issue=target).order_by("order").values_list("pk", "order"))
    assert moved == [(already.pk, 7)] + [(a.pk, 8 + n) for n, a in enumerate(twenty[:3])]


def test_an_issue_of_another_plan_is_refused_and_nothing_changes(plan, admin, twenty, partnership):
    elsewhere = f.IssueFactory(priority__plan=f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027))
    before = _state(plan)

    with pytest.raises(ValidationError, match="only to an issue of their own plan"):
        bulk_change(plan=plan, editor=admin, versions=_versions(twenty), change=Change.ISSUE, issue=elsewhere)

    assert _state(plan) == before


def test_moved_actions_keep_their_plan_order(plan, admin, priority):
    earlier_issue = f.IssueFactory(priority=priority, order=1)
    later_issue = f.IssueFactory(priority=priority, order=2)
    later = f.ActionFactory(issue=later_issue, order=1)
    first = f.ActionFactory(issue=earlier_issue, order=5)
    target = f.IssueFactory(priority=priority)

    bulk_change(plan=plan, editor=admin, versions=_versions([later, first]), change=Change.ISSUE, issue=target)

    assert list(Action.objects.filter(issue=target).order_by("order").values_list("pk", flat=True)) == [
        first.pk,
        later.pk,
    ]


def test_changing_the_target_date(plan, admin, twenty):
    day = datetime.date(2027, 3, 31)
    bulk_change(plan=plan, editor=admin, versions=_versions(twenty), change=Change.TARGET_DATE, target_date=day)

    assert set(Action.objects.in_plan(plan).values_list("target_date", flat=True)) == {day}


def test_the_preview_says_before_and_after_and_writes_nothing(plan, twenty, team, other_team):
    before = _state(plan)
    actions = list(Action.objects.filter(pk__in=[a.pk for a in twenty[:2]]).prefetch_related("owner_teams"))

    outcomes = bulk_preview(
        actions=actions,
        change=Change.OWNERS,
        owner_mode=OwnerMode.ADD,
        owner_teams=[other_team],
        owner_organisations=[],
        owner_groups=[],
    )

    assert [(o.before, o.after) for o in outcomes] == [(team.name, f"{team.name} / {other_team.name}")] * 2
    assert _state(plan) == before


def test_an_action_changed_since_the_confirmation_is_refused_and_nothing_changes(plan, admin, twenty):
    versions = _versions(twenty)
    Action.objects.filter(pk=twenty[5].pk).update(version=2)  # someone edited it meanwhile
    before = _state(plan)

    with pytest.raises(ValidationError, match="1 of the selected actions changed since you checked"):
        bulk_change(
            plan=plan, editor=admin, versions=versions, change=Change.CLOSE, status=Status.CANCELLED, status_reason="x"
        )

    assert _state(plan) == before


def test_an_action_of_another_plan_is_refused_and_nothing_changes(plan, admin, twenty, other_partnership):
    stranger = f.ActionFactory(issue__priority__plan__partnership=other_partnership)
    before = _state(plan)

    with pytest.raises(ValidationError, match="1 of the selected actions is not in this plan"):
        _close(plan, admin, [*twenty, stranger])

    assert _state(plan) == before
    stranger.refresh_from_db()
    assert stranger.status == Status.OPEN


def test_an_archived_plan_refuses(plan, admin, twenty):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()

    with pytest.raises(ValidationError, match="archived"):
        _close(plan, admin, twenty)

    assert not Action.objects.in_plan(plan).exclude(status=Status.OPEN).exists()


def _count_writes(run):
    writes = []

    def count(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            writes.append(sql)
        return execute(sql, params, many, context)

    with transaction.atomic(), connection.execute_wrapper(count):
        run()
        transaction.set_rollback(True)
    return len(writes)


@pytest.mark.parametrize("change", ["reassign", "close"])
def test_a_failure_at_any_write_leaves_nothing_changed(plan, admin, twenty, other_team, partnership, change):
    group = f.GovernanceGroupFactory(partnership=partnership)

    def run():
        if change == "reassign":
            _reassign(plan, admin, twenty, other_team, groups=[group])
        else:
            _close(plan, admin, twenty)

    total = _count_writes(run)
    assert total >= 3  # the actions, their history, the owners the history records
    before = _state(plan)
    for failing in range(1, total + 1):
        seen = []

        def fail_at(execute, sql, params, many, context, failing=failing, seen=seen):
            if sql.lstrip().upper().startswith(WRITES):
                seen.append(sql)
                if len(seen) == failing:
                    raise DatabaseError(f"write {failing} fails")
            return execute(sql, params, many, context)

        with pytest.raises(DatabaseError), connection.execute_wrapper(fail_at):
            run()
        assert _state(plan) == before, f"write {failing} of {total} failed and left a change"


@pytest.mark.parametrize("change", ["reassign", "close"])
def test_queries_do_not_grow_with_the_number_of_actions(plan, admin, issue, team, other_team, change):
    def queries(count):
        actions = [f.ActionFactory(issue=issue, owner_teams=[team]) for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            if change == "reassign":
                _reassign(plan, admin, actions, other_team)
            else:
                _close(plan, admin, actions)
        return len(captured)

    assert queries(5) == queries(40)
