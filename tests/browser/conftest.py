"""Browser tests: Playwright drives Debian's Chromium (never a downloaded browser)
against the live test server, and axe-core checks every page for WCAG 2.2 AA.

Locally they skip when no Chromium is found; with REQUIRE_BROWSER=1 (CI) they fail instead.
"""

import os
import shutil

import pytest

CHROMIUM_CANDIDATES = [os.environ.get("CHROMIUM_PATH", ""), "/usr/bin/chromium", "/usr/bin/chromium-browser"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PASSWORD = "correct horse battery staple"

# Playwright's sync API runs an event loop in this thread; the ORM calls made by
# fixtures here are synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium():
    for candidate in CHROMIUM_CANDIDATES:
        if candidate and (shutil.which(candidate) or os.path.exists(candidate)):
            return candidate
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_browser():
    path = _chromium()
    if path is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)")
        pytest.skip("No Chromium found: install Debian's chromium to run the browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium_browser, live_server):
    context = chromium_browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def sign_in(page):
    """``sign_in(user)``: sign in through the real form (the user's password is PASSWORD)."""

    def do(user):
        page.goto("/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        return page

    return do


@pytest.fixture
def assert_accessible():
    """``assert_accessible(page, heading)``: the page is the one meant (its h1 is ``heading``,
    text or compiled pattern), so an error page is not what gets checked; then axe-core
    finds no WCAG 2.2 A/AA violation on it."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import expect

    axe = Axe()

    def check(page, heading):
        expect(page.locator("h1")).to_have_text(heading)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
        violations = results.response["violations"]
        details = "\n".join(
            f"{v['id']}: {v['help']} ({len(v['nodes'])}): {[n['target'] for n in v['nodes']][:5]}" for v in violations
        )
        assert not violations, f"axe found violations on {page.url}:\n{details}"

    return check
