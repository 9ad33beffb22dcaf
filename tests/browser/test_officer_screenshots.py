"""Screenshots for docs/officer-guide.md. Run on purpose only:

SCREENSHOTS=1 .venv/bin/python -m pytest -p no:xdist tests/browser/test_officer_screenshots.py
"""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from actions.models import Rag
from actions.services import action_add_update
from tests import factories as f

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.environ.get("SCREENSHOTS"), reason="set SCREENSHOTS=1 to refresh docs/img"),
]

IMG = Path(__file__).resolve().parents[2] / "docs" / "img"


def test_take_the_officer_guide_screenshots(page, sign_in, officer, issue, team, priority):
    today = timezone.localdate()
    texts = [
        ("Deliver Safer Streets events in the town centre", Rag.AMBER, 60),
        ("Run knife-crime awareness sessions in secondary schools", Rag.GREEN, 12),
        ("Map county-lines hotspots with the Safer Neighbourhood Team", Rag.RED, 50),
    ]
    actions = []
    for text, rag, days in texts:
        action = f.ActionFactory(issue=issue, text=text, owner_teams=[team])
        action_add_update(
            action=action,
            author=officer,
            text="Planning meeting held with partners.",
            rag=rag,
            date=today - datetime.timedelta(days=days),
        )
        actions.append(action)
    page.set_viewport_size({"width": 1200, "height": 900})
    sign_in(officer)
    page.screenshot(path=IMG / "officer-my-actions.png", full_page=True)
    page.goto(actions[0].get_absolute_url())
    page.get_by_label("What has happened").fill("Four events held; 120 residents attended.")
    page.get_by_role("radio", name="Green").check()
    page.get_by_role("button", name="Save update").click()
    page.screenshot(path=IMG / "officer-action-page.png", full_page=True)
    page.goto(actions[0].plan.get_absolute_url() + "?stale=1")
    page.screenshot(path=IMG / "officer-plan-filtered.png", full_page=True)
