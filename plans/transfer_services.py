"""Keeping an uploaded import between its preview and its confirmation.

The files are stored under MEDIA_ROOT/imports/ named by a random id; the session holds the
id, what the import targets and the digest of the previewed changes. Confirming re-reads
the same bytes, plans again and applies only if the changes are still exactly those shown.
"""

import secrets
import time
from pathlib import Path

from django.conf import settings

SESSION_KEY = "plan_imports"
MAX_AGE_SECONDS = 6 * 60 * 60


def _folder():
    folder = Path(settings.MEDIA_ROOT) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stash_upload(request, *, content, filename, updates_content=None, updates_filename="", target):
    """Keep the upload for the preview; returns its id. ``target`` is a JSON-able dict."""
    upload_id = secrets.token_urlsafe(16)
    folder = _folder()
    _remove_old_files(folder)
    (folder / f"{upload_id}.bin").write_bytes(content)
    if updates_content is not None:
        (folder / f"{upload_id}-updates.bin").write_bytes(updates_content)
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


def _remove_old_files(folder):
    """Uploads previewed but never confirmed are removed after MAX_AGE_SECONDS."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in folder.glob("*.bin"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _fresh(entry):
    return time.time() - entry.get("created", 0) < MAX_AGE_SECONDS


def get_stash(request, upload_id):
    """(entry, content, updates_content) or None when the id is not this session's."""
    entry = request.session.get(SESSION_KEY, {}).get(upload_id)
    if not entry or not _fresh(entry) or not upload_id.replace("-", "").replace("_", "").isalnum():
        return None
    folder = _folder()
    try:
        content = (folder / f"{upload_id}.bin").read_bytes()
    except OSError:
        return None
    updates = None
    if entry.get("updates_filename"):
        try:
            updates = (folder / f"{upload_id}-updates.bin").read_bytes()
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
    for name in (f"{upload_id}.bin", f"{upload_id}-updates.bin"):
        (_folder() / name).unlink(missing_ok=True)
