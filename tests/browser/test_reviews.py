"""The review pages in a real browser, checked with axe-core: the list, a review, its forms
(with an error), the tracker, and carrying a recommendation into the plan."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def review(partnership, council, issue, admin):
    chair = f.UserFactory(username="named-chair")
    f.RoleFactory(user=chair, partnership=partnership, role=Role.Kind.CHAIR)
    review = f.ReviewFactory(
        partnership=partnership,
        reference="DHR 2025/03",
        kind=f.ReviewKindFactory(name="Learning review"),
        readers=[chair],
    )
    late = f.RecommendationFactory(
        review=review,
        agency=council,
        number=1,
        text="Train housing officers",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )
    f.RecommendationNoteFactory(recommendation=late, text="First session held")
    return review


def test_an_administrator_works_through_a_review(page, sign_in, admin, partnership, review, issue, assert_accessible):
    sign_in(admin)
    base = f"/plans/reviews/{partnership.slug}"

    page.goto(f"{base}/")
    assert_accessible(page, "Reviews")
    page.get_by_role("link", name="DHR 2025/03").click()
    assert_accessible(page, "Review DHR 2025/03")
    expect(page.get_by_text("Overdue").first).to_be_visible()

    page.get_by_role("link", name="Add a recommendation").click()
    assert_accessible(page, "Add a recommendation to review DHR 2025/03")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Add a recommendation to review DHR 2025/03")

    page.goto(f"{base}/{review.pk}/")
    page.get_by_role("link", name="Record evidence for recommendation 1").click()
    assert_accessible(page, "Evidence for recommendation 1 of review DHR 2025/03")
    page.get_by_label("Evidence of completion").fill("Training records kept by HR")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "Review DHR 2025/03")
    page.get_by_role("button", name="Accept the evidence for recommendation 1").click()
    expect(page.get_by_text("Evidence accepted").first).to_be_visible()

    page.get_by_role("link", name="Carry into the action plan (recommendation 1)").click()
    assert_accessible(page, "Carry recommendation 1 into the action plan")
    page.get_by_label("Priority and issue").select_option(str(issue.pk))
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("From review DHR 2025/03, recommendation 1")).to_be_visible()

    page.goto(f"{base}/tracker/")
    assert_accessible(page, "Review tracker")

    page.goto(f"{base}/new/")
    assert_accessible(page, "Add a review")


def test_a_chair_not_named_sees_the_reference_only(page, sign_in, chair, partnership, review, assert_accessible):
    sign_in(chair)
    page.goto(f"/plans/reviews/{partnership.slug}/")
    assert_accessible(page, "Reviews")
    expect(page.get_by_text("DHR 2025/03")).to_be_visible()
    assert page.get_by_role("link", name="DHR 2025/03").count() == 0
