"""Editing the action itself, with optimistic locking so two editors never lose work."""

import pytest
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import Action, Rag, Status
from actions.services import action_add_update
from plans.models import ActionPlan
from tests import factories as f


def _url(action):
    return reverse("actions:edit", args=[action.pk])


def _edit(action, team, **overrides):
    data = {
        "text": "Deliver four Safer Streets events",
        "owner_teams": [team.pk],
        "owner_role": "",
        "target_date": "31/03/2026",
        "status": "open",
        "status_reason": "",
        "version": action.version,
    }
    return data | overrides


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("admin", 200), ("other_officer", 403), ("chair", 403), ("outsider", 404)],
)
def test_who_may_open_the_edit_form(client_for, people, action, who, status):
    assert client_for(people[who]).get(_url(action)).status_code == status


def test_the_owning_officer_changes_text_owners_and_target_date(client_for, officer, action, team, other_team):
    response = client_for(officer).post(_url(action), _edit(action, team, owner_teams=[team.pk, other_team.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.text == "Deliver four Safer Streets events"
    assert str(action.target_date) == "2026-03-31"
    assert set(action.owner_teams.all()) == {team, other_team}
    assert action.version == 2


@pytest.mark.parametrize(("who", "status"), [("other_officer", 403), ("chair", 403), ("outsider", 404)])
def test_others_cannot_change_the_action(client_for, people, action, team, who, status):
    assert client_for(people[who]).post(_url(action), _edit(action, team)).status_code == status
    action.refresh_from_db()
    assert action.text == "Deliver Safer Street events"


def test_the_second_of_two_simultaneous_edits_is_refused_and_shows_what_changed(officer, admin, action, team):
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(admin)
    loaded_version = action.version
    first.post(_url(action), _edit(action, team, text="First editor's words", version=loaded_version))
    response = second.post(_url(action), _edit(action, team, text="Second editor's words", version=loaded_version))
    assert response.status_code == 409
    assert "Someone else changed this action" in response.text
    assert "First editor&#x27;s words" in response.text
    assert "Second editor&#x27;s words" in response.text  # nothing typed is lost
    action.refresh_from_db()
    assert action.text == "First editor's words"


def test_saving_again_after_a_conflict_keeps_the_second_editors_words(officer, admin, action, team):
    first, second = Client(), Client()
    first.force_login(officer)
    second.force_login(admin)
    first.post(_url(action), _edit(action, team, text="First", version=1))
    second.post(_url(action), _edit(action, team, text="Second", version=1))
    action.refresh_from_db()
    second.post(_url(action), _edit(action, team, text="Second", version=action.version))
    action.refresh_from_db()
    assert action.text == "Second"


def test_an_update_rating_the_action_between_loading_and_saving_does_not_clash(client_for, officer, action, team):
    loaded_version = action.version
    action_add_update(action=action, author=officer, text="Note", rag=Rag.GREEN)
    response = client_for(officer).post(_url(action), _edit(action, team, text="New words", version=loaded_version))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.text, action.rag) == ("New words", Rag.GREEN)


def test_correcting_an_updates_rating_between_loading_and_saving_does_not_clash(client_for, officer, action, team):
    update = action_add_update(action=action, author=officer, text="Note", rag=Rag.GREEN)
    loaded_version = Action.objects.get(pk=action.pk).version
    services.update_edit(
        update=update,
        editor=officer,
        version=services.update_version(update),
        text="Note",
        date=update.date,
        rag=Rag.RED,
        marking=update.marking,
    )
    response = client_for(officer).post(_url(action), _edit(action, team, text="New words", version=loaded_version))
    assert response.status_code == 302


def test_an_update_changing_the_status_between_loading_and_saving_is_reported_not_lost(
    client_for, officer, action, team
):
    loaded_version = action.version
    action_add_update(action=action, author=officer, text="Done", status=Status.COMPLETED)
    response = client_for(officer).post(_url(action), _edit(action, team, text="New words", version=loaded_version))
    assert response.status_code == 409
    assert "New words" in response.text
    action.refresh_from_db()
    assert (action.text, action.status) == ("Deliver Safer Street events", Status.COMPLETED)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"text": ""}, "Enter the action"),
        ({"text": "x" * 10_001}, "Action must be 10,000 characters or fewer"),
        ({"target_date": "32/13/2026"}, "Target date must be a real date"),
        ({"owner_teams": []}, "Select at least one owning team"),
        ({"owner_teams": [999999]}, "from the list"),
    ],
)
def test_bad_input_is_explained_and_nothing_saved(client_for, officer, action, team, overrides, message):
    response = client_for(officer).post(_url(action), _edit(action, team, **overrides))
    assert response.status_code == 400
    assert message in response.text
    action.refresh_from_db()
    assert action.version == 1


def test_a_tampered_version_is_refused(client_for, officer, action, team):
    response = client_for(officer).post(_url(action), _edit(action, team, version="abc"))
    assert response.status_code == 400


def test_an_action_of_an_archived_plan_cannot_be_changed(client_for, admin, action, plan, team):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    assert client_for(admin).post(_url(action), _edit(action, team)).status_code == 403


def test_every_change_of_the_action_is_in_the_history(client_for, officer, action, team, other_team):
    client = client_for(officer)
    client.post(_url(action), _edit(action, team, owner_teams=[other_team.pk]))
    response = client.get(reverse("actions:history", args=[action.pk]))
    assert "Deliver four Safer Streets events" in response.text
    assert "Owning teams" in response.text
    assert "Testshire SNT" in response.text
    assert "31 March 2026" in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("other_officer", 200), ("chair", 200), ("admin", 200), ("outsider", 404)],
)
def test_who_may_read_the_history(client_for, people, action, who, status):
    assert client_for(people[who]).get(reverse("actions:history", args=[action.pk])).status_code == status


def test_a_tampered_history_id_is_not_found(client_for, officer, action):
    assert client_for(officer).get("/actions/999999/history/").status_code == 404


def test_an_admin_reopens_a_completed_action(client_for, admin, action, team):
    from actions.models import Status

    action.status = Status.COMPLETED
    action.save()
    client_for(admin).post(_url(action), _edit(action, team, status="open", status_reason=""))
    action.refresh_from_db()
    assert action.status == Status.OPEN


def test_an_officer_cannot_change_the_status_here(client_for, officer, action, team):
    from actions.models import Status

    client_for(officer).post(_url(action), _edit(action, team, status="cancelled"))
    action.refresh_from_db()
    assert action.status == Status.OPEN
    assert 'name="status"' not in client_for(officer).get(_url(action)).text


def test_the_edit_form_sets_and_clears_governance_groups_and_history_records_it(client_for, officer, action, team):
    group = f.GovernanceGroupFactory(partnership=action.plan.partnership, name="Testshire RAG")
    response = client_for(officer).post(_url(action), _edit(action, team, owner_groups=[group.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert list(action.owner_groups.all()) == [group]
    assert action.version == 2
    assert list(action.history.first().owner_groups.values_list("governancegroup_id", flat=True)) == [group.pk]
    client_for(officer).post(_url(action), _edit(action, team, owner_groups=[]))
    action.refresh_from_db()
    assert list(action.owner_groups.all()) == []
    assert action.version == 3


def test_the_edit_form_offers_the_partnerships_groups_and_shows_the_chosen_ones(client_for, officer, action):
    group = f.GovernanceGroupFactory(partnership=action.plan.partnership, name="Testshire RAG")
    f.GovernanceGroupFactory(name="Otherton RAG")
    action.owner_groups.add(group)
    response = client_for(officer).get(_url(action))
    assert response.status_code == 200
    assert "Owning governance groups" in response.text
    assert "Testshire RAG" in response.text
    assert "Otherton RAG" not in response.text
    assert response.context["form"]["owner_groups"].value() == [group.pk]


def test_another_partnerships_group_is_refused(client_for, officer, action, team):
    foreign = f.GovernanceGroupFactory(name="Otherton RAG")
    response = client_for(officer).post(_url(action), _edit(action, team, owner_groups=[foreign.pk]))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    action.refresh_from_db()
    assert list(action.owner_groups.all()) == []
    assert action.version == 1


def test_a_group_alone_is_an_owner(client_for, officer, action, team):
    group = f.GovernanceGroupFactory(partnership=action.plan.partnership)
    response = client_for(officer).post(_url(action), _edit(action, team, owner_teams=[], owner_groups=[group.pk]))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (list(action.owner_teams.all()), list(action.owner_groups.all())) == ([], [group])


def test_a_group_change_alone_is_a_change_and_a_conflict_names_groups(officer, admin, action, team):
    group = f.GovernanceGroupFactory(partnership=action.plan.partnership, name="Testshire RAG")
    data = _edit(action, team, text=action.text, target_date="")
    changed = services.action_edit(
        action=action,
        editor=admin,
        version=1,
        text=action.text,
        target_date=None,
        owner_teams=[team],
        owner_organisations=[],
        owner_groups=[group],
    )
    assert changed == ["owner_groups"]
    late = Client()
    late.force_login(officer)
    response = late.post(_url(action), data | {"version": 1})
    assert response.status_code == 409
    assert ("Owning governance groups", "Testshire RAG", "") in response.context["conflict"]["rows"]
