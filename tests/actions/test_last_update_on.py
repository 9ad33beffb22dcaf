"""``Action.last_update_on`` is a stored copy of the date of the action's latest live
update: every way an update is written must keep it equal to what the updates say."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db.models import Max, Q

from actions import services
from actions.models import Action, ActionUpdate, Rag
from tests.factories import UpdateFactory
from tests.plans.test_transfer_import import _filled_template, _upload

DAY = datetime.date(2026, 3, 10)


def computed(action_ids=None):
    """{action id: latest live update date}, from the updates themselves."""
    actions = Action.objects.all() if action_ids is None else Action.objects.filter(pk__in=action_ids)
    return dict(
        actions.annotate(latest=Max("updates__date", filter=Q(updates__is_deleted=False))).values_list("pk", "latest")
    )


def stored(action_ids=None):
    actions = Action.objects.all() if action_ids is None else Action.objects.filter(pk__in=action_ids)
    return dict(actions.values_list("pk", "last_update_on"))


def test_a_new_action_has_none(action):
    action.refresh_from_db()
    assert action.last_update_on is None


def test_adding_an_update_sets_it_and_a_back_dated_one_does_not_lower_it(action, officer):
    services.action_add_update(action=action, author=officer, text="Met", rag=Rag.AMBER, date=DAY)
    assert stored([action.pk]) == {action.pk: DAY}
    services.action_add_update(action=action, author=officer, text="Earlier", date=DAY - datetime.timedelta(days=30))
    assert stored([action.pk]) == {action.pk: DAY}


def test_correcting_the_date_moves_it(action, officer):
    update = services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    services.update_edit(
        update=update,
        editor=officer,
        text="Met",
        date=DAY - datetime.timedelta(days=5),
        rag=Rag.GREEN,
        marking="official",
    )
    assert stored([action.pk]) == {action.pk: DAY - datetime.timedelta(days=5)}


def test_deleting_updates_falls_back_to_the_latest_remaining_then_to_none(action, officer, admin):
    first = services.action_add_update(action=action, author=officer, text="One", date=DAY - datetime.timedelta(days=9))
    second = services.action_add_update(action=action, author=officer, text="Two", date=DAY)
    services.update_delete(update=second, editor=admin)
    assert stored([action.pk]) == {action.pk: DAY - datetime.timedelta(days=9)}
    services.update_delete(update=first, editor=admin)
    assert stored([action.pk]) == {action.pk: None}


def test_a_hard_deleted_update_is_forgotten(action):
    update = UpdateFactory(action=action, date=DAY)
    assert stored([action.pk]) == {action.pk: DAY}
    update.delete()
    assert stored([action.pk]) == {action.pk: None}


def test_saving_an_action_loaded_before_an_update_does_not_put_the_old_date_back(action, officer):
    loaded_earlier = Action.objects.get(pk=action.pk)
    services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    loaded_earlier.text = "Reworded"
    loaded_earlier.save()
    assert Action.objects.filter(pk=action.pk).values_list("text", "last_update_on").get() == ("Reworded", DAY)


def test_refresh_mends_a_wrong_value_for_the_actions_given(action, officer):
    services.action_add_update(action=action, author=officer, text="Met", date=DAY)
    Action.objects.filter(pk=action.pk).update(last_update_on=None)
    assert Action.objects.filter(pk=action.pk).refresh_last_update() == 1
    assert stored([action.pk]) == {action.pk: DAY}


def test_generated_data_stores_it(db):
    call_command("generate_demo_data", partnerships=1, actions_per_plan=8, updates_per_action=3, stdout=None)
    assert stored() == computed()
    assert all(stored().values())


def test_seed_and_demo_store_it(seeded):
    call_command("load_demo", force=True, stdout=None)
    assert stored() == computed()
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
    assert datetime.date(2019, 12, 9) in values.values()
