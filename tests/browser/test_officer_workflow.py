"""The officer's whole flow in Chromium, by mouse and by keyboard alone, with axe-core on every page."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def stale_action(action, officer):
    """The officer's action, rated Amber, last updated 60 days ago (past the 42-day interval)."""
    old = timezone.localdate() - datetime.timedelta(days=60)
    action_add_update(action=action, author=officer, text="Two events planned", rag=Rag.AMBER, date=old)
    return action


def test_the_officer_updates_a_stale_action_from_amber_to_green(
    page, sign_in, officer, stale_action, assert_accessible
):
    sign_in(officer)
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    expect(page.get_by_text("1 of your 1 action needs an update")).to_be_visible()
    assert_accessible(page, "My actions")

    page.get_by_role("link", name="Deliver Safer Street events").click()
    assert page.get_by_role("radio", name="Amber").is_checked()
    assert_accessible(page, "Deliver Safer Street events")

    page.get_by_label("What has happened").fill("Four Safer Streets events held; 120 residents attended.")
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save update").click()

    expect(page.get_by_text("Your update has been saved")).to_be_visible()
    timeline = page.locator(".app-timeline")
    expect(timeline.get_by_text("Four Safer Streets events held")).to_be_visible()
    expect(timeline.get_by_text("changed from Amber").first).to_be_visible()
    assert_accessible(page, "Deliver Safer Street events")

    page.get_by_role("link", name=stale_action.plan.full_title).click()
    row = page.locator(f"#action-{stale_action.pk}")
    expect(row.get_by_text("Green")).to_be_visible()
    expect(row.get_by_text("Four Safer Streets events held")).to_be_visible()
    assert_accessible(page, "Testshire Community Safety Action Plan 2025 - 2026")


def test_an_officer_of_another_team_gets_no_edit_form(page, sign_in, other_officer, stale_action, assert_accessible):
    sign_in(other_officer)
    page.goto(stale_action.get_absolute_url())
    expect(page.get_by_role("heading", name="Deliver Safer Street events")).to_be_visible()
    assert page.get_by_role("button", name="Save update").count() == 0
    assert page.get_by_role("link", name="Change the action").count() == 0
    assert_accessible(page, "Deliver Safer Street events")


def test_bad_input_shows_the_error_summary(page, sign_in, officer, stale_action, assert_accessible):
    sign_in(officer)
    page.goto(stale_action.get_absolute_url())
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    page.get_by_label("Date of update").fill(tomorrow.strftime("%d/%m/%Y"))
    page.get_by_role("button", name="Save update").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_text("Enter what has happened")).to_be_visible()
    expect(summary.get_by_text("Date of update must be today or in the past")).to_be_visible()
    assert_accessible(page, "Deliver Safer Street events")


def _tab_to(page, check, limit=80):
    """Press Tab until ``check(active element description)`` is true."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        active = page.evaluate(
            "() => { const e = document.activeElement; return {tag: e.tagName, text: (e.innerText || '').trim(),"
            " id: e.id, type: e.type || '', value: e.value || ''}; }"
        )
        if check(active):
            return active
    raise AssertionError("Could not reach the element with the keyboard")


def test_the_whole_flow_works_with_the_keyboard_alone(page, officer, stale_action):
    page.goto("/sign-in/")
    _tab_to(page, lambda e: e["id"] == "id_username")
    page.keyboard.type(officer.username)
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse battery staple")
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="My actions").wait_for()

    _tab_to(page, lambda e: e["text"] == "Deliver Safer Street events")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Save update").wait_for()

    _tab_to(page, lambda e: e["id"] == "id_text")
    page.keyboard.type("Typed with the keyboard only.")
    # The RAG radios are one tab stop; arrow keys move between them (Amber -> Green).
    _tab_to(page, lambda e: e["type"] == "radio")
    page.keyboard.press("ArrowDown")
    assert page.get_by_role("radio", name="Green").is_checked()
    _tab_to(page, lambda e: e["text"] == "Save update")
    page.keyboard.press("Enter")
    page.get_by_text("Your update has been saved").wait_for()
    expect(page.locator(".app-timeline").get_by_text("Typed with the keyboard only.")).to_be_visible()


def test_the_other_pages_of_the_workflow_are_accessible(page, sign_in, admin, officer, stale_action, assert_accessible):
    update = stale_action.updates.get()
    sign_in(admin)
    plan = stale_action.plan
    for url, heading in [
        ("/", "Your plans"),
        ("/plans/", "Your plans"),
        (f"/plans/{plan.slug}/?rag=amber&stale=1", plan.full_title),
        (f"/plans/{plan.slug}/?rag=purple", plan.full_title),
        (f"/actions/{stale_action.pk}/edit/", "Change the action"),
        (f"/actions/{stale_action.pk}/history/", "History of changes"),
        (f"/actions/{stale_action.pk}/updates/{update.pk}/edit/", re.compile("^Correct the update of ")),
        (f"/actions/{stale_action.pk}/updates/{update.pk}/delete/", re.compile("^Are you sure you want to delete")),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, heading)


def test_a_chair_adds_a_review_comment(page, sign_in, chair, stale_action, assert_accessible):
    sign_in(chair)
    page.goto(stale_action.get_absolute_url())
    page.get_by_label("Review comment").fill("Please bring attendance figures to the next meeting.")
    page.get_by_role("button", name="Save review comment").click()
    expect(page.get_by_text("Your review comment has been saved")).to_be_visible()
    expect(page.locator(".app-timeline").get_by_text("Review", exact=True)).to_be_visible()
    assert_accessible(page, "Deliver Safer Street events")


def test_editing_the_action_conflict_is_explained(page, sign_in, officer, admin, stale_action, team, assert_accessible):
    sign_in(officer)
    page.goto(f"/actions/{stale_action.pk}/edit/")
    # Someone else saves first.
    from actions.services import action_edit

    action_edit(
        action=stale_action,
        editor=admin,
        version=stale_action.version,
        text="Changed by the administrator",
        target_date=None,
        owner_teams=[team],
        owner_organisations=[],
        owner_groups=[],
    )
    page.get_by_label("Action", exact=True).fill("Changed by the officer")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("Someone else changed this action while you were editing it")).to_be_visible()
    assert page.get_by_label("Action", exact=True).input_value() == "Changed by the officer"
    assert_accessible(page, "Change the action")


def test_the_password_reset_pages_are_accessible(page, officer, assert_accessible):
    page.goto("/sign-in/")
    page.get_by_role("link", name="I have forgotten my password").click()
    assert_accessible(page, "Reset your password")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    assert_accessible(page, "Check your email")


def test_a_jointly_owned_action_is_usable_from_the_other_side(
    page, sign_in, issue, team, other_partnership, assert_accessible
):
    org = f.OrganisationFactory(name="Otherton Council")
    their_team = f.TeamFactory(name="Otherton CST", organisation=org, partnership=other_partnership)
    joint = f.ActionFactory(issue=issue, text="Run the Tri-CSP youth panel", owner_teams=[team, their_team])
    # The owning partnership let the other partnership's team in (docs/administration.md).
    f.TeamGrantFactory(partnership=joint.plan.partnership, team=their_team)
    user = f.UserFactory(username="otherside", teams=[their_team])
    f.RoleFactory(user=user, partnership=other_partnership)
    sign_in(user)
    page.get_by_role("link", name="Run the Tri-CSP youth panel").click()
    expect(page.get_by_role("button", name="Save update")).to_be_visible()
    assert joint.plan.full_title not in [a.inner_text() for a in page.locator("a").all()]
    assert_accessible(page, "Run the Tri-CSP youth panel")


def test_choosing_a_new_password_from_the_emailed_link(page, officer, assert_accessible):
    import re

    from django.core import mail

    page.goto("/password-reset/")
    page.get_by_label("Email address").fill(officer.email)
    page.get_by_role("button", name="Send the link").click()
    page.get_by_role("heading", name="Check your email").wait_for()
    link = re.search(r"https?://[^/]+(/password-reset/\S+)", mail.outbox[-1].body).group(1)
    page.goto(link)
    assert_accessible(page, "Choose a new password")
    page.get_by_label("New password", exact=True).fill("short")
    page.get_by_label("Confirm the new password").fill("short")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page, "Choose a new password")
    page.get_by_label("New password", exact=True).fill("a brand new long passphrase")
    page.get_by_label("Confirm the new password").fill("a brand new long passphrase")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    assert_accessible(page, "Your password has been changed")


def test_too_many_failed_sign_ins_are_explained(page, officer, assert_accessible):
    for _ in range(5):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(officer.username)
        page.get_by_label("Password").fill("wrong password")
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Too many failed sign-in attempts")).to_be_visible()
    assert_accessible(page, "Too many failed sign-in attempts")


def test_refusals_are_accessible(page, sign_in, other_officer, outsider, stale_action, assert_accessible):
    sign_in(other_officer)
    page.goto(f"/actions/{stale_action.pk}/edit/")
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    assert_accessible(page, "You cannot do this")
    page.goto("/actions/999999/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    assert_accessible(page, "Page not found")


def test_a_chair_starts_on_the_plans_list(page, sign_in, chair, stale_action, assert_accessible):
    sign_in(chair)
    expect(page.get_by_role("link", name=stale_action.plan.full_title)).to_be_visible()
    assert_accessible(page, "Your plans")


def test_discharging_reveals_the_reason_box(page, sign_in, officer, stale_action, assert_accessible):
    sign_in(officer)
    page.goto(stale_action.get_absolute_url())
    reason = page.get_by_label("Why is it discharged from the plan?")
    expect(reason).not_to_be_visible()
    page.get_by_role("radio", name="Discharged from the plan").check()
    expect(reason).to_be_visible()
    page.get_by_label("What has happened").fill("Now business as usual for the SNT.")
    page.get_by_role("button", name="Save update").click()
    expect(page.locator(".govuk-error-summary").get_by_text("Enter why the action is discharged")).to_be_visible()
    expect(page.get_by_label("Why is it discharged from the plan?")).to_be_visible()
    assert_accessible(page, "Deliver Safer Street events")
    page.get_by_label("Why is it discharged from the plan?").fill("Moved to the SNT's business as usual.")
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Your update has been saved")).to_be_visible()
    expect(page.get_by_text("Discharged from the plan").first).to_be_visible()
