#!/usr/bin/env python
"""The Django side of ``bench_load.py``, run in its own process (never in locust's, which
gevent patches): prepare the accounts and meetings the simulated people use, and count
what the database holds afterwards. Reads DATABASE_URL and the other settings from the
environment the benchmark gives it.

    load_setup.py prepare OUT.json PASSWORD
    load_setup.py tasks-installed
    load_setup.py packs OUT.json            (20 packs of the first plan, queued at once: --drain)
    load_setup.py outcome MARKERS.txt RUN OUT.json
"""

import contextlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.benchmarks.heavy_settings")


def _setup():
    import django

    django.setup()


def prepare(out, password):
    """Give every generated account ``password``; a meeting for every plan; write who does
    what: officers with their plan, chairs with their plan, meeting and (largest) plan."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from actions.models import Action
    from partners.models import Role, User
    from plans.models import ActionPlan, Meeting

    User.objects.filter(username__startswith="generated-").update(password=make_password(password))
    today = timezone.localdate()
    people = {"officers": [], "chairs": [], "admins": []}
    for plan in ActionPlan.objects.filter(slug__startswith="generated-").select_related("partnership"):
        meeting, _ = Meeting.objects.get_or_create(
            partnership=plan.partnership, title="Load test RAG meeting", defaults={"date": today}
        )
        actions = list(Action.objects.filter(issue__priority__plan=plan).values_list("pk", flat=True)[:40])
        base = {"plan": plan.slug, "meeting": meeting.pk, "actions": actions}
        for role in Role.objects.filter(partnership=plan.partnership).select_related("user"):
            username = role.user.username
            if username.startswith("generated-county"):
                continue
            kind = {Role.Kind.OFFICER: "officers", Role.Kind.CHAIR: "chairs", Role.Kind.ADMIN: "admins"}.get(role.role)
            if kind:
                people[kind].append({"username": username, **base})
    Path(out).write_text(json.dumps(people))
    print(f"{len(people['officers'])} officers, {len(people['chairs'])} chairs, {len(people['admins'])} admins")


def tasks_installed():
    from django.apps import apps

    print("yes" if apps.is_installed("django_tasks_db") else "no")


def queue_packs(out, count=20):
    """``count`` packs of the first generated plan, queued through the app's own service."""
    from partners.models import User
    from plans.models import ActionPlan, Meeting
    from plans.pdf.options import PdfOptions
    from plans.pdf.packs import pack_request

    plan = ActionPlan.objects.filter(slug__startswith="generated-").order_by("slug").select_related("partnership")[0]
    meeting = Meeting.objects.filter(partnership=plan.partnership).first()
    chair = User.objects.get(username=f"{plan.partnership.slug}-chair")
    ids = []
    for _ in range(count):
        options = PdfOptions(priority=1, meeting_title=str(meeting))
        ids.append(pack_request(meeting=meeting, plan=plan, options=options, user=chair).pk)
    Path(out).write_text(json.dumps(ids))
    print(f"queued {len(ids)} packs of {plan.slug}")


def outcome(markers_file, run, out):
    """Updates acknowledged (the markers locust saw answered 302) against stored (in the
    database), packs and tasks by state, and pack files in storage against packs done."""
    from django.apps import apps
    from django.core.files.storage import default_storage

    from actions.models import ActionUpdate
    from plans.models import MeetingPack

    acknowledged = {line.strip() for line in Path(markers_file).read_text().splitlines() if line.strip()}
    stored_texts = ActionUpdate.objects.filter(text__contains=f"[load {run} ").values_list("text", flat=True)
    stored = set()
    for text in stored_texts:
        start = text.index(f"[load {run} ")
        stored.add(text[start : text.index("]", start) + 1])
    packs = {}
    for state in MeetingPack.objects.values_list("state", flat=True):
        packs[state] = packs.get(state, 0) + 1
    failures = sorted(set(MeetingPack.objects.filter(state="failed").values_list("error", flat=True)))
    tasks = {}
    if apps.is_installed("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        for status in DBTaskResult.objects.values_list("status", flat=True):
            tasks[status] = tasks.get(status, 0) + 1
    files = 0
    done_packs = MeetingPack.objects.filter(state="done").exclude(file="")
    folders = {str(Path(name).parent) for name in done_packs.values_list("file", flat=True)}
    for folder in folders:
        with contextlib.suppress(FileNotFoundError):
            files += len(default_storage.listdir(folder)[1])
    result = {
        "acknowledged": len(acknowledged),
        "stored": len(stored),
        "lost": sorted(acknowledged - stored)[:20],
        "lost_count": len(acknowledged - stored),
        "stored_not_acknowledged": len(stored - acknowledged),
        "packs": packs,
        "pack_failures": failures[:5],
        "tasks": tasks,
        "pack_files": files,
        "packs_done_with_file": done_packs.count(),
    }
    Path(out).write_text(json.dumps(result))


def main():
    command, *args = sys.argv[1:]
    _setup()
    {"prepare": prepare, "tasks-installed": tasks_installed, "packs": queue_packs, "outcome": outcome}[command](*args)


if __name__ == "__main__":
    main()
