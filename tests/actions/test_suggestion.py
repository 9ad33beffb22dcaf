"""The suggested RAG rating: each rule alone, at its thresholds, its defaults, and the facts
read for many actions in one query."""

import datetime

import pytest

from actions.models import Action, Rag, Status
from actions.suggestion import Facts, Suggestion, Thresholds, facts_of, is_better, suggest
from partners.models import Partnership
from tests import factories as f

TODAY = datetime.date(2026, 11, 20)
T = Thresholds(red_milestones=3, red_days_late=28, target_near_days=28, interval_days=42)


def days_ago(n):
    return TODAY - datetime.timedelta(days=n)


def fresh(**facts):
    """An open action updated today, with ``facts`` on top."""
    return Facts(**{"last_update_on": TODAY, "created_on": days_ago(100), **facts})


def test_the_defaults_are_those_documented():
    partnership = Partnership(name="X", short_name="X", slug="x")
    assert Thresholds.of(partnership) == Thresholds(red_milestones=3, red_days_late=28, target_near_days=28)
    assert partnership.update_interval_days == 42
    assert partnership.rollup_rule == "worst"


def test_nothing_to_say_suggests_green_without_reasons():
    assert suggest(fresh(), T, TODAY) == Suggestion(Rag.GREEN, [])


@pytest.mark.parametrize("status", [Status.COMPLETED, Status.DISCHARGED, Status.CARRIED_FORWARD])
def test_an_action_that_is_not_open_gets_no_suggestion(status):
    assert suggest(fresh(status=status, overdue_milestones=5, oldest_overdue_due=days_ago(90)), T, TODAY) is None


# --- rule 1: milestones overdue ---------------------------------------------------------------


def test_one_overdue_milestone_suggests_amber():
    suggestion = suggest(fresh(overdue_milestones=1, oldest_overdue_due=days_ago(3)), T, TODAY)
    assert suggestion == Suggestion(Rag.AMBER, ["1 milestone overdue"])


@pytest.mark.parametrize(("count", "rag"), [(2, Rag.AMBER), (3, Rag.RED), (4, Rag.RED)])
def test_overdue_milestones_suggest_red_from_the_threshold(count, rag):
    suggestion = suggest(fresh(overdue_milestones=count, oldest_overdue_due=days_ago(1)), T, TODAY)
    assert suggestion.rag == rag
    assert suggestion.reasons == [f"{count} milestones overdue"]


@pytest.mark.parametrize(("late", "rag"), [(27, Rag.AMBER), (28, Rag.AMBER), (29, Rag.RED)])
def test_a_milestone_suggests_red_once_more_than_the_days_late(late, rag):
    suggestion = suggest(fresh(overdue_milestones=1, oldest_overdue_due=days_ago(late)), T, TODAY)
    assert suggestion.rag == rag


def test_a_very_late_milestone_says_how_late():
    suggestion = suggest(fresh(overdue_milestones=2, oldest_overdue_due=days_ago(40)), T, TODAY)
    assert suggestion.reasons == ["2 milestones overdue, one 40 days late"]


# --- rule 2: target date ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days_to_go", "expected"),
    [
        (29, Suggestion(Rag.GREEN, [])),
        (28, Suggestion(Rag.AMBER, ["target date in 28 days"])),
        (1, Suggestion(Rag.AMBER, ["target date in 1 day"])),
        (0, Suggestion(Rag.AMBER, ["target date is today"])),
        (-1, Suggestion(Rag.RED, ["target date passed 1 day ago"])),
    ],
)
def test_target_date_near_suggests_amber_and_passed_red(days_to_go, expected):
    target = TODAY + datetime.timedelta(days=days_to_go)
    assert suggest(fresh(target_date=target), T, TODAY) == expected


# --- rule 3: no update for longer than the interval ---------------------------------------------


@pytest.mark.parametrize(("days", "rag"), [(41, Rag.GREEN), (42, Rag.GREEN), (43, Rag.AMBER)])
def test_no_update_for_longer_than_the_interval_suggests_amber(days, rag):
    assert suggest(fresh(last_update_on=days_ago(days)), T, TODAY).rag == rag


def test_never_updated_counts_from_the_day_it_was_added():
    suggestion = suggest(Facts(last_update_on=None, created_on=days_ago(50)), T, TODAY)
    assert suggestion == Suggestion(Rag.AMBER, ["no update since it was added, 50 days"])


# --- together -------------------------------------------------------------------------------------


def test_the_worst_rule_wins_and_every_reason_is_given_worst_first():
    facts = Facts(
        target_date=days_ago(2), last_update_on=days_ago(60), overdue_milestones=1, oldest_overdue_due=days_ago(1)
    )
    suggestion = suggest(facts, T, TODAY)
    assert suggestion.rag == Rag.RED
    assert suggestion.reasons == ["target date passed 2 days ago", "1 milestone overdue", "no update for 60 days"]
    assert suggestion.summary == "Red — target date passed 2 days ago; 1 milestone overdue; no update for 60 days"


def test_a_partnerships_thresholds_are_used():
    strict = Thresholds(red_milestones=1, red_days_late=1, target_near_days=60, interval_days=10)
    assert suggest(fresh(overdue_milestones=1, oldest_overdue_due=days_ago(1)), strict, TODAY).rag == Rag.RED
    assert suggest(fresh(target_date=TODAY + datetime.timedelta(days=50)), strict, TODAY).rag == Rag.AMBER
    assert suggest(fresh(last_update_on=days_ago(11)), strict, TODAY).rag == Rag.AMBER


@pytest.mark.parametrize(
    ("rag", "suggested", "better"),
    [
        (Rag.GREEN, Rag.AMBER, True),
        (Rag.AMBER, Rag.RED, True),
        (Rag.BLUE, Rag.GREEN, True),
        (Rag.AMBER, Rag.AMBER, False),
        (Rag.RED, Rag.AMBER, False),
        (Rag.NOT_RATED, Rag.RED, False),
    ],
)
def test_better_than_suggested(rag, suggested, better):
    assert is_better(rag, suggested) is better


# --- the facts, from the database -------------------------------------------------------------------


def test_facts_count_overdue_milestones_only(action):
    f.MilestoneFactory(action=action, due_date=days_ago(10))
    f.MilestoneFactory(action=action, due_date=days_ago(30))
    f.MilestoneFactory(action=action, due_date=days_ago(40), done_on=days_ago(35))  # done
    f.MilestoneFactory(action=action, due_date=TODAY)  # due today: not yet overdue
    loaded = Action.objects.with_suggestion_facts(TODAY).get(pk=action.pk)
    facts = facts_of(loaded)
    assert (facts.overdue_milestones, facts.oldest_overdue_due) == (2, days_ago(30))


def test_facts_of_an_action_without_milestones(action):
    facts = facts_of(Action.objects.with_suggestion_facts(TODAY).get(pk=action.pk))
    assert (facts.overdue_milestones, facts.oldest_overdue_due) == (0, None)


@pytest.mark.parametrize("size", [2, 6])
def test_facts_of_many_actions_in_one_query(issue, django_assert_num_queries, size):
    for _ in range(size):
        f.MilestoneFactory(action=f.ActionFactory(issue=issue), due_date=days_ago(5))
    with django_assert_num_queries(1):
        facts = [facts_of(a) for a in Action.objects.filter(issue=issue).with_suggestion_facts(TODAY)]
    assert [x.overdue_milestones for x in facts] == [1] * size
