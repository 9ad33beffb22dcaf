"""Every page fits a 320 pixel wide screen without scrolling sideways (WCAG 2.2 reflow,
1.4.10), and passes axe there.

Each demo user (officer, chair, admin) starts at the home page and follows the site's own
links, breadth first: one page per URL pattern, and one more with a query string (so ids,
slugs and filters do not multiply the crawl), never signing out, never a download or an
export, never a form's POST. Pages only a GET form leads to (search results, a filtered
plan, the bulk change) start the crawl too.

Screenshots for docs/officer-guide.md (390 pixels wide, a common phone) are taken with
SCREENSHOTS=1 (see test_officer_screenshots.py).
"""

import datetime
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import time_machine
from django.urls import Resolver404, resolve

from actions.services import action_add_update
from csp.loaders.demo import load_demo
from plans.models import ActionPlan

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"
PAGES_PER_USER = 80
SKIP = re.compile(r"sign-out|/download|/export/|/pdf|\.pdf$|\.xlsx$|\.csv$|\.zip$|^/admin/")
WIDTH_JS = "() => [document.documentElement.scrollWidth, window.innerWidth]"
# What sticks out on the right, to say why a page is too wide.
WIDE_JS = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + String(e.className).split(' ').join('.'))"""


@pytest.fixture
def demo():
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False):
        load_demo(password=PASSWORD, today=datetime.date(2026, 11, 22))


def _pattern(url):
    """The URL pattern a URL resolves to, e.g. "actions/<id:pk>/", and whether it has a query;
    None for paths outside the site."""
    parts = urlsplit(url)
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}:{match.route}", bool(parts.query)


def _crawl(chromium_browser, live_server, assert_accessible, username):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    plan = ActionPlan.objects.filter(partnership__slug="exampleshire", status=ActionPlan.Status.ACTIVE).latest(
        "start_year"
    )
    starts = [
        "/",
        "/actions/search/?q=knife",
        f"{plan.get_absolute_url()}?rag=red&stale=1",
        f"/plans/{plan.slug}/bulk/?all=1",
    ]
    seen, queue, visited, problems = set(), list(starts), [], []
    while queue and len(visited) < PAGES_PER_USER:
        path = queue.pop(0)
        pattern = _pattern(path)
        if pattern is None or pattern in seen:
            continue
        seen.add(pattern)
        response = page.goto(path)
        if "text/html" not in response.headers.get("content-type", "") or (
            response.status == 403 and path in starts  # the bulk change is not every user's
        ):
            continue
        assert response.status == 200, f"{username}: {path} answered {response.status}"
        visited.append(path)
        scroll_width, inner_width = page.evaluate(WIDTH_JS)
        if scroll_width > inner_width:
            problems.append(f"{path} is {scroll_width}px wide: {page.evaluate(WIDE_JS)}")
        try:
            assert_accessible(page, re.compile(r"\S"))
        except AssertionError as error:  # gather every page's problems, then report them all
            problems.append(f"{path}: {error}")
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            if not href.startswith(live_server.url):
                continue
            target = href[len(live_server.url) :].split("#")[0]
            if target and not SKIP.search(urlsplit(target).path):
                queue.append(target)
    context.close()
    return visited, problems


@pytest.mark.parametrize("username", ["officer", "chair", "admin"])
def test_every_page_a_demo_user_reaches_fits_320_pixels(
    chromium_browser, live_server, assert_accessible, demo, username
):
    visited, problems = _crawl(chromium_browser, live_server, assert_accessible, username)
    assert len(visited) >= 10, visited  # the crawl got past the home page
    assert not problems, "\n".join(problems)


def _narrow(chromium_browser, live_server, width):
    context = chromium_browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 640})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _sign_in(page, user):
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_on_a_phone_my_actions_are_stacked_rows_led_by_their_labels(
    chromium_browser, live_server, assert_accessible, officer, action
):
    context, page = _narrow(chromium_browser, live_server, 320)
    _sign_in(page, officer)
    page.goto("/actions/mine/")
    cell = page.locator("td[data-label='Last update']").first
    row = page.locator("tbody tr").first
    # Stacked: the cell starts at the row's left edge and spans it, under the action's cell.
    assert cell.bounding_box()["x"] == row.bounding_box()["x"]
    assert cell.bounding_box()["width"] == row.bounding_box()["width"]
    label = page.evaluate("c => getComputedStyle(c, '::before').content", cell.element_handle())
    assert "Last update" in label
    # The headings stay for screen readers.
    assert page.get_by_role("columnheader", name="Last update").count() == 1
    assert_accessible(page, "My actions")
    context.close()


def test_on_a_wide_screen_my_actions_is_a_table(chromium_browser, live_server, officer, action):
    context, page = _narrow(chromium_browser, live_server, 1024)
    _sign_in(page, officer)
    page.goto("/actions/mine/")
    cell = page.locator("td[data-label='Last update']").first
    assert cell.bounding_box()["x"] > page.locator("tbody tr").first.bounding_box()["x"] + 100
    context.close()


def test_tables_without_labels_in_the_template_get_them_from_their_headings(
    chromium_browser, live_server, assert_accessible, officer, plan
):
    context, page = _narrow(chromium_browser, live_server, 320)
    _sign_in(page, officer)
    page.goto("/plans/")
    table = page.locator("table.govuk-table").first
    assert "app-table--stack" in table.get_attribute("class")
    assert table.locator("td").nth(1).get_attribute("data-label") == "Years"
    assert table.get_attribute("role") == "table"
    assert_accessible(page, "Your plans")
    context.close()


def test_long_words_and_pasted_links_wrap_on_a_phone(chromium_browser, live_server, officer, action, plan):
    link = "https://www.example.org/community-safety/reports/" + "very-long-path-segment-" * 8 + "report.pdf"
    action_add_update(action=action, author=officer, text=f"Report at {link}")
    action.text = "Reference CSP/2026/ASB/" + "X" * 90
    action.save()
    context, page = _narrow(chromium_browser, live_server, 320)
    _sign_in(page, officer)
    for url in (f"/actions/{action.pk}/", plan.get_absolute_url(), "/actions/mine/"):
        page.goto(url)
        scroll_width, inner_width = page.evaluate(WIDTH_JS)
        assert scroll_width <= inner_width, url
    context.close()


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img")
def test_take_the_phone_screenshots(chromium_browser, live_server, demo):
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 844}, device_scale_factor=1
    )
    page = context.new_page()
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    plan = ActionPlan.objects.filter(partnership__slug="exampleshire", status=ActionPlan.Status.ACTIVE).latest(
        "start_year"
    )
    page.goto("/actions/mine/")
    page.screenshot(path=IMG / "phone-my-actions.png")
    page.goto(plan.get_absolute_url())
    page.evaluate("window.scrollTo(0, document.getElementById('results').offsetTop - 15)")
    page.screenshot(path=IMG / "phone-plan.png")
    page.goto("/actions/mine/")
    page.locator("table a.govuk-link").first.click()
    page.wait_for_load_state()
    page.screenshot(path=IMG / "phone-action.png")
    context.close()
