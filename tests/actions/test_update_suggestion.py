"""The update form shows the suggested rating beside the owner's choice, asks for a reason when
the owner rates otherwise, stores both with the update, and never changes a rating itself."""

import datetime

from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Rag
from tests import factories as f


def _url(action):
    return reverse("actions:detail", args=[action.pk])


def _update(**overrides):
    return {
        "date": timezone.localdate().strftime("%d/%m/%Y"),
        "text": "Two venues still to book.",
        "rag": "green",
        "status": "",
        "status_reason": "",
        "marking": "official",
        **overrides,
    }


def _overdue(action, n, days=3):
    for _ in range(n):
        f.MilestoneFactory(action=action, due_date=timezone.localdate() - datetime.timedelta(days=days))


def test_the_form_shows_the_suggestion_in_words(client_for, officer, action):
    _overdue(action, 2)
    page = client_for(officer).get(_url(action))
    assert "Add an update" in page.text
    assert "Suggested: Amber — 2 milestones overdue" in page.text
    assert "Why is your rating different from the suggestion?" in page.text


def test_the_suggestion_ignores_the_gap_the_update_ends(client_for, officer, action):
    action.created_at = timezone.now() - datetime.timedelta(days=200)
    action.save()
    page = client_for(officer).get(_url(action))
    assert "No suggestion: nothing the app knows is overdue or near." in page.text


def test_a_cautious_rating_when_nothing_is_overdue_needs_no_reason(client_for, officer, action):
    page = client_for(officer).get(_url(action))
    assert "No suggestion: nothing the app knows is overdue or near." in page.text
    assert "Why is your rating different" not in page.text
    assert client_for(officer).post(_url(action), _update(rag="amber")).status_code == 302
    assert action.updates.get().suggested_rag == ""


def test_rating_as_suggested_needs_no_reason(client_for, officer, action):
    _overdue(action, 2)
    assert client_for(officer).post(_url(action), _update(rag="amber")).status_code == 302
    update = action.updates.get()
    assert (update.rag, update.suggested_rag, update.rating_reason) == (Rag.AMBER, Rag.AMBER, "")


def test_rating_otherwise_without_a_reason_is_refused_in_the_error_summary(client_for, officer, action):
    _overdue(action, 2)
    response = client_for(officer).post(_url(action), _update(rag="green", rating_reason="  "))
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "Enter why your rating is different from the suggested Amber" in response.text
    assert not action.updates.exists()
    action.refresh_from_db()
    assert action.rag == Rag.NOT_RATED


def test_rating_otherwise_with_a_reason_keeps_the_owners_rating_and_the_reason(client_for, officer, action):
    _overdue(action, 3)
    reason = "The venues are booked; the milestones were not ticked off yet."
    response = client_for(officer).post(_url(action), _update(rag="green", rating_reason=reason))
    assert response.status_code == 302
    update = action.updates.get()
    assert (update.rag, update.suggested_rag, update.rating_reason) == (Rag.GREEN, Rag.RED, reason)
    action.refresh_from_db()
    assert action.rag == Rag.GREEN  # the owner's, never the suggestion's


def test_the_reason_is_shown_with_the_update_to_the_chair(client_for, officer, chair, action):
    _overdue(action, 3)
    client_for(officer).post(_url(action), _update(rag="green", rating_reason="Booked, not yet ticked."))
    page = client_for(chair).get(_url(action))
    assert "Suggested Red. Why rated otherwise: " in page.text
    assert "Booked, not yet ticked." in page.text


def test_the_reason_of_a_restricted_update_is_withheld_like_its_text(client_for, officer, other_officer, action):
    _overdue(action, 3)
    client_for(officer).post(
        _url(action), _update(rag="green", rating_reason="Secret reason.", marking="official_sensitive")
    )
    page = client_for(other_officer).get(_url(action))
    assert page.status_code == 200 and "A restricted (OFFICIAL-SENSITIVE) update exists" in page.text
    assert "Secret reason." not in page.text


def test_completing_the_action_needs_no_reason(client_for, officer, action):
    _overdue(action, 3)
    assert client_for(officer).post(_url(action), _update(rag="blue", status="completed")).status_code == 302


def test_a_chairs_review_comment_carries_no_suggestion(client_for, chair, action):
    _overdue(action, 3)
    page = client_for(chair).get(_url(action))
    assert "Add a review comment" in page.text
    assert "The rating is yours to give" not in page.text  # the form's hint
    # The page's summary shows the chair what the facts suggest now (test_action_page_quality).
    assert page.text.count("Suggested:") == 1


def test_imports_and_no_change_answers_record_no_suggestion(officer, action):
    # The importer and the round's "no change" answer (plans.rounds) add updates through the
    # service without a suggestion: nothing is demanded of them.
    _overdue(action, 3)
    imported = services.action_add_update(action=action, text="Imported note", rag=Rag.GREEN, author_name="X")
    kept = services.action_add_update(action=action, author=officer, text="No change since the last update.")
    assert (imported.suggested_rag, imported.rating_reason, kept.rag, kept.suggested_rag) == ("", "", Rag.GREEN, "")
