"""Correcting and deleting updates: the author for 24 hours, admins any time, all kept in the history."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from actions.models import Marking, Rag
from actions.services import action_add_update, update_version


@pytest.fixture
def update(action, officer):
    return action_add_update(action=action, author=officer, text="Held 3 events", rag=Rag.AMBER)


def _edit_url(update):
    return reverse("actions:update_edit", args=[update.action_id, update.pk])


def _delete_url(update):
    return reverse("actions:update_delete", args=[update.action_id, update.pk])


def _correction(update, **overrides):
    data = {
        "date": update.date.strftime("%d/%m/%Y"),
        "text": "Held 4 events",
        "rag": "amber",
        "marking": "official",
        "version": update_version(update),
    }
    return data | overrides


def test_the_author_corrects_their_update_within_24_hours(client_for, officer, update):
    response = client_for(officer).post(_edit_url(update), _correction(update), follow=True)
    update.refresh_from_db()
    assert update.text == "Held 4 events"
    assert update.edited_at is not None
    assert "edited" in response.text


def test_the_author_cannot_correct_their_update_after_24_hours(client_for, officer, update):
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert client_for(officer).get(_edit_url(update)).status_code == 403


def test_an_admin_corrects_any_update_at_any_time(client_for, admin, update):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=30)):
        assert client_for(admin).post(_edit_url(update), _correction(update)).status_code == 302


@pytest.mark.parametrize(("who", "status"), [("other_officer", 403), ("chair", 403), ("outsider", 404)])
def test_others_cannot_correct_an_update(client_for, people, update, who, status):
    assert client_for(people[who]).post(_edit_url(update), _correction(update)).status_code == status
    update.refresh_from_db()
    assert update.text == "Held 3 events"


def test_the_correction_link_is_shown_only_to_those_who_may_correct(client_for, officer, other_officer, update):
    assert _edit_url(update) in client_for(officer).get(update.action.get_absolute_url()).text
    assert _edit_url(update) not in client_for(other_officer).get(update.action.get_absolute_url()).text


def test_an_update_of_another_action_is_not_found(client_for, admin, update, issue):
    from tests import factories as f

    other = f.ActionFactory(issue=issue)
    assert client_for(admin).get(reverse("actions:update_edit", args=[other.pk, update.pk])).status_code == 404


def test_correcting_the_latest_rating_carries_it_onto_the_action(client_for, officer, update, action):
    client_for(officer).post(_edit_url(update), _correction(update, rag="red"))
    action.refresh_from_db()
    assert action.rag == Rag.RED


def test_a_correction_with_bad_input_saves_nothing(client_for, officer, update):
    response = client_for(officer).post(_edit_url(update), _correction(update, text="", rag="purple"))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    update.refresh_from_db()
    assert update.text == "Held 3 events"


def test_a_correction_cannot_date_an_update_after_it_was_written(client_for, officer, update):
    later = (update.written_on + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    response = client_for(officer).post(_edit_url(update), _correction(update, date=later))
    assert response.status_code == 400


def test_every_correction_is_kept_in_the_history(client_for, officer, update, action):
    client_for(officer).post(_edit_url(update), _correction(update))
    response = client_for(officer).get(reverse("actions:history", args=[action.pk]))
    assert "edited" in response.text
    assert "Held 3 events" in response.text
    assert "Held 4 events" in response.text


# Deleting ------------------------------------------------------------------------------------


def test_deleting_asks_for_confirmation_first(client_for, admin, update):
    response = client_for(admin).get(_delete_url(update))
    assert "Are you sure you want to delete" in response.text
    update.refresh_from_db()
    assert not update.is_deleted


def test_an_admin_deletes_an_update_softly(client_for, admin, update, action):
    response = client_for(admin).post(_delete_url(update), follow=True)
    update.refresh_from_db()
    assert update.is_deleted
    assert "has been deleted" in response.text
    assert "Held 3 events" not in response.text.split('id="updates"')[1]


def test_a_deleted_update_stays_in_the_history(client_for, admin, update, action):
    client_for(admin).post(_delete_url(update))
    response = client_for(admin).get(reverse("actions:history", args=[action.pk]))
    assert "deleted" in response.text
    assert "Held 3 events" in response.text


def test_deleting_the_latest_update_restores_the_earlier_rating(client_for, admin, officer, action, update):
    later = action_add_update(action=action, author=officer, text="Worse", rag=Rag.RED)
    client_for(admin).post(_delete_url(later))
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


@pytest.mark.parametrize(
    ("who", "status"), [("officer", 403), ("chair", 403), ("other_officer", 403), ("outsider", 404)]
)
def test_only_admins_may_delete_updates(client_for, people, update, who, status):
    assert client_for(people[who]).post(_delete_url(update)).status_code == status
    update.refresh_from_db()
    assert not update.is_deleted


def test_a_deleted_update_cannot_be_deleted_again(client_for, admin, update):
    client_for(admin).post(_delete_url(update))
    assert client_for(admin).post(_delete_url(update)).status_code == 404


def test_a_restricted_update_is_not_found_by_those_who_may_not_read_it(client_for, other_officer, action, officer):
    secret = action_add_update(action=action, author=officer, text="Secret", marking=Marking.OFFICIAL_SENSITIVE)
    assert client_for(other_officer).get(_edit_url(secret)).status_code == 404


def test_the_history_hides_restricted_text_from_those_who_may_not_read_it(client_for, other_officer, action, officer):
    action_add_update(action=action, author=officer, text="Secret", marking=Marking.OFFICIAL_SENSITIVE)
    response = client_for(other_officer).get(reverse("actions:history", args=[action.pk]))
    assert "Secret" not in response.text
    assert "restricted" in response.text


def test_a_chair_correcting_a_review_comment_cannot_change_the_rating(client_for, chair, action):
    action.rag = Rag.AMBER
    action.save()
    review = action_add_update(action=action, author=chair, text="Review", is_review=True)
    response = client_for(chair).post(
        _edit_url(review),
        _correction(review, text="Better review", rag="red"),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rag == Rag.AMBER


@pytest.mark.parametrize(
    ("who", "status"),
    [("officer", 200), ("admin", 200), ("other_officer", 403), ("chair", 403), ("outsider", 404)],
)
def test_who_may_open_the_correction_form(client_for, people, update, who, status):
    assert client_for(people[who]).get(_edit_url(update)).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("officer", 403), ("other_officer", 403), ("chair", 403), ("outsider", 404)],
)
def test_who_may_open_the_delete_confirmation(client_for, people, update, who, status):
    assert client_for(people[who]).get(_delete_url(update)).status_code == status


def test_the_timeline_shows_each_updates_marking(client_for, officer, update):
    assert "OFFICIAL" in client_for(officer).get(update.action.get_absolute_url()).text


# Two corrections at once ---------------------------------------------------------------------


def test_a_second_correction_from_the_same_version_is_refused_and_shows_both(client_for, officer, admin, update):
    loaded = client_for(officer).get(_edit_url(update)).context["form"]["version"].value()
    client_for(admin).post(_edit_url(update), _correction(update, text="Admin's words", version=loaded))
    response = client_for(officer).post(_edit_url(update), _correction(update, text="Officer's words", version=loaded))
    assert response.status_code == 409
    assert "Someone else changed this update while you were editing it" in response.text
    assert response.context["conflict"]["rows"] == [("What has happened", "Admin's words", "Officer's words")]
    assert response.context["form"]["text"].value() == "Officer's words"  # nothing typed is lost
    update.refresh_from_db()
    assert update.text == "Admin's words"


def test_after_a_conflict_saving_again_keeps_the_second_correction(client_for, officer, admin, update):
    loaded = update_version(update)
    client_for(admin).post(_edit_url(update), _correction(update, text="Admin's words", version=loaded))
    refused = client_for(officer).post(_edit_url(update), _correction(update, text="Officer's words", version=loaded))
    again = refused.context["form"]["version"].value()
    response = client_for(officer).post(_edit_url(update), _correction(update, text="Officer's words", version=again))
    assert response.status_code == 302
    update.refresh_from_db()
    assert update.text == "Officer's words"


def test_a_correction_with_a_tampered_version_is_refused(client_for, officer, update):
    response = client_for(officer).post(_edit_url(update), _correction(update, version="abc"))
    assert response.status_code == 400
    assert "There is a problem" in response.text
    update.refresh_from_db()
    assert update.text == "Held 3 events"
