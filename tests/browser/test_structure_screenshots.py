"""Screenshots for docs/administration.md ("Writing the plan"). Run on purpose only:

SCREENSHOTS=1 .venv/bin/python -m pytest -p no:xdist tests/browser/test_structure_screenshots.py
"""

import os
from pathlib import Path

import pytest

from plans.models import ActionPlan
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img"),
]

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_take_the_plan_writing_screenshots(page, sign_in, admin, plan, team):
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.DRAFT)
    first = f.PriorityFactory(plan=plan, number=1, title="Identify and prevent serious youth violence")
    f.PriorityFactory(plan=plan, number=2, title="Reduce domestic abuse")
    issue = f.IssueFactory(priority=first, title="Raise awareness of county lines and knife crime in schools")
    f.ActionFactory(issue=issue, text="Run knife-crime awareness sessions in secondary schools", owner_teams=[team])
    page.set_viewport_size({"width": 1200, "height": 900})
    sign_in(admin)
    page.goto(plan.get_absolute_url())
    page.locator("#priority-1").scroll_into_view_if_needed()
    page.screenshot(path=IMG / "admin-plan-writing.png", full_page=True)
    page.goto(f"/plans/{plan.slug}/publish/")
    page.screenshot(path=IMG / "admin-plan-publish.png", full_page=True)
