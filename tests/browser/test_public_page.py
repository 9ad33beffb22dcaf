"""Publishing a plan on its public page in a real browser: the admin confirms, a visitor
who is not signed in reads it and its downloads; each page checked with axe-core."""

import pytest
from playwright.sync_api import expect

from actions.models import Marking, Rag
from actions.services import action_add_update
from plans.models import PublishedPlan
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published_plan(plan, issue, action, officer):
    action_add_update(action=action, author=officer, text="Three events held in the town centre.", rag=Rag.AMBER)
    f.ActionFactory(issue=issue, text="Operation Nightjar referral", marking=Marking.OFFICIAL_SENSITIVE)
    return plan


def test_an_admin_publishes_and_a_visitor_reads_the_public_page(
    page, sign_in, admin, published_plan, assert_accessible
):
    plan = published_plan
    sign_in(admin)
    page.goto(plan.get_absolute_url())
    page.get_by_role("link", name="Publish on a public page").click()
    assert_accessible(page, "Publish on a public page")
    expect(page.get_by_text("1 action marked OFFICIAL-SENSITIVE, and their 0 updates")).to_be_visible()
    page.get_by_text("Preview what the public will see").click()
    expect(page.get_by_role("heading", name="Deliver Safer Street events")).to_be_visible()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("is on its public page as it stands now.")).to_be_visible()
    assert PublishedPlan.objects.public().count() == 1

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"/public/{plan.partnership.slug}/{plan.slug}/")
    assert_accessible(page, plan.full_title)
    expect(page.get_by_text("Three events held in the town centre.")).to_be_visible()
    expect(page.get_by_text("1 action is marked OFFICIAL-SENSITIVE and not published here.")).to_be_visible()
    expect(page.get_by_text("Operation Nightjar")).to_have_count(0)
    expect(page.get_by_role("link", name="Open Government Licence v3.0")).to_be_visible()
    expect(page.get_by_role("link", name="My actions")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == f"{plan.slug}.csv"


def test_the_withdraw_confirmation_is_accessible(page, sign_in, admin, published_plan, assert_accessible):
    from plans.publishing import plan_publish_public

    plan_publish_public(plan=published_plan, by=admin)
    sign_in(admin)
    page.goto(published_plan.get_absolute_url())
    page.get_by_role("link", name="Withdraw the public page").click()
    assert_accessible(page, "Withdraw the public page")
    page.get_by_role("button", name="Withdraw the public page").click()
    expect(page.get_by_text("is no longer on a public page.")).to_be_visible()
    assert not PublishedPlan.objects.public().exists()


def test_the_public_index_is_accessible(page, admin, published_plan, assert_accessible):
    from plans.publishing import plan_publish_public

    plan_publish_public(plan=published_plan, by=admin)
    page.goto(f"/public/{published_plan.partnership.slug}/")
    assert_accessible(page, "Testshire Community Safety Partnership: published plans")
    expect(page.get_by_role("link", name=published_plan.full_title)).to_be_visible()
