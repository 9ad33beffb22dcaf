"""Writing the plan in a real browser (issue 12's "done when"), every new page checked with axe-core."""

import datetime
import os
import re
from pathlib import Path

import pytest
import time_machine
from playwright.sync_api import expect

from actions.models import Action, Status
from csp.loaders.demo import load_demo
from partners.models import User
from plans.models import ActionPlan
from tests import factories as f
from tests.browser.conftest import PASSWORD
from tests.plans.pdf_helpers import column_texts, squash

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Run a knife amnesty week with the secondary schools"
IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def demo():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False):
        load_demo(password=PASSWORD, today=datetime.date(2026, 11, 22))
    plan = ActionPlan.objects.filter(partnership__slug="exampleshire", status=ActionPlan.Status.ACTIVE).latest(
        "start_year"
    )
    return plan, {u.username: u for u in User.objects.filter(username__in=["admin", "officer", "chair"])}


def switch_to(page, sign_in, user):
    page.context.clear_cookies()
    return sign_in(user)


def test_admin_adds_an_action_the_officer_updates_and_the_chair_sees(page, sign_in, demo, assert_accessible, settings):
    """From the home page the admin writes a new priority, an issue under it and an action
    with two owners and a target date; the owning officer updates it; the chair sees it."""
    settings.PDF_RENDER_IN_PROCESS = True  # the child process would not see the test database
    plan, users = demo
    officer_team = users["officer"].teams.get()
    other_team = plan.partnership.teams.exclude(pk=officer_team.pk).order_by("name").first()
    number = plan.priorities.count() + 1

    sign_in(users["admin"])
    page.goto("/")
    page.get_by_role("link", name=plan.full_title).first.click()
    page.get_by_role("link", name="Add a priority").click()
    page.get_by_label("Title").fill("Keep the school holidays safe")
    page.get_by_role("button", name="Add priority").click()
    expect(page.get_by_role("heading", name=f"{number}. Keep the school holidays safe")).to_be_visible()
    page.get_by_role("link", name=f"Add an issue under priority {number}").first.click()
    page.get_by_label("Issue").fill("Young people carrying knives in the town centre")
    page.get_by_role("button", name="Add issue").click()
    issue = plan.priorities.get(number=number).issues.get()
    page.get_by_role("link", name="Add an action to: Young people carrying knives").click()
    assert_accessible(page, "Add an action")
    expect(page.get_by_label("Issue")).to_have_value(str(issue.pk))
    page.get_by_label("Action", exact=True).fill(TEXT)
    page.get_by_label(officer_team.name, exact=True).check()
    page.get_by_label(other_team.name, exact=True).check()
    page.get_by_label("Target date (optional)").fill("31/3/2027")
    page.get_by_role("button", name="Add action").click()
    assert_accessible(page, TEXT)
    action = Action.objects.get(text=TEXT)
    assert action.issue == issue
    assert {t.pk for t in action.owner_teams.all()} == {officer_team.pk, other_team.pk}
    assert action.target_date == datetime.date(2027, 3, 31)

    switch_to(page, sign_in, users["officer"])
    page.goto("/actions/mine/")
    page.get_by_role("link", name=TEXT).click()
    page.get_by_label("What has happened").fill("Bins booked at four schools")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text("Your update has been saved.")).to_be_visible()

    switch_to(page, sign_in, users["chair"])
    page.goto(f"/plans/{plan.slug}/dashboard/")
    expect(page.get_by_role("link", name=TEXT).first).to_be_visible()
    response = page.request.get(f"/plans/{plan.slug}/pdf/?download=1&priority={issue.priority.number}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    assert squash(TEXT) in column_texts(response.body())["Action"]


@pytest.mark.parametrize(("decision", "outcome"), [("Accept", "Accepted"), ("Reject", "Rejected")])
def test_officer_proposes_and_admin_decides(page, sign_in, demo, assert_accessible, decision, outcome):
    plan, users = demo
    owned = Action.objects.owned_by(users["officer"]).in_plan(plan).select_related("issue").first()
    sign_in(users["officer"])
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Propose an action", exact=True).click()
    assert_accessible(page, "Propose an action")
    page.get_by_label("Issue").select_option(str(owned.issue_id))
    page.get_by_label("Action", exact=True).fill(TEXT)
    page.get_by_label(users["officer"].teams.get().name, exact=True).check()
    page.get_by_role("button", name="Send proposal").click()
    expect(page.get_by_text("Your proposal has been sent.")).to_be_visible()

    switch_to(page, sign_in, users["admin"])
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"Proposed actions \(1\)")).click()
    assert_accessible(page, "Proposed actions")
    page.get_by_role("link", name=re.compile("Decide")).click()
    assert_accessible(page, "Decide on a proposed action")
    page.get_by_label(re.compile(f"^{decision}")).check()
    page.get_by_label("Reason").fill("Agreed at the RAG meeting" if decision == "Accept" else "Covered by the schools")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text(f"The proposal has been {outcome.lower()}")).to_be_visible()

    switch_to(page, sign_in, users["officer"])
    page.goto("/actions/mine/")
    assert_accessible(page, "My actions")
    expect(page.locator("#proposals + table")).to_contain_text(outcome)
    expected = Status.OPEN if decision == "Accept" else Status.REJECTED
    assert Action.objects.get(text=TEXT).status == expected


def test_the_authoring_pages_are_accessible(page, sign_in, admin, partnership, plan, issue, action, assert_accessible):
    f.IssueFactory(priority=issue.priority, title="Second issue")
    done = f.ActionFactory(issue=issue, text="Done already", status=Status.COMPLETED)
    sign_in(admin)
    for url, heading in [
        (f"/actions/plan/{plan.slug}/new/?issue={issue.pk}", "Add an action"),
        (f"/actions/plan/{plan.slug}/proposals/", "Proposed actions"),
        (f"/actions/{action.pk}/move/", "Move the action"),
        (f"/actions/{action.pk}/close/", "Close the action"),
        (f"/actions/{done.pk}/reopen/", "Reopen the action"),
        (f"/actions/{action.pk}/delete/", "Are you sure you want to delete this action?"),
        (f"/partners/{partnership.slug}/settings/", "Partnership settings"),
        (plan.get_absolute_url(), plan.full_title),  # with "Add an action" and the proposals link
        (action.get_absolute_url(), action.text),  # with the authors' links and the up/down buttons
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, heading)
    page.goto(f"/actions/plan/{plan.slug}/new/")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Add an action")
    page.goto(f"/actions/{action.pk}/close/")
    page.get_by_role("button", name="Close action").click()
    assert_accessible(page, "Close the action")


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img")
def test_take_the_authoring_screenshots(page, sign_in, admin, officer, plan, issue, action, team, police):
    """Screenshots for docs/administration.md and docs/officer-guide.md."""
    f.ActionFactory(
        issue=issue, text=TEXT, owner_teams=[team], owner_role="DI Macbeth", status=Status.PROPOSED, proposed_by=officer
    )
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in(admin)
    page.goto(f"/actions/plan/{plan.slug}/new/?issue={issue.pk}")
    page.screenshot(path=IMG / "authoring-new-action.png", full_page=True)
    page.goto(f"/actions/plan/{plan.slug}/proposals/")
    page.screenshot(path=IMG / "authoring-proposals.png", full_page=True)
    page.goto(f"/actions/{action.pk}/close/")
    page.screenshot(path=IMG / "authoring-close.png", full_page=True)
    switch_to(page, sign_in, officer)
    page.goto("/actions/mine/#proposals")
    page.locator("#proposals").scroll_into_view_if_needed()
    page.screenshot(path=IMG / "officer-proposals.png", full_page=True)
