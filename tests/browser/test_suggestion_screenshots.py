"""Screenshots for docs/suggested-rag.md. Run on purpose only:

SCREENSHOTS=1 .venv/bin/python -m pytest -p no:xdist -m browser tests/browser/test_suggestion_screenshots.py
"""

import datetime
import os
from pathlib import Path

import pytest

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img"),
]

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_take_the_suggestion_screenshots(page, sign_in, officer, chair, plan, issue, action, team):
    today = datetime.date.today()
    for days in (40, 12, 5):
        f.MilestoneFactory(action=action, due_date=today - datetime.timedelta(days=days))
    f.MilestoneFactory(action=action, due_date=today - datetime.timedelta(days=60), done_on=today)
    other = f.ActionFactory(issue=issue, text="Run weekend patrols in the park", owner_teams=[team])
    action_add_update(action=other, author=officer, text="Patrols started", rag=Rag.AMBER)
    page.set_viewport_size({"width": 1200, "height": 900})
    sign_in(officer)
    page.goto(f"/actions/{action.pk}/")
    page.get_by_label("What has happened").fill("Venues booked; partners briefed.")
    page.get_by_label("Green").check()
    page.get_by_role("button", name="Save update").click()
    page.locator("#id_rag").evaluate("element => element.scrollIntoView()")
    page.screenshot(path=IMG / "suggested-rag-form.png", full_page=False)
    page.get_by_label("Why is your rating different from the suggestion?").fill(
        "The venues are booked; the milestones will be ticked off this week."
    )
    page.get_by_role("button", name="Save update").click()
    page.context.clear_cookies()
    sign_in(chair)
    page.goto(f"/plans/{plan.slug}/dashboard/")
    page.locator("#better-than-suggested").scroll_into_view_if_needed()
    page.screenshot(path=IMG / "suggested-rag-dashboard.png", full_page=False)
