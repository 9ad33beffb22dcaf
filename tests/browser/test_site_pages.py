import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_has_no_accessibility_violations(page, assert_accessible):
    page.goto("/sign-in/")
    assert_accessible(page, "Sign in")


def test_home_page_has_no_accessibility_violations(page, sign_in, officer, plan, assert_accessible):
    sign_in(officer)
    expect(page.get_by_role("heading", name="Your plans")).to_be_visible()
    assert_accessible(page, "My actions")


def test_a_wrong_password_shows_the_error_summary(page, officer, assert_accessible):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Sign in")
