"""What an action keeps from its live updates (``last_update_on``, the date of the latest;
``rating_history``, its rating at the end of each month in which an update changed it;
``last_update_added_at``, when the newest was added):
every way an update is written must keep it equal to what the updates say."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import services
from actions.models import Action, ActionUpdate, Rag, month_number, rating_history
from tests.factories import UpdateFactory
from tests.plans.test_transfer_import import _filled_template, _upload

DAY = datetime.date(2026, 3, 10)


def computed(action_ids=None):
    """{action id: (latest live update date, rating history)}, from the updates themselves."""
    actions = Action.objects.all() if action_ids is None else Action.objects.filter(pk__in=action_ids)
    result = {}
    for action in actions:
        live = sorted((u for u in action.updates.all() if not u.is_deleted), key=lambda u: (u.date, u.order, u.id))
        result[action.pk] = (live[-1].date if live else None, rating_history([(u.date, u.rag) for u in live]))
    return result


def stored(action_ids=None):
    actions = Action.objects.all() if action_ids is None else Action.objects.filter(pk__in=action_ids)
    return {pk: (day, history) for pk, day, history in actions.values_list("pk", "last_update_on", "rating_history")}


def added_at_wrong():
    """The actions whose ``last_update_added_at`` is not when their newest live update was added."""
    wrong = []
    for action in Action.objects.prefetch_related("updates"):
        live = [u.created_at for u in action.updates.all() if not u.is_deleted]
        if action.last_update_added_at != max(live, default=None):
            wrong.append(action.pk)
    return wrong


def month(day):
    return month_number(day)


def test_rating_history_keeps_each_months_last_rating_where_it_changed():
    notes = [
        (datetime.date(2025, 1, 5), Rag.RED),
        (datetime.date(2025, 1, 20), Rag.AMBER),  # January ends Amber
        (datetime.date(2025, 2, 3), Rag.GREEN),
        (datetime.date(2025, 2, 9), Rag.AMBER),  # February ends Amber again: no change
        (datetime.date(2025, 4, 1), Rag.GREEN),
    ]
    assert rating_history(notes) == [[month(notes[0][0]), Rag.AMBER], [month(notes[4][0]), Rag.GREEN]]
    assert rating_history([]) == []


def test_a_new_action_has_none(action):
    action.refresh_from_db()
    assert (action.last_update_on, action.rating_history) == (None, [])


def test_adding_an_update_sets_it_and_a_back_dated_one_does_not_lower_it(action, officer):
    services.action_add_update(action=action, author=officer, text="Met", rag=Rag.AMBER, date=DAY)
    assert stored([action.pk]) == {action.pk: (DAY, [[month(DAY), Rag.AMBER]])}
    earlier = DAY - datetime.timedelta(days=30)
    services.action_add_update(action=action, author=officer, text="Earlier", rag=Rag.RED, date=earlier)
    assert stored([action.pk]) == {action.pk: (DAY, [[month(earlier), Rag.RED], [month(DAY), Rag.AMBER]])}
    assert stored() == computed()
    assert added_at_wrong() == []


def test_correcting_the_date_moves_it(action, officer):
    update = services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    services.update_edit(
        update=update,
        editor=officer,
        version=services.update_version(update),
        text="Met",
        date=DAY - datetime.timedelta(days=5),
        rag=Rag.GREEN,
        marking="official",
    )
    assert stored([action.pk]) == {action.pk: (DAY - datetime.timedelta(days=5), [[month(DAY), Rag.GREEN]])}


def test_deleting_updates_falls_back_to_the_latest_remaining_then_to_none(action, officer, admin):
    first = services.action_add_update(action=action, author=officer, text="One", date=DAY - datetime.timedelta(days=9))
    second = services.action_add_update(action=action, author=officer, text="Two", date=DAY)
    services.update_delete(update=second, editor=admin)
    assert stored([action.pk]) == computed([action.pk])
    assert added_at_wrong() == []
    assert stored([action.pk])[action.pk][0] == DAY - datetime.timedelta(days=9)
    services.update_delete(update=first, editor=admin)
    assert stored([action.pk]) == {action.pk: (None, [])}
    assert Action.objects.get(pk=action.pk).last_update_added_at is None


def test_a_hard_deleted_update_is_forgotten(action):
    update = UpdateFactory(action=action, date=DAY, rag=Rag.RED)
    assert stored([action.pk]) == {action.pk: (DAY, [[month(DAY), Rag.RED]])}
    assert added_at_wrong() == []
    update.delete()
    assert stored([action.pk]) == {action.pk: (None, [])}
    assert added_at_wrong() == []


def test_deleting_the_action_deletes_its_updates_without_refreshing_it(action):
    for day in range(1, 6):
        UpdateFactory(action=action, date=DAY.replace(day=day))
    with CaptureQueriesContext(connection) as captured:
        action.delete()
    assert not ActionUpdate.objects.exists()
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("UPDATE")]
    assert not [sql for sql in writes if "rating_history" in sql]


def test_saving_an_action_loaded_before_an_update_does_not_put_the_old_date_back(action, officer):
    loaded_earlier = Action.objects.get(pk=action.pk)
    services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    loaded_earlier.text = "Reworded"
    loaded_earlier.save()
    assert Action.objects.filter(pk=action.pk).values_list("text", "last_update_on").get() == ("Reworded", DAY)
    assert stored([action.pk]) == computed([action.pk])
    assert added_at_wrong() == []


def test_refresh_mends_a_wrong_value_for_the_actions_given(action, officer):
    services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    Action.objects.filter(pk=action.pk).update(last_update_on=None, rating_history=[])
    assert Action.objects.filter(pk=action.pk).refresh_update_summary() == 1
    assert stored([action.pk]) == {action.pk: (DAY, [[month(DAY), Rag.NOT_RATED]])}


def test_generated_data_stores_it(db):
    call_command("generate_demo_data", partnerships=1, actions_per_plan=8, updates_per_action=3, stdout=None)
    assert stored() == computed()
    assert added_at_wrong() == []
    assert all(day and history for day, history in stored().values())


def test_seed_and_demo_store_it(seeded):
    call_command("load_demo", force=True, stdout=None)
    assert stored() == computed()
    assert added_at_wrong() == []
    assert ActionUpdate.objects.exists()


@pytest.mark.django_db
def test_import_stores_it(client_for, admin, plan, team, other_team):
    client = client_for(admin)
    response = _upload(client, f"/plans/{plan.slug}/import/", _filled_template())
    preview = client.get(response["Location"]).content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview)[1]
    client.post(response["Location"], {"digest": digest})
    values = stored()
    assert values == computed()
    assert added_at_wrong() == []
    assert (datetime.date(2019, 12, 9), [[month(datetime.date(2019, 12, 9)), Rag.AMBER]]) in values.values()


def test_the_command_reports_then_mends_a_summary_changed_behind_the_apps_back(action, officer):
    services.action_add_update(action=action, author=officer, text="Met", rag=Rag.AMBER, date=DAY)
    out = io.StringIO()
    call_command("refresh_update_summaries", "--check", stdout=out)
    assert "summaries match" in out.getvalue()
    Action.objects.filter(pk=action.pk).update(last_update_on=None, rating_history=[])
    with pytest.raises(CommandError, match="1 of 1 actions have a wrong summary"):
        call_command("refresh_update_summaries", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("refresh_update_summaries", stdout=out)
    assert "Rebuilt 1 of 1" in out.getvalue()
    assert stored() == computed()
    assert added_at_wrong() == []


def test_the_action_given_to_the_services_shows_the_new_summary(action, officer, admin):
    update = services.action_add_update(action=action, author=officer, text="Met", rag=Rag.RED, date=DAY)
    assert (action.last_update_on, action.rating_history) == (DAY, [[month(DAY), Rag.RED]])
    services.update_delete(update=update, editor=admin)
    assert (update.action.last_update_on, update.action.rating_history) == (None, [])


def test_when_the_newest_update_was_added_is_kept_whatever_its_date(action, officer):
    """``last_update_added_at`` follows when updates were added, not the dates they are
    about: a back-dated update added last is the newest added (the county view's "last
    activity"), and the command mends a value changed behind the app's back."""
    services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    back_dated = services.action_add_update(action=action, author=officer, text="Earlier", date=DAY.replace(day=1))
    action.refresh_from_db()
    assert action.last_update_on == DAY
    assert action.last_update_added_at == back_dated.created_at
    Action.objects.filter(pk=action.pk).update(last_update_added_at=None)
    with pytest.raises(CommandError, match="1 of 1 actions have a wrong summary"):
        call_command("refresh_update_summaries", "--check", stdout=io.StringIO())
    call_command("refresh_update_summaries", stdout=io.StringIO())
    assert added_at_wrong() == []
