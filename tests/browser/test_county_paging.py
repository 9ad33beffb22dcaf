import pytest
from playwright.sync_api import expect

from actions.models import Rag
from partners.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def county_user():
    """Chair of 27 partnerships, each with a current plan of one rated action: two pages."""
    user = f.UserFactory(username="county-unit")
    for _ in range(27):
        partnership = f.PartnershipFactory()
        f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.CHAIR)
        issue = f.IssueFactory(priority=f.PriorityFactory(plan=f.PlanFactory(partnership=partnership)))
        f.ActionFactory(issue=issue, rag=Rag.AMBER)
    return user


def test_paged_county_view_has_no_accessibility_violations(page, sign_in, county_user, assert_accessible):
    sign_in(county_user)
    page.goto("/plans/county/")
    pagination = page.get_by_role("navigation", name="Pagination")
    expect(pagination).to_be_visible()
    pagination.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Partnerships 26 to 27 of 27")).to_be_visible()
    assert_accessible(page, "County view")
