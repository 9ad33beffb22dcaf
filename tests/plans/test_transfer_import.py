"""The import journey in the browser's terms: upload → preview → confirm."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.models import Action, ActionUpdate
from plans.models import ActionPlan
from plans.transfer import columns as c
from tests.plans.transfer_files import action_row, xlsx


def _upload(client, url, content, name="plan.xlsx", **extra):
    return client.post(url, {"file": SimpleUploadedFile(name, content), **extra})


def _filled_template():
    return xlsx(
        [
            action_row(Reference="T-1"),
            action_row(Reference="T-2", Action="Run a knife amnesty", Owners="Testshire SNT / DI Macbeth"),
        ],
        [{c.ACTION_REFERENCE: "T-1", c.DATE: "09/12/2019", c.AUTHOR: "Jo", c.RAG: "Amber", c.TEXT: "Event held"}],
    )


@pytest.fixture
def import_url(plan):
    return f"/plans/{plan.slug}/import/"


def test_admin_uploads_the_filled_template_sees_the_preview_and_confirms(
    client_for, admin, plan, import_url, team, other_team
):
    client = client_for(admin)
    response = _upload(client, import_url, _filled_template())
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert preview.status_code == 200
    assert "Run a knife amnesty" in preview.content.decode()
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', preview.content.decode())[1]
    done = client.post(response["Location"], {"digest": digest})
    assert done["Location"] == plan.get_absolute_url()
    assert sorted(Action.objects.in_plan(plan).values_list("reference", flat=True)) == ["T-1", "T-2"]
    assert ActionUpdate.objects.get().text == "Event held"


def test_preview_lists_a_near_miss_owner_with_a_suggestion(client_for, admin, import_url, team, other_team):
    client = client_for(admin)
    content = xlsx([action_row(), action_row(Action="Second", Owners="Testshire  snt / Testshire SNTT")])
    preview = client.get(_upload(client, import_url, content)["Location"])
    assert preview.status_code == 400
    assert "no team or organisation called &#x27;Testshire SNTT&#x27;; did you mean &#x27;Testshire SNT&#x27;?" in (
        preview.content.decode()
    )
    assert "Actions, row 3, Owners" in preview.content.decode()


def test_preview_with_errors_offers_no_confirm_and_a_forced_confirm_saves_nothing(client_for, admin, import_url, team):
    client = client_for(admin)
    location = _upload(client, import_url, xlsx([action_row(RAG="Purple")]))["Location"]
    preview = client.get(location)
    assert "'Purple' is not a RAG rating" in preview.content.decode().replace("&#x27;", "'")
    assert 'name="digest"' not in preview.content.decode()
    client.post(location, {"digest": "x"})
    assert not Action.objects.exists()


def test_confirm_refuses_when_the_plan_changed_since_the_preview(client_for, admin, plan, import_url, team, other_team):
    client = client_for(admin)
    location = _upload(client, import_url, _filled_template())["Location"]
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', client.get(location).content.decode())[1]
    plan.priorities.create(number=1, title="Renamed meanwhile")
    response = client.post(location, {"digest": digest})
    assert response["Location"] == location
    assert not Action.objects.exists()


def test_reimporting_the_same_file_changes_nothing(client_for, admin, plan, import_url, team, other_team):
    client = client_for(admin)
    for _ in range(2):
        location = _upload(client, import_url, _filled_template())["Location"]
        page = client.get(location).content.decode()
        if 'name="digest"' in page:
            client.post(location, {"digest": re.search(r'name="digest" value="([0-9a-f]+)"', page)[1]})
    assert "there is nothing to import" in page
    assert (Action.objects.count(), ActionUpdate.objects.count()) == (2, 1)


def test_officer_may_not_import(client_for, officer, import_url):
    assert client_for(officer).get(import_url).status_code == 403


def test_chair_may_not_import(client_for, chair, import_url):
    assert _upload(client_for(chair), import_url, _filled_template()).status_code == 403


def test_outsider_gets_not_found(client_for, outsider, import_url):
    assert client_for(outsider).get(import_url).status_code == 404


def test_another_sessions_upload_id_is_not_found(client_for, admin, client, import_url, team):
    location = _upload(client_for(admin), import_url, _filled_template())["Location"]
    client.logout()
    from django.test import Client

    from partners.models import Role
    from tests import factories as f

    other = Client()
    other_admin = f.UserFactory(username="admin2")
    f.RoleFactory(user=other_admin, partnership=admin.roles.get().partnership, role=Role.Kind.ADMIN)
    other.force_login(other_admin)
    assert other.get(location).status_code == 404
    assert other.get("/plans/import/check/not-a-real-id/").status_code == 404


def test_file_over_the_size_limit_is_refused_with_a_clear_message(client_for, admin, import_url, settings, tmp_path):
    settings.IMPORT_MAX_BYTES = 10 * 1024 * 1024
    response = _upload(client_for(admin), import_url, b"x" * (20 * 1024 * 1024), name="big.csv")
    assert response.status_code == 200
    assert "The file is larger than 10 MB, the largest file we accept." in response.content.decode()
    assert not (tmp_path / "media" / "imports").exists() or not any((tmp_path / "media" / "imports").iterdir())


def test_upload_still_needs_the_csrf_token(admin, import_url):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert _upload(client, import_url, _filled_template()).status_code == 403


def test_csv_pair_is_uploaded_as_two_files(client_for, admin, plan, import_url, team):
    actions = (
        "Reference,Priority number,Priority,Issue,Action,Owners\r\n"
        "C-1,1,Crime,Issue,Patrol,Testshire Community Safety Team\r\n"
    )
    updates = "Action reference,Date,Text\r\nC-1,09/12/2019,Patrolled\r\n"
    client = client_for(admin)
    response = client.post(
        import_url,
        {
            "file": SimpleUploadedFile("plan.csv", actions.encode()),
            "updates_file": SimpleUploadedFile("plan-updates.csv", updates.encode()),
        },
    )
    page = client.get(response["Location"]).content.decode()
    client.post(response["Location"], {"digest": re.search(r'name="digest" value="([0-9a-f]+)"', page)[1]})
    assert ActionUpdate.objects.get().action.reference == "C-1"


def test_archived_plan_refuses_imports(client_for, admin, plan, import_url, team):
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    client = client_for(admin)
    page = client.get(_upload(client, import_url, _filled_template())["Location"]).content.decode()
    assert "The plan is archived; nothing can be imported into it." in page


def test_renamed_file_is_refused_with_a_clear_message(client_for, admin, import_url):
    client = client_for(admin)
    preview = client.get(_upload(client, import_url, b"%PDF-1.4 not really", name="plan.xlsx")["Location"])
    assert "The file is a PDF" in preview.content.decode()


def test_admin_imports_into_a_new_plan(client_for, admin, partnership, team, other_team):
    client = client_for(admin)
    response = client.post(
        f"/plans/import/new/{partnership.slug}/",
        {
            "title": "Community Safety Action Plan",
            "start_year": 2019,
            "end_year": 2020,
            "file": SimpleUploadedFile("plan.xlsx", _filled_template()),
        },
    )
    page = client.get(response["Location"]).content.decode()
    client.post(response["Location"], {"digest": re.search(r'name="digest" value="([0-9a-f]+)"', page)[1]})
    plan = ActionPlan.objects.get(slug=f"{partnership.slug}-2019-2020")
    assert Action.objects.in_plan(plan).count() == 2


def test_officer_may_not_create_a_plan_by_import(client_for, officer, partnership):
    assert client_for(officer).get(f"/plans/import/new/{partnership.slug}/").status_code == 403


def test_outsider_may_not_create_a_plan_by_import(client_for, outsider, partnership):
    assert client_for(outsider).get(f"/plans/import/new/{partnership.slug}/").status_code == 404


def test_template_is_downloadable(client_for, officer):
    response = client_for(officer).get("/plans/import/template.xlsx")
    assert response["Content-Disposition"] == 'attachment; filename="action-plan-template.xlsx"'


def test_plan_page_links_to_downloads_and_import_for_admins(client_for, admin, plan):
    page = client_for(admin).get(plan.get_absolute_url()).content.decode()
    assert f"/plans/{plan.slug}/export/xlsx" in page and f"/plans/{plan.slug}/import/" in page


def test_plan_page_offers_no_import_to_officers(client_for, officer, plan):
    response = client_for(officer).get(plan.get_absolute_url())
    page = response.content.decode()
    assert response.status_code == 200
    assert f"/plans/{plan.slug}/export/xlsx" in page
    assert f"/plans/{plan.slug}/import/" not in page
