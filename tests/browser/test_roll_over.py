"""The two roll-over steps in a real browser, each checked with axe-core: choosing with an
error, mapping an issue, the confirmation page; a large roll-over's progress page. The
screenshots of docs/administration.md are taken on purpose only:

SCREENSHOTS=1 .venv/bin/python -m pytest -p no:xdist tests/browser/test_roll_over.py
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from actions.models import Action
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_rolls_over_in_two_steps(page, sign_in, admin, partnership, plan, action, assert_accessible):
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    violence = f.PriorityFactory(plan=target, number=1, title="Serious youth violence")
    f.IssueFactory(priority=violence, title="Knife crime in schools")
    sign_in(admin)

    page.goto(f"/plans/{plan.slug}/roll-over/")
    assert_accessible(page, f"Roll over {plan.full_title}")

    # Nothing ticked: an error summary, still accessible.
    page.get_by_role("checkbox", name=re.compile("Deliver Safer Street events")).uncheck()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_text("Choose at least one action to carry forward.").first).to_be_visible()
    assert_accessible(page, f"Roll over {plan.full_title}")

    page.get_by_role("checkbox", name=re.compile("Deliver Safer Street events")).check()
    page.get_by_label("Into").select_option(label="Knife crime in schools")
    page.get_by_role("button", name="Continue").click()
    assert_accessible(page, f"Check the roll-over of {plan.full_title}")
    assert Action.objects.in_plan(target).count() == 0

    page.get_by_role("button", name="Carry forward").click()
    expect(page.get_by_text("1 action carried forward")).to_be_visible()
    assert Action.objects.in_plan(target).get().issue.title == "Knife crime in schools"


def test_admin_makes_an_empty_next_plan_to_roll_into(page, sign_in, admin, plan, action, assert_accessible):
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/roll-over/")
    assert_accessible(page, f"Roll over {plan.full_title}")
    page.get_by_role("button", name="Create an empty plan for 2026 - 2027").click()
    expect(page.get_by_text("was created, empty")).to_be_visible()
    assert page.get_by_role("checkbox", name=re.compile("Deliver Safer Street events")).is_checked()
    assert_accessible(page, f"Roll over {plan.full_title}")


def test_a_large_roll_over_is_followed_on_its_page_until_it_is_done(
    page, sign_in, admin, partnership, plan, action, team, settings, database_queue, assert_accessible
):
    from tests.queue_helpers import run_queued_tasks

    settings.ROLL_OVER_DIRECT_MAX_ACTIONS = 1
    f.ActionFactory(issue=action.issue, text="Run knife-crime awareness sessions in schools", owner_teams=[team])
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/roll-over/")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("This many actions are carried in the background").wait_for()
    page.get_by_role("button", name="Carry forward").click()
    page.get_by_text("Waiting for a free worker: next in the queue.").wait_for()
    assert_accessible(page, "Rolling over 2025 - 2026")
    page.goto(f"/plans/{plan.slug}/roll-over/")  # the roll-over page says one is under way
    assert_accessible(page, f"Roll over {plan.full_title}")
    page.get_by_role("link", name="See how far it has got").click()
    run_queued_tasks()
    page.get_by_text("2 actions carried forward into").wait_for()  # the page follows the task by itself
    assert_accessible(page, "Roll-over complete")
    page.get_by_role("link", name=f"Go to {target.full_title}").click()
    assert Action.objects.in_plan(target).count() == 2


def test_a_failed_roll_over_says_why_on_an_accessible_page(
    page, sign_in, admin, partnership, plan, action, team, settings, database_queue, assert_accessible
):
    from actions.models import Status
    from tests.queue_helpers import run_queued_tasks

    settings.ROLL_OVER_DIRECT_MAX_ACTIONS = 1
    f.ActionFactory(issue=action.issue, text="Run knife-crime awareness sessions in schools", owner_teams=[team])
    f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/roll-over/")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Carry forward").click()
    page.get_by_text("Waiting for a free worker").wait_for()
    Action.objects.filter(pk=action.pk).update(status=Status.COMPLETED)
    run_queued_tasks()
    page.get_by_text("Only open actions can be carried forward").first.wait_for()
    assert_accessible(page, "Roll-over failed")


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img")
def test_take_the_roll_over_screenshots(page, sign_in, admin, partnership, plan, action, team):
    img = Path(__file__).resolve().parents[2] / "docs" / "img"
    f.ActionFactory(issue=action.issue, text="Run knife-crime awareness sessions in schools", owner_teams=[team])
    target = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    f.PriorityFactory(plan=target, number=1, title="Reduce anti-social behaviour")
    f.PriorityFactory(plan=target, number=2, title="Serious youth violence")
    sign_in(admin)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"/plans/{plan.slug}/roll-over/")
    page.screenshot(path=img / "roll-over-choose.png", full_page=True)
    page.get_by_role("button", name="Continue").click()
    page.screenshot(path=img / "roll-over-confirm.png", full_page=True)


@pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img")
def test_take_the_roll_over_progress_screenshots(page, sign_in, admin, partnership, plan, action, team, settings):
    img = Path(__file__).resolve().parents[2] / "docs" / "img"
    settings.ROLL_OVER_DIRECT_MAX_ACTIONS = 1  # the task runs at once here (tests' immediate backend)
    f.ActionFactory(issue=action.issue, text="Run knife-crime awareness sessions in schools", owner_teams=[team])
    f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    sign_in(admin)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(f"/plans/{plan.slug}/roll-over/")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Carry forward").click()
    page.get_by_text("Roll-over complete").wait_for()
    page.screenshot(path=img / "roll-over-done.png", full_page=True)
