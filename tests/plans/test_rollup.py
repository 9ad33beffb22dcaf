"""Roll-up of issues, priorities and plans: the figures equal a plain recomputation action by
action on a generated data set, in the same number of queries at two sizes."""

import datetime
import random
from collections import Counter

import pytest

from actions.models import Action, Rag, Status
from plans.rollup import Rollup, derive, plan_rollups, rollup_rows, rollups
from tests import factories as f

TODAY = datetime.date(2026, 11, 20)
STATUSES = [Status.OPEN] * 6 + [Status.COMPLETED, Status.DISCHARGED, Status.CANCELLED, Status.PROPOSED]
RAGS = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]


def generate(plan, *, priorities, issues, actions, seed):
    """A plan of random actions (ratings, statuses) with random milestones."""
    rng = random.Random(seed)
    for number in range(1, priorities + 1):
        priority = f.PriorityFactory(plan=plan, number=number)
        for _ in range(issues):
            issue = f.IssueFactory(priority=priority)
            for _ in range(actions):
                action = f.ActionFactory(issue=issue, rag=rng.choice(RAGS), status=rng.choice(STATUSES))
                for _ in range(rng.randint(0, 3)):
                    due = TODAY + datetime.timedelta(days=rng.randint(-60, 60))
                    done = due if rng.random() < 0.5 else None
                    f.MilestoneFactory(action=action, due_date=due, done_on=done)


def recompute(actions, rule):
    """The roll-up of ``actions`` worked out one action at a time, as a reader would."""
    agreed = [a for a in actions if a.status not in (Status.PROPOSED, Status.REJECTED)]
    rated = Counter(
        a.rag
        for a in agreed
        if a.status not in (Status.DISCHARGED, Status.CARRIED_FORWARD, Status.CANCELLED) and a.rag != Rag.NOT_RATED
    )
    due = [m for a in agreed for m in a.milestones.all() if m.due_date <= TODAY]
    return {
        "counts": Counter(a.rag for a in agreed),
        "complete": sum(1 for a in agreed if a.status == Status.COMPLETED or a.rag == Rag.BLUE),
        "milestones": (sum(1 for m in due if m.done_on), len(due)),
        "derived": derive(rated, rule),
        "rated": sum(rated.values()),
    }


def figures(rollup):
    return {
        "counts": +rollup.counts,
        "complete": rollup.complete,
        "milestones": (rollup.milestones_done, rollup.milestones_due),
        "derived": rollup.derived,
        "rated": rollup.rated_total,
    }


@pytest.mark.parametrize("rule", ["worst", "majority"])
def test_rollup_equals_a_plain_recomputation(plan, rule):
    plan.partnership.rollup_rule = rule
    plan.partnership.save()
    generate(plan, priorities=3, issues=3, actions=4, seed=17)
    found = plan_rollups(plan, today=TODAY)
    all_actions = []
    for priority in plan.priorities.all():
        priority_actions = []
        for issue in priority.issues.all():
            issue_actions = list(issue.actions.prefetch_related("milestones"))
            assert figures(found.issues.get(issue.pk, Rollup(rule=rule))) == recompute(issue_actions, rule)
            priority_actions += issue_actions
        assert figures(found.priorities[priority.pk]) == recompute(priority_actions, rule)
        all_actions += priority_actions
    assert figures(found.plan(plan)) == recompute(all_actions, rule)
    plan_level = rollups([plan], today=TODAY, plans_only=True)  # the county view's
    assert figures(plan_level.plan(plan)) == recompute(all_actions, rule)
    assert (plan_level.priorities, plan_level.issues) == ({}, {})


def test_rollup_queries_are_flat_in_data_size(plan, other_partnership, django_assert_num_queries):
    small = plan
    generate(small, priorities=1, issues=1, actions=2, seed=1)
    large = f.PlanFactory(partnership=other_partnership, start_year=2025, end_year=2026, slug="large")
    generate(large, priorities=3, issues=3, actions=5, seed=2)
    for each in (small, large):
        with django_assert_num_queries(2):
            rollups([each], today=TODAY)
    with django_assert_num_queries(2):
        both = rollups([small, large], today=TODAY)
    assert both.plan(large).total == Action.objects.in_plan(large).count() > 20


@pytest.mark.parametrize(
    ("rated", "rule", "derived"),
    [
        ({Rag.GREEN: 5, Rag.RED: 1}, "worst", Rag.RED),
        ({Rag.GREEN: 5, Rag.RED: 1}, "majority", Rag.GREEN),
        ({Rag.GREEN: 2, Rag.AMBER: 2}, "majority", Rag.AMBER),  # a tie goes to the worse
        ({Rag.BLUE: 3}, "worst", Rag.BLUE),
        ({}, "worst", Rag.NOT_RATED),
    ],
)
def test_derived_rating_by_rule(rated, rule, derived):
    assert derive(Counter(rated), rule) == derived


def test_a_discharged_red_action_does_not_make_the_issue_red(issue):
    f.ActionFactory(issue=issue, rag=Rag.RED, status=Status.DISCHARGED)
    f.ActionFactory(issue=issue, rag=Rag.GREEN)
    rollup = plan_rollups(issue.priority.plan, today=TODAY).issues[issue.pk]
    assert (rollup.derived, rollup.counts[Rag.RED]) == (Rag.GREEN, 1)


def test_the_line_says_derived_in_words(issue):
    action = f.ActionFactory(issue=issue, rag=Rag.AMBER)
    f.MilestoneFactory(action=action, due_date=TODAY, done_on=TODAY)
    f.MilestoneFactory(action=action, due_date=TODAY - datetime.timedelta(days=1))
    f.MilestoneFactory(action=action, due_date=TODAY + datetime.timedelta(days=9))  # not due yet
    rollup = plan_rollups(issue.priority.plan, today=TODAY).plan(issue.priority.plan)
    assert rollup.describe() == "Derived: Amber (worst of 1 action) · 0 of 1 complete · 1 of 2 milestones done"


def test_feed_rows_cover_the_plan_its_priorities_and_issues(issue):
    f.ActionFactory(issue=issue, rag=Rag.RED)
    rows = rollup_rows(issue.priority.plan, today=TODAY)
    assert [row["level"] for row in rows] == ["plan", "priority", "issue"]
    assert rows[2]["number"] == "1.1" and rows[2]["derived_rag"] == Rag.RED and rows[2]["actions_red"] == 1
