"""Every file the app keeps goes through Django's storage API (``STORAGES["default"]``), so
web and worker machines share them through an object store: with an in-memory storage as
the default, packs and kept imports work and nothing is written under MEDIA_ROOT."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Action
from plans.models import ImportJob, MeetingPack
from tests import factories as f
from tests.plans.transfer_files import action_row, xlsx

ROOT = Path(django_settings.BASE_DIR)


@pytest.fixture(autouse=True)
def in_memory_storage(settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    settings.PDF_RENDER_IN_PROCESS = True


def nothing_under_media_root(settings):
    root = Path(settings.MEDIA_ROOT)
    return not root.exists() or not any(path.is_file() for path in root.rglob("*"))


def test_a_pack_is_stored_and_downloaded_through_the_storage_api(client_for, chair, plan, action, settings):
    meeting = f.MeetingFactory(partnership=plan.partnership)
    client = client_for(chair)
    client.post(reverse("plans:pack_create", args=[plan.slug, meeting.pk]), {"include_closed": "on"})
    pack = MeetingPack.objects.get()
    assert pack.state == MeetingPack.State.DONE
    assert default_storage.exists(pack.file.name)
    response = client.get(pack.get_download_url())
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert nothing_under_media_root(settings)


def test_a_large_import_is_kept_and_read_through_the_storage_api(client_for, admin, plan, team, settings):
    settings.IMPORT_BACKGROUND_MIN_ROWS = 3
    client = client_for(admin)
    content = xlsx([action_row(Reference=f"S-{i}", Action=f"Stored action {i}") for i in range(5)])
    location = client.post(f"/plans/{plan.slug}/import/", {"file": SimpleUploadedFile("plan.xlsx", content)})[
        "Location"
    ]
    upload_id = location.rstrip("/").rsplit("/", 1)[1]
    assert default_storage.exists(f"imports/{upload_id}.bin")
    digest = re.search(r'name="digest" value="([0-9a-f]+)"', client.get(location).content.decode())[1]
    client.post(location, {"digest": digest})
    assert ImportJob.objects.get().state == ImportJob.State.DONE
    assert Action.objects.in_plan(plan).count() == 5
    assert not default_storage.exists(f"imports/{upload_id}.bin")
    assert nothing_under_media_root(settings)


def _settings_in_a_new_process(**env):
    code = "import csp.settings as s; print(s.STORAGES['default']['BACKEND'], s.STORAGES['default'].get('OPTIONS'))"
    return subprocess.run(  # noqa: S603 - this Python
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_s3_storage_is_chosen_by_environment_without_needing_boto3_to_start():
    result = _settings_in_a_new_process(
        STORAGE_BACKEND="s3", STORAGE_BUCKET="csp-files", STORAGE_ENDPOINT_URL="https://s3.example.org"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("storages.backends.s3.S3Storage")
    assert "'bucket_name': 'csp-files'" in result.stdout and "'default_acl': 'private'" in result.stdout


def test_s3_storage_without_a_bucket_stops_the_start():
    result = _settings_in_a_new_process(STORAGE_BACKEND="s3")
    assert result.returncode != 0 and "STORAGE_BUCKET" in result.stderr


def test_an_unknown_storage_backend_stops_the_start():
    result = _settings_in_a_new_process(STORAGE_BACKEND="ftp")
    assert result.returncode != 0 and "STORAGE_BACKEND must be filesystem or s3" in result.stderr
