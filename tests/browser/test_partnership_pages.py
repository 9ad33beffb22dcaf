"""The partnership's pages from the home page in a real browser: an officer finds the calendar
and the reviews under My actions, and marks a duty they own done from there; the administrator
publishes a plan from the list of plans and then finds its public pages there and in the
partnership's sub-navigation. Every page passes axe."""

import re

import pytest
from playwright.sync_api import expect

from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_officer_finds_the_calendar_and_the_reviews_from_my_actions(
    page, sign_in, officer, action, partnership, assert_accessible
):
    sign_in(officer)
    page.goto("/")
    assert_accessible(page, "My actions")
    expect(page.get_by_role("heading", name="Your partnership")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("^Review tracker"))).to_have_count(0)
    page.get_by_role("link", name=f"Statutory calendar of {partnership.name}").click()
    assert_accessible(page, "Statutory calendar")
    page.goto("/")
    page.get_by_role("link", name=f"Reviews of {partnership.name}").click()
    assert_accessible(page, "Reviews")


def test_an_officer_marks_a_duty_they_own_done_from_my_actions(
    page, sign_in, officer, action, partnership, assert_accessible
):
    f.StatutoryDutyFactory(partnership=partnership, title="Domestic abuse needs assessment", owner=officer)
    sign_in(officer)
    page.goto("/")
    expect(page.get_by_role("heading", name="Your statutory duties")).to_be_visible()
    assert_accessible(page, "My actions")
    page.get_by_role("link", name=re.compile("Mark done.*Domestic abuse needs assessment")).click()
    assert_accessible(page, "Mark Domestic abuse needs assessment done")
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("was marked done")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("heading", name="Your statutory duties")).to_have_count(0)


def test_an_admin_publishes_from_the_plan_list_and_finds_the_public_pages(
    page, sign_in, admin, plan, action, partnership, assert_accessible
):
    sign_in(admin)
    page.goto("/")
    assert_accessible(page, "Your plans")
    page.get_by_role("link", name=f"Review tracker of {partnership.name}").click()
    assert_accessible(page, "Review tracker")
    page.goto("/")
    page.get_by_role("link", name=f"Publish {plan.full_title} on a public page").click()
    assert_accessible(page, "Publish on a public page")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("is on its public page as it stands now.")).to_be_visible()
    page.goto("/")
    expect(page.get_by_role("link", name=f"Public page of {plan.full_title}")).to_be_visible()
    assert_accessible(page, "Your plans")
    page.get_by_role("link", name=f"Public pages of {partnership.name}").click()
    assert_accessible(page, re.compile("published plans"))
    page.goto(f"/partners/{partnership.slug}/")
    page.get_by_role("navigation", name=f"{partnership.short_name} administration").get_by_role(
        "link", name="Public pages"
    ).click()
    assert_accessible(page, re.compile("published plans"))
