"""Large imports confirmed on the web run in the background with a progress page."""

import re
import subprocess

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from actions.models import Action, ActionUpdate
from plans.models import ImportJob
from plans.transfer import jobs
from tests import factories as f
from tests.plans.transfer_files import action_row, xlsx
from tests.queue_helpers import run_queued_tasks

ROWS = 150


@pytest.fixture(autouse=True)
def background_from_ten_rows(settings):
    settings.IMPORT_BACKGROUND_MIN_ROWS = 10


def _big_file(n=ROWS):
    return xlsx([action_row(Reference=f"T-{i}", Action=f"Action number {i}") for i in range(n)])


def _preview(client, plan, content):
    location = client.post(f"/plans/{plan.slug}/import/", {"file": SimpleUploadedFile("big.xlsx", content)})["Location"]
    page = client.get(location).content.decode()
    return location, re.search(r'name="digest" value="([0-9a-f]+)"', page)[1], page


def _confirm(client, plan, content=None):
    location, digest, _ = _preview(client, plan, content or _big_file())
    return location, client.post(location, {"digest": digest})


def _upload_id(response):
    return response["Location"].rstrip("/").rsplit("/", 1)[1]


def test_preview_of_a_large_import_says_it_runs_in_the_background(client_for, admin, plan, team):
    _, _, page = _preview(client_for(admin), plan, _big_file())
    assert "the next page shows how far it has got" in page


def test_confirming_a_large_import_goes_to_the_progress_page_which_says_it_is_done(client_for, admin, plan, team):
    client = client_for(admin)
    _, response = _confirm(client, plan)
    assert response["Location"].startswith("/plans/import/progress/")
    page = client.get(response["Location"]).content.decode()
    assert "Import complete" in page and f"Imported {ROWS} rows into" in page
    assert plan.get_absolute_url() in page
    assert Action.objects.in_plan(plan).count() == ROWS


def test_a_small_import_is_still_saved_while_the_browser_waits(client_for, admin, plan, team, settings):
    settings.IMPORT_BACKGROUND_MIN_ROWS = 500
    _, response = _confirm(client_for(admin), plan, _big_file(3))
    assert response["Location"] == plan.get_absolute_url()
    assert Action.objects.in_plan(plan).count() == 3


def test_a_queued_import_shows_its_place_then_rows_done_of_total(client_for, admin, plan, team, database_queue):
    client = client_for(admin)
    _, response = _confirm(client, plan)
    assert "Waiting for a free worker: next in the queue." in client.get(response["Location"]).content.decode()
    ImportJob.objects.update(state="running", done=1200, total=3000)
    page = client.get(response["Location"]).content.decode()
    assert "Imported 1,200 of 3,000 rows." in page
    assert "data-progress" in page
    assert 'http-equiv="refresh"' not in page
    assert not Action.objects.exists()


def test_confirming_queues_a_task_and_starts_no_process(client_for, admin, plan, team, database_queue, monkeypatch):
    def no_process(*args, **kwargs):
        raise AssertionError("a view started a process")

    monkeypatch.setattr(subprocess, "Popen", no_process)
    _, response = _confirm(client_for(admin), plan)
    job = ImportJob.objects.get()
    task = DBTaskResult.objects.get()
    assert (job.upload_id, job.state, job.task_id) == (_upload_id(response), "pending", str(task.pk))
    assert (task.task_path, task.args_kwargs["args"]) == ("plans.tasks.run_import", [job.pk, 1])


def test_a_worker_saves_the_queued_import(client_for, admin, plan, team, database_queue):
    client = client_for(admin)
    _, response = _confirm(client, plan)
    run_queued_tasks()
    assert Action.objects.in_plan(plan).count() == ROWS
    assert "Import complete" in client.get(response["Location"]).content.decode()
    assert not default_storage.exists(f"imports/{_upload_id(response)}.bin")  # used, then removed


def test_a_job_whose_plan_changed_after_the_confirm_saves_nothing(client_for, admin, plan, team, database_queue):
    client = client_for(admin)
    _, response = _confirm(client, plan)
    plan.priorities.create(number=1, title="Renamed meanwhile")
    run_queued_tasks()
    page = client.get(response["Location"]).content.decode()
    assert "The plan changed since you previewed the import" in page
    assert not Action.objects.exists()


def test_a_job_that_fails_midway_saves_nothing_and_says_why(client_for, admin, plan, team, monkeypatch):
    real_update = jobs._update

    def fail_at_the_first_hundred(job_id, attempt, **fields):
        if fields.get("done") == 100:
            raise RuntimeError("disk full")
        return real_update(job_id, attempt, **fields)

    monkeypatch.setattr(jobs, "_update", fail_at_the_first_hundred)
    client = client_for(admin)
    _, response = _confirm(client, plan)
    page = client.get(response["Location"]).content.decode()
    assert "The file was not imported: nothing has been saved" in page
    assert "The import failed unexpectedly. Nothing was saved." in page
    assert not Action.objects.exists() and not ActionUpdate.objects.exists()


def test_a_second_confirm_shows_the_same_job_and_imports_once(client_for, admin, plan, team):
    client = client_for(admin)
    location, digest, _ = _preview(client, plan, _big_file())
    first = client.post(location, {"digest": digest})
    second = client.post(location, {"digest": digest})
    assert first["Location"] == second["Location"]
    assert client.get(location)["Location"] == first["Location"]
    assert Action.objects.in_plan(plan).count() == ROWS


def test_another_admin_of_the_partnership_cannot_see_the_progress(client_for, admin, plan, team):
    _, response = _confirm(client_for(admin), plan)
    from partners.models import Role

    colleague = f.UserFactory(username="admin2")
    f.RoleFactory(user=colleague, partnership=plan.partnership, role=Role.Kind.ADMIN)
    other = Client()
    other.force_login(colleague)
    assert other.get(response["Location"]).status_code == 404


def test_the_same_user_in_another_session_cannot_see_the_progress(client_for, admin, plan, team):
    _, response = _confirm(client_for(admin), plan)
    other = Client()
    other.force_login(admin)
    assert other.get(response["Location"]).status_code == 404


def test_an_outsider_cannot_see_the_progress(client_for, admin, outsider, plan, team):
    _, response = _confirm(client_for(admin), plan)
    other = Client()
    other.force_login(outsider)
    assert other.get(response["Location"]).status_code == 404


def test_an_unknown_or_malformed_job_id_is_not_found(client_for, admin):
    client = client_for(admin)
    assert client.get("/plans/import/progress/not-a-real-id-at-all/").status_code == 404
    assert client.get("/plans/import/progress/..%2F..%2Fsecret/").status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, plan):
    assert client.get("/plans/import/progress/abcdefghijkl/").status_code == 302
