"""The PDF's priority bands carry the priority's roll-up, labelled derived."""

import datetime

from plans.pdf.options import PdfOptions
from plans.pdf.render import render_plan
from tests import factories as f

from .pdf_helpers import build_plan, pdf_pages, squash


def test_each_priority_band_says_its_derived_rating_and_milestones(plan, priority, issue, action, team):
    build_plan(plan, priority, issue, action, team)
    f.MilestoneFactory(action=action, due_date=datetime.date(2025, 6, 1), done_on=datetime.date(2025, 6, 1))
    f.MilestoneFactory(action=action, due_date=datetime.date(2025, 7, 1))
    text = squash(" ".join(pdf_pages(render_plan(plan, PdfOptions()).pdf)))
    # Priority 1: the action (rated Green at its last note) and one discharged (Blue: complete,
    # out of the derived rating); priority 2: one Green action.
    assert squash("Derived: Green (worst of 1 action) · 1 of 2 complete · 1 of 2 milestones done") in text
    assert squash("Derived: Green (worst of 1 action) · 0 of 1 complete") in text
