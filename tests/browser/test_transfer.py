"""An admin uploads a filled-in template, checks the preview and imports it; an analyst makes a token."""

import pytest
from playwright.sync_api import expect

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
    assert_accessible(page, "Import into Testshire Community Safety Action Plan 2025 - 2026")
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="Check the import")).to_be_visible()
    expect(page.get_by_text("Run a knife amnesty")).to_be_visible()
    assert_accessible(page, "Check the import")
    page.get_by_role("button", name="Import 2 changes").click()
    page.wait_for_url(f"**/plans/{plan.slug}/")
    expect(page.get_by_role("link", name="Run a knife amnesty")).to_be_visible()
    assert Action.objects.in_plan(plan).count() == 2


def test_preview_with_problems_is_accessible(page, sign_in, admin, plan, team, tmp_path, assert_accessible):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([action_row(RAG="Purple", Owners="Testshire Community Safety Teem")]))
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/import/")
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("The file cannot be imported: nothing has been saved")).to_be_visible()
    assert_accessible(page, "Check the import")


def test_user_creates_a_feed_token_from_the_account_page(page, sign_in, chair, assert_accessible):
    sign_in(chair)
    page.goto("/account/")
    page.get_by_role("link", name="Create a feed token").click()
    page.get_by_label("Name this token").fill("Power BI")
    page.get_by_role("button", name="Create token").click()
    expect(page.get_by_text("it will not be shown again")).to_be_visible()
    assert_accessible(page, "Your new token")
    page.goto("/account/")
    assert_accessible(page, "Your account")


def test_a_large_import_ends_on_an_accessible_progress_page(
    page, sign_in, admin, plan, team, tmp_path, settings, assert_accessible
):
    settings.IMPORT_BACKGROUND_MIN_ROWS = 3
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([action_row(Reference=f"L-{i}", Action=f"Large action {i}") for i in range(5)]))
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/import/")
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("the next page shows how far it has got")).to_be_visible()
    page.get_by_role("button", name="Import 5 changes").click()
    expect(page.get_by_role("heading", name="Import complete")).to_be_visible()
    expect(page.get_by_text("Imported 5 rows into")).to_be_visible()
    assert_accessible(page, "Import complete")
    page.get_by_role("link", name="Go to the plan").click()
    expect(page.get_by_role("link", name="Large action 4")).to_be_visible()


def test_a_failed_large_import_shows_an_accessible_error_summary(
    page, sign_in, admin, plan, team, tmp_path, settings, monkeypatch, assert_accessible
):
    from plans.transfer import importer

    settings.IMPORT_BACKGROUND_MIN_ROWS = 3

    def fail(*args, **kwargs):
        raise importer.ImportFailed("The action L-1 changed while the import ran; preview again.")

    monkeypatch.setattr(importer, "apply_import", fail)
    path = tmp_path / "plan.xlsx"
    path.write_bytes(xlsx([action_row(Reference=f"L-{i}", Action=f"Large action {i}") for i in range(5)]))
    sign_in(admin)
    page.goto(f"/plans/{plan.slug}/import/")
    page.get_by_label("The action plan").set_input_files(str(path))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Import 5 changes").click()
    expect(page.get_by_text("The file was not imported: nothing has been saved")).to_be_visible()
    assert_accessible(page, "Import failed")
    assert not Action.objects.exists()
