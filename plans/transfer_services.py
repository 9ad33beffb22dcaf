"""Keeping an uploaded import between its preview and its confirmation.

The files are kept in the default file storage as ``imports/<random id>.bin`` (so a web
server and a task worker on other machines read the same bytes); the session holds the
id, what the import targets and the digest of the previewed changes. Confirming re-reads
the same bytes, plans again and applies only if the changes are still exactly those shown.
"""

import secrets
import time
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

SESSION_KEY = "plan_imports"
MAX_AGE_SECONDS = 6 * 60 * 60
FOLDER = "imports"


def upload_name(upload_id, *, updates=False):
    return f"{FOLDER}/{upload_id}{'-updates' if updates else ''}.bin"


def read_upload(upload_id, *, updates=False):
    """The kept bytes; ``OSError`` (FileNotFoundError) when they are gone."""
    with default_storage.open(upload_name(upload_id, updates=updates), "rb") as stored:
        return stored.read()


def delete_upload(upload_id):
    for updates in (False, True):
        default_storage.delete(upload_name(upload_id, updates=updates))


def stash_upload(request, *, content, filename, updates_content=None, updates_filename="", target):
    """Keep the upload for the preview; returns its id. ``target`` is a JSON-able dict."""
    upload_id = secrets.token_urlsafe(16)
    default_storage.save(upload_name(upload_id), ContentFile(content))
    if updates_content is not None:
        default_storage.save(upload_name(upload_id, updates=True), ContentFile(updates_content))
    imports = {k: v for k, v in request.session.get(SESSION_KEY, {}).items() if _fresh(v)}
    imports[upload_id] = {
        "filename": filename,
        "updates_filename": updates_filename if updates_content is not None else "",
        "target": target,
        "created": time.time(),
        "digest": "",
    }
    request.session[SESSION_KEY] = imports
    return upload_id


def remove_old_uploads(*, max_age_seconds=MAX_AGE_SECONDS):
    """Uploads previewed but never confirmed (or whose job ended) are removed after
    ``max_age_seconds``; run by the schedule. Returns how many files went."""
    from .models import ImportJob

    cutoff = timezone.now() - timedelta(seconds=max_age_seconds)
    try:
        _, files = default_storage.listdir(FOLDER)
    except FileNotFoundError:
        return 0
    working = set(
        ImportJob.objects.filter(state__in=[ImportJob.State.PENDING, ImportJob.State.RUNNING]).values_list(
            "upload_id", flat=True
        )
    )
    removed = 0
    for name in files:
        upload_id = name.removesuffix(".bin").removesuffix("-updates")
        if not name.endswith(".bin") or upload_id in working:
            continue
        try:
            if default_storage.get_modified_time(f"{FOLDER}/{name}") >= cutoff:
                continue
        except (OSError, NotImplementedError):
            continue
        default_storage.delete(f"{FOLDER}/{name}")
        removed += 1
    return removed


def _fresh(entry):
    return time.time() - entry.get("created", 0) < MAX_AGE_SECONDS


def get_stash(request, upload_id):
    """(entry, content, updates_content) or None when the id is not this session's."""
    entry = request.session.get(SESSION_KEY, {}).get(upload_id)
    if not entry or not _fresh(entry) or not upload_id.replace("-", "").replace("_", "").isalnum():
        return None
    try:
        content = read_upload(upload_id)
        updates = read_upload(upload_id, updates=True) if entry.get("updates_filename") else None
    except OSError:
        return None
    return entry, content, updates


def remember_digest(request, upload_id, digest):
    imports = request.session.get(SESSION_KEY, {})
    if upload_id in imports:
        imports[upload_id]["digest"] = digest
        request.session[SESSION_KEY] = imports


def discard(request, upload_id):
    imports = request.session.get(SESSION_KEY, {})
    imports.pop(upload_id, None)
    request.session[SESSION_KEY] = imports
    delete_upload(upload_id)
