"""An admin uploads a filled-in template, checks the preview and imports it; an analyst makes a token."""

import pytest

from actions.models import Action
from tests.plans.transfer_files import action_row, xlsx

pytestmark = pytest.mark.django_db(transaction=True)


def test_admin_imports_the_filled_template_through_the_pages(
    page, sign_in, admin, plan, team, tmp_path, assert_accessible
):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([action_row(Reference="B-1"), action_row(Reference="B-2", Action="Run a knife amnesty")]))
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/import/")
    assert_accessible(page)
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_role("heading", name="Check the import").is_visible()
    assert page.get_by_text("Run a knife amnesty").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import 2 changes").click()
    page.wait_for_url(f"**/plans/{plan.slug}/")
    assert page.get_by_role("link", name="Run a knife amnesty").is_visible()
    assert Action.objects.in_plan(plan).count() == 2


def test_preview_with_problems_is_accessible(page, sign_in, admin, plan, team, tmp_path, assert_accessible):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([action_row(RAG="Purple", Owners="Testshire Community Safety Teem")]))
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/import/")
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    assert page.get_by_text("The file cannot be imported: nothing has been saved").is_visible()
    assert_accessible(page)


def test_user_creates_a_feed_token_from_the_account_page(page, sign_in, chair, assert_accessible):
    sign_in(chair)
    page.goto("/account/")
    page.get_by_role("link", name="Create a feed token").click()
    page.get_by_label("Name this token").fill("Power BI")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_text("it will not be shown again").is_visible()
    assert_accessible(page)
    page.goto("/account/")
    assert_accessible(page)
