"""Screenshots for docs/officer-guide.md (milestones), docs/reviews.md, docs/statutory-calendar.md
and docs/publishing.md, taken on the demo partnership. Run on purpose only:

SCREENSHOTS=1 .venv/bin/python -m pytest -p no:xdist -m browser tests/browser/test_statutory_screenshots.py
"""

import datetime
import os
from pathlib import Path

import pytest

from actions.models import Action
from csp.loaders.demo import load_demo
from partners.models import User
from plans.models import ActionPlan, Review

from .conftest import PASSWORD

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img"),
]

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


@pytest.fixture
def demo():
    load_demo(password=PASSWORD, today=datetime.date.today())


def _shot(page, name, selector=None):
    if selector:
        page.locator(selector).first.scroll_into_view_if_needed()
    page.screenshot(path=IMG / name, full_page=selector is None)


def test_take_the_statutory_work_screenshots(page, sign_in, demo):
    page.set_viewport_size({"width": 1200, "height": 900})
    officer, admin = User.objects.get(username="officer"), User.objects.get(username="admin")
    plan = ActionPlan.objects.get(partnership__slug="exampleshire", status=ActionPlan.Status.ACTIVE)
    sign_in(officer)
    action = Action.objects.filter(milestones__isnull=False).owned_by(officer).distinct().first()
    page.goto(f"/actions/{action.pk}/")
    _shot(page, "milestones-action-page.png", ".app-milestones")
    page.context.clear_cookies()
    sign_in(admin)
    review = Review.objects.get(partnership__slug="exampleshire", reference="DHR 2025/01")
    page.goto(f"/plans/reviews/exampleshire/{review.pk}/")
    _shot(page, "reviews-review-page.png", "h1")
    page.goto("/plans/reviews/exampleshire/tracker/")
    _shot(page, "reviews-tracker.png", "h1")
    page.goto("/plans/calendar/exampleshire/")
    _shot(page, "statutory-calendar.png", "h1")
    page.context.clear_cookies()
    page.goto(f"/public/exampleshire/{plan.slug}/")
    _shot(page, "public-plan-page.png", "h1")
