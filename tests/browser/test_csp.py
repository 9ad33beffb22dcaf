"""The pages under their real Content-Security-Policy: the other browser tests bypass it
(axe-core is injected as a script), so here Chromium enforces it, and any violation,
reported by the page or on the console, fails the test."""

import pytest
from playwright.sync_api import expect

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


@pytest.fixture
def strict_page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, bypass_csp=False)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def _assert_scripts_ran_and_nothing_was_blocked(page):
    # The inline script (allowed by its nonce) marks the body; app.mjs starts govuk-frontend,
    # which marks each component it started.
    expect(page.locator("body.js-enabled.govuk-frontend-supported")).to_have_count(1)
    modules = page.evaluate(
        """() => [...document.querySelectorAll("[data-module]")].map(
            (e) => [e.dataset.module, e.hasAttribute(`data-${e.dataset.module}-init`)])"""
    )
    assert modules, "no govuk-frontend component on the page to check"
    assert all(started for _, started in modules), modules
    assert page.evaluate("window.__cspViolations") == []
    assert [e for e in page.console_errors if "Content Security Policy" in e] == []


def test_pages_run_their_scripts_under_the_enforced_policy(strict_page, officer, action, plan):
    page = strict_page
    page.goto("/sign-in/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    _assert_scripts_ran_and_nothing_was_blocked(page)

    page.get_by_label("Username").fill(officer.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="My actions")).to_be_visible()
    _assert_scripts_ran_and_nothing_was_blocked(page)

    page.goto(action.get_absolute_url())
    expect(page.get_by_role("heading", name="Deliver Safer Street events")).to_be_visible()
    _assert_scripts_ran_and_nothing_was_blocked(page)

    page.goto(f"/plans/{plan.slug}/dashboard/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    _assert_scripts_ran_and_nothing_was_blocked(page)


def test_a_blocked_inline_script_is_caught(strict_page, officer):
    """The check above can fail: a script without the nonce is reported."""
    page = strict_page
    page.goto("/sign-in/")
    page.evaluate(
        """() => { const s = document.createElement("script"); s.textContent = "1"; document.body.append(s); }"""
    )
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations")[0].startswith("script-src")
