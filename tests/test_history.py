"""History: django-simple-history records each change, and updates keep the rating they changed from."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from simple_history.signals import post_create_historical_record

from actions.models import Marking, Rag, Status
from actions.services import action_add_update
from tests import factories as f


def test_editing_an_action_records_a_historical_record_with_the_change(action):
    action.text = "Deliver Safer Street events in every ward"
    action.save()
    latest, before = action.history.all()[:2]
    delta = latest.diff_against(before)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [
        ("text", "Deliver Safer Street events", "Deliver Safer Street events in every ward")
    ]


def test_a_history_row_is_written_without_reading_the_actions_summary_again(action, officer, other_team):
    """The summary fields are left out of history; simple-history used to read them again
    for every many-to-many field of each new row (``actions.models._history_row_reads_no_summary``).
    The row still holds the owners, and a row read later still rebuilds the whole action."""
    action_add_update(action=action, author=officer, text="Met", rag=Rag.GREEN)
    action.refresh_from_db()
    written = []

    def keep(sender, history_instance, **kwargs):  # runs after the app's own receiver
        written.append(history_instance)

    post_create_historical_record.connect(keep, sender=action.history.model)
    try:
        with CaptureQueriesContext(connection) as captured:
            action.owner_teams.add(other_team)
            action.text = "Deliver Safer Street events in every ward"
            action.save()
    finally:
        post_create_historical_record.disconnect(keep, sender=action.history.model)
    # Once written, the row rebuilds the whole action again, summary included.
    assert [row.instance.last_update_on for row in written] == [action.last_update_on] * 2
    rereads = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "actions_action"."last_update_on"')
    ]
    assert rereads == []
    latest = action.history.latest()
    assert {row.team_id for row in latest.owner_teams.all()} == {t.pk for t in action.owner_teams.all()}
    rebuilt = action.history.model.objects.get(pk=latest.pk).instance
    assert (rebuilt.text, rebuilt.last_update_on) == (
        "Deliver Safer Street events in every ward",
        action.last_update_on,
    )


def test_creating_an_action_records_who_and_what(action):
    record = action.history.earliest()
    assert (record.history_type, record.text) == ("+", "Deliver Safer Street events")


def test_adding_an_owner_team_is_recorded_in_the_owner_history(action, other_team):
    action.owner_teams.add(other_team)
    latest = action.history.latest()
    assert {row.team_id for row in latest.owner_teams.all()} == {t.pk for t in action.owner_teams.all()}
    first = action.history.earliest()
    assert other_team.pk not in {row.team_id for row in first.owner_teams.all()}


def test_removing_an_owner_team_is_recorded_too(action, team, other_team):
    action.owner_teams.add(other_team)
    action.owner_teams.remove(team)
    assert {row.team_id for row in action.history.latest().owner_teams.all()} == {other_team.pk}


def test_an_update_records_the_rating_it_changed_from_and_carries_its_rating_to_the_action(action, officer):
    action_add_update(action=action, author=officer, text="Sessions booked.", rag=Rag.AMBER)
    update = action_add_update(action=action, author=officer, text="All delivered.", rag=Rag.GREEN)
    action.refresh_from_db()
    assert (update.previous_rag, update.rag, action.rag) == (Rag.AMBER, Rag.GREEN, Rag.GREEN)
    assert update.rag_changed


def test_an_update_without_a_rating_keeps_the_actions_rating(action, officer):
    action_add_update(action=action, author=officer, text="Started.", rag=Rag.RED)
    update = action_add_update(action=action, author=officer, text="No change this month.")
    action.refresh_from_db()
    assert (update.previous_rag, update.rag, action.rag) == (Rag.RED, Rag.RED, Rag.RED)
    assert not update.rag_changed


def test_the_ratings_of_an_action_over_time_are_kept_by_its_updates(action, officer):
    today = timezone.localdate()
    for days, rag in [(90, Rag.AMBER), (60, Rag.RED), (30, Rag.AMBER), (1, Rag.GREEN)]:
        action_add_update(
            action=action, author=officer, text="Note", rag=rag, date=today - datetime.timedelta(days=days)
        )
    ratings = [(u.previous_rag, u.rag) for u in action.updates.order_by("date")]
    assert ratings == [
        (Rag.NOT_RATED, Rag.AMBER),
        (Rag.AMBER, Rag.RED),
        (Rag.RED, Rag.AMBER),
        (Rag.AMBER, Rag.GREEN),
    ]


def test_an_update_changing_the_rating_is_in_the_actions_history(action, officer):
    before = action.history.count()
    action_add_update(action=action, author=officer, text="Off track.", rag=Rag.RED)
    latest, previous = action.history.all()[:2]
    assert action.history.count() == before + 1
    assert [(c.field, c.old, c.new) for c in latest.diff_against(previous, included_fields=["rag"]).changes] == [
        ("rag", Rag.NOT_RATED, Rag.RED)
    ]


def test_completing_an_action_through_an_update_records_the_status_change(action, officer):
    update = action_add_update(
        action=action, author=officer, text="Done.", rag=Rag.BLUE, status=Status.COMPLETED, status_reason="Done."
    )
    action.refresh_from_db()
    assert (update.status_change, action.status, action.rag) == (Status.COMPLETED, Status.COMPLETED, Rag.BLUE)
    assert action.history.latest().status == Status.COMPLETED


def test_editing_an_update_is_recorded_in_its_own_history(action, officer):
    update = action_add_update(action=action, author=officer, text="Draft note.", rag=Rag.GREEN)
    update.text = "Final note."
    update.marking = Marking.OFFICIAL_SENSITIVE
    update.save()
    latest, first = update.history.all()[:2]
    assert {c.field for c in latest.diff_against(first).changes} == {"text", "marking"}


def test_membership_changes_are_recorded(partnership, council):
    membership = council.memberships.get(partnership=partnership)
    membership.ended_on = datetime.date(2022, 6, 30)
    membership.save()
    assert membership.history.latest().ended_on == datetime.date(2022, 6, 30)


def test_a_users_teams_are_in_the_users_history(officer, other_team):
    officer.teams.add(other_team)
    assert other_team.pk in {row.team_id for row in officer.history.latest().teams.all()}


def test_governance_group_members_are_in_its_history(partnership, council):
    group = f.GovernanceGroupFactory(partnership=partnership)
    group.members.add(council)
    assert [row.organisation_id for row in group.history.latest().members.all()] == [council.pk]
