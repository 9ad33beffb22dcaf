"""A PDF rendered in the web process and stopped by its limits (``RenderGuard``) gives a page
that says why, in a real browser, checked with axe-core. The live server answers in a thread
of its own, where the guard cannot interrupt: it refuses the finished render instead."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def over_time(settings):
    settings.PDF_DIRECT_TIMEOUT = 0


def test_a_stopped_contacts_pdf_says_why_to_a_visitor(page, partnership, council, over_time, assert_accessible):
    partnership.contacts_public = True
    partnership.save()
    f.ContactFactory(partnership=partnership, organisation=council, name="Borehamwood Fire Station", is_public=True)
    page.goto(reverse("partners:contacts_pdf", args=[partnership.slug]))
    assert_accessible(page, "The PDF is not ready")
    expect(page.get_by_text("The PDF took longer than 0 seconds to produce.")).to_be_visible()
    expect(page.get_by_role("link", name="Read the contact details on the web page")).to_be_visible()


def test_a_stopped_review_pdf_says_why(page, sign_in, partnership, council, over_time, assert_accessible):
    reader = f.UserFactory(username="reader")
    f.RoleFactory(user=reader, partnership=partnership, role=Role.Kind.CHAIR)
    review = f.ReviewFactory(partnership=partnership, reference="DHR 2025/03", readers=[reader])
    f.RecommendationFactory(review=review, agency=council, number=1, text="Train housing officers")
    sign_in(reader)
    page.goto(reverse("plans:review_pdf", args=[partnership.slug, review.pk]))
    assert_accessible(page, "The PDF is not ready")
    expect(page.get_by_text("The PDF took longer than 0 seconds to produce.")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the reviews")).to_be_visible()
