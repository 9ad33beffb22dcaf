"""The partnership's settings page (chairs writing the plan) and what the setting gives."""

import pytest
from django.urls import reverse

from actions.access import action_rights
from plans.models import ActionPlan

URL = "partners:settings"


def url(partnership):
    return reverse(URL, args=[partnership.slug])


def test_admin_lets_chairs_write_the_plan(client_for, admin, partnership):
    response = client_for(admin).post(url(partnership), {"chairs_may_author": "on"})
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.chairs_may_author
    assert partnership.history.first().chairs_may_author


def test_admin_sees_the_form_with_the_setting(client_for, admin, partnership):
    response = client_for(admin).get(url(partnership))
    assert response.status_code == 200
    assert "Chairs may add and edit actions" in response.text


def test_chair_and_officer_may_not_change_the_settings(client_for, chair, officer, partnership):
    for user in (chair, officer):
        assert client_for(user).post(url(partnership), {"chairs_may_author": "on"}).status_code == 403
    partnership.refresh_from_db()
    assert not partnership.chairs_may_author


def test_outsider_gets_404(client_for, outsider, partnership):
    assert client_for(outsider).get(url(partnership)).status_code == 404


def test_directory_links_the_settings_for_the_admin_only(client_for, admin, chair, partnership):
    page = client_for(admin).get(reverse("partners:directory", args=[partnership.slug]))
    assert url(partnership) in page.text
    page = client_for(chair).get(reverse("partners:directory", args=[partnership.slug]))
    assert page.status_code == 200 and "Partners of" in page.text
    assert url(partnership) not in page.text


def test_chair_edits_actions_only_when_allowed(chair, admin, officer, other_officer, partnership, action):
    assert not action_rights(chair, action).may_edit
    assert not action_rights(chair, action).may_author
    partnership.chairs_may_author = True
    partnership.save()
    action.refresh_from_db()
    assert action_rights(chair, action).may_edit
    assert action_rights(chair, action).may_author
    assert action_rights(chair, action).is_reviewer  # a chair still writes review comments
    assert action_rights(admin, action).may_author
    assert not action_rights(officer, action).may_author
    assert action_rights(officer, action).may_edit
    assert not action_rights(other_officer, action).may_edit


def test_nobody_authors_in_an_archived_plan(chair, admin, partnership, plan, action):
    partnership.chairs_may_author = True
    partnership.save()
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    action.refresh_from_db()
    assert not action_rights(admin, action).may_author
    assert not action_rights(chair, action).may_edit


def test_organisation_gets_an_end_date_from_its_form(client_for, admin, partnership, council):
    response = client_for(admin).post(
        reverse("partners:organisation_edit", args=[partnership.slug, council.pk]),
        {"name": council.name, "sector": council.sector, "ended_on": "2022-07-01"},
    )
    assert response.status_code == 302
    council.refresh_from_db()
    assert str(council.ended_on) == "2022-07-01"


def test_a_chair_changes_actions_in_bulk_only_when_allowed(client_for, chair, partnership, plan, action):
    url = reverse("plans:bulk", args=[plan.slug]) + f"?action={action.pk}"
    assert client_for(chair).get(url).status_code == 403
    partnership.chairs_may_author = True
    partnership.save()
    assert client_for(chair).get(url).status_code == 200


def test_bulk_reassign_offers_no_ended_partner(client_for, admin, partnership, plan, action, police):
    url = reverse("plans:bulk", args=[plan.slug]) + f"?action={action.pk}"
    assert police.name in client_for(admin).get(url).text
    police.memberships.update(ended_on="2021-06-25")
    page = client_for(admin).get(url)
    assert page.status_code == 200 and "Testshire Borough Council" in page.text
    assert police.name not in page.text


def test_admin_sets_the_suggestion_thresholds_and_the_rollup_rule(client_for, admin, partnership):
    data = {
        "suggest_red_milestones": "2",
        "suggest_red_days_late": "14",
        "suggest_target_near_days": "60",
        "rollup_rule": "majority",
    }
    assert client_for(admin).post(url(partnership), data).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.suggest_red_milestones, partnership.suggest_red_days_late) == (2, 14)
    assert (partnership.suggest_target_near_days, partnership.rollup_rule) == (60, "majority")
    assert partnership.history.first().rollup_rule == "majority"


def test_settings_left_empty_keep_their_values(client_for, admin, partnership):
    assert client_for(admin).post(url(partnership), {"chairs_may_author": "on"}).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.suggest_red_milestones, partnership.rollup_rule) == (3, "worst")


def test_a_threshold_below_one_is_refused_in_words(client_for, admin, partnership):
    response = client_for(admin).post(url(partnership), {"suggest_red_milestones": "0", "rollup_rule": "average"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.text
    assert "must be 1 or more" in response.text
    partnership.refresh_from_db()
    assert partnership.suggest_red_milestones == 3


def test_admin_sets_how_long_before_a_duty_its_owner_is_reminded(client_for, admin, partnership):
    page = client_for(admin).get(url(partnership))
    assert 'name="duty_reminder_days" value="14"' in page.text
    assert client_for(admin).post(url(partnership), {"duty_reminder_days": "30"}).status_code == 302
    partnership.refresh_from_db()
    assert partnership.duty_reminder_days == 30
    assert partnership.history.first().duty_reminder_days == 30


@pytest.mark.parametrize(("days", "message"), [("0", "must be 1 or more"), ("91", "must be 90 or less")])
def test_a_reminder_lead_time_out_of_range_is_refused_in_words(client_for, admin, partnership, days, message):
    response = client_for(admin).post(url(partnership), {"duty_reminder_days": days})
    assert response.status_code == 400
    assert message in response.text
    partnership.refresh_from_db()
    assert partnership.duty_reminder_days == 14
