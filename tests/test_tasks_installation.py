"""Two web servers and two task workers, each started from its own temporary working
directory and sharing only the database and the file storage, behave as one installation:
packs asked for on web A are rendered by whichever worker takes them, each exactly once,
and are downloadable from web B with the same session (sessions live in the database).
A worker killed with SIGKILL mid-render leaves its task "running" only until the schedule
finds it: then the pack is queued again and the other worker renders it.

The installation gets its own database, built here with ``migrate`` and a one-action plan
(not pytest's test database): on PostgreSQL when the suite runs there (``DATABASE_URL``),
otherwise in a SQLite file. Slow (a minute or two): real processes and real renders.
"""

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.benchmarks.bench_heavy import Client, free_port

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"  # tests.factories.UserFactory's
PLAN = "tiny-2026-2027"
PACKS = 20


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """A fresh database of its own, on the same server as the suite's when that is PostgreSQL."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path_factory.mktemp('installation')}/db.sqlite3"
        return
    import psycopg

    db = settings.DATABASES["default"]
    name = f"csp_installation_{os.getpid()}"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    server = f"postgres://{db['USER']}{password}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="module")
def installation(database_url, tmp_path_factory):
    """The shared environment: the database, one storage folder; migrated, with the demo."""
    tmp = tmp_path_factory.mktemp("shared")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "csp.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(tmp / "storage"),
        "DEBUG": "1",
        "LOG_LEVEL": "WARNING",
        "PDF_RENDER_TIMEOUT": "120",
    }
    env.pop("PDF_RENDER_IN_PROCESS", None)
    for args in (["migrate", "--noinput"], ["createcachetable"]):
        manage = [sys.executable, str(ROOT / "manage.py"), *args]
        subprocess.run(manage, env=env, cwd=tmp, check=True, capture_output=True)  # noqa: S603
    # A one-page plan: the point is who renders, not what.
    shell(
        env,
        "from tests import factories as f; from partners.models import Role; "
        "plan = f.PlanFactory(partnership=f.PartnershipFactory(slug='tiny'), start_year=2026, end_year=2027); "
        "f.ActionFactory(issue=f.IssueFactory(priority=f.PriorityFactory(plan=plan, number=1))); "
        "f.RoleFactory(user=f.UserFactory(username='chair'), partnership=plan.partnership, role=Role.Kind.CHAIR); "
        "f.MeetingFactory(partnership=plan.partnership)",
    )
    return env, tmp_path_factory


def start(env, tmp_path_factory, name, *args):
    """``manage.py <args>`` from a working directory of its own."""
    folder = tmp_path_factory.mktemp(name)
    process = subprocess.Popen(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "stderr.log").open("wb"),
    )
    process.log = folder / "stderr.log"
    return process


def tail(process):
    return process.log.read_text(errors="replace")[-3000:]


def shell(env, code):
    """Run ``code`` in ``manage.py shell`` against the installation's database; its output."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-v", "0", "-c", code],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def sql(env, query):
    """The first column of the first row of ``query``, read straight from the database (quicker
    than a shell, to catch a render while it runs)."""
    url = env["DATABASE_URL"]
    if url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(query).fetchone()[0]
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(query).fetchone()[0]


def web(env, tmp_path_factory, name):
    port = free_port()
    process = start(env, tmp_path_factory, name, "runserver", f"127.0.0.1:{port}", "--noreload")
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while Client(base).request("/healthz", timeout=5)[0] != 200:
        assert time.monotonic() < deadline and process.poll() is None, tail(process)
        time.sleep(0.5)
    return process, base


def stop(*processes):
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def signed_in(base):
    import tests.benchmarks.bench_heavy as bench

    client = Client(base)
    saved, bench.PASSWORD = bench.PASSWORD, PASSWORD
    try:
        client.sign_in("chair")
    finally:
        bench.PASSWORD = saved
    return client


def request_pack(client, meeting_id):
    data = urllib.parse.urlencode({"include_closed": "on", "priority": "1", "csrfmiddlewaretoken": client.csrf()})
    status, _, head, _ = client.request(
        f"/plans/{PLAN}/meetings/{meeting_id}/packs/", data.encode(), {"Referer": client.base + "/"}
    )
    assert status == 302
    return head["Location"]


def worker(env, tmp_path_factory, name, *extra):
    return start(
        env, tmp_path_factory, name, "task_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2",
        "--worker-id", name, "-v", "0", *extra,
    )  # fmt: skip


def test_two_webs_and_two_workers_behave_as_one_installation(installation):
    env, tmp_path_factory = installation
    meeting_id = shell(env, "from plans.models import Meeting; print(Meeting.objects.get().pk)")
    web_a, base_a = web(env, tmp_path_factory, "web-a")
    web_b, base_b = web(env, tmp_path_factory, "web-b")
    workers = []
    try:
        client = signed_in(base_a)
        locations = [request_pack(client, meeting_id) for _ in range(PACKS)]
        page = client.request(locations[-1])[1].decode()
        assert f"Waiting for a free worker: number {PACKS} in the queue." in page

        workers = [worker(env, tmp_path_factory, name, "--batch") for name in ("worker-1", "worker-2")]
        for process in workers:
            assert process.wait(timeout=900) == 0, tail(process)

        report = shell(
            env,
            "from plans.models import MeetingPack; from django_tasks_db.models import DBTaskResult; "
            "print(sorted(set(MeetingPack.objects.values_list('state', 'attempt')))); "
            "print(sorted(set(DBTaskResult.objects.values_list('status', flat=True)))); "
            "print(sorted(len(ids) for ids in DBTaskResult.objects.values_list('worker_ids', flat=True))); "
            "print(sorted({ids[0] for ids in DBTaskResult.objects.values_list('worker_ids', flat=True)}))",
        ).splitlines()
        assert report[0] == "[('done', 1)]"  # every pack rendered, at the first attempt
        assert report[1] == "['SUCCESSFUL']"
        assert report[2] == str([1] * PACKS)  # each task claimed by one worker, once
        assert report[3] == "['worker-1', 'worker-2']"  # and both workers took some
        stored = list((Path(env["MEDIA_ROOT"]) / "packs").rglob("*.pdf"))
        assert len(stored) == PACKS  # one file per pack: none rendered twice

        # Web B, another process in another folder, with web A's session cookie.
        client.base = base_b
        page = client.request(locations[0].replace(base_a, ""))[1].decode()
        assert "Your pack is ready" in page
        download = re.search(r'href="([^"]*/download/)"', page)[1]
        status, pdf, head, _ = client.request(download)
        assert status == 200 and pdf.startswith(b"%PDF")
        assert hashlib.sha256(pdf).hexdigest() in page
    finally:
        stop(web_a, web_b, *workers)


def test_a_pack_whose_worker_is_killed_mid_render_is_rendered_by_the_other(installation):
    env, tmp_path_factory = installation
    # A loaded machine renders slowly: this test is about who renders, not how fast.
    env = {**env, "TASK_STALE_SECONDS": "1", "PDF_RENDER_TIMEOUT": "600"}
    pack_id = shell(
        env,
        "from partners.models import User; from plans.models import ActionPlan, Meeting; "
        "from plans.pdf.options import PdfOptions; from plans.pdf.packs import pack_request; "
        f"plan = ActionPlan.objects.get(slug='{PLAN}'); "
        "meeting = Meeting.objects.filter(partnership=plan.partnership).first(); "
        # Long enough to render that the worker can be killed in the middle.
        "from tests import factories as f; issue = plan.priorities.get().issues.get(); "
        "[f.ActionFactory(issue=issue, text=f'Action {n} ' + 'with a long text ' * 30) for n in range(60)]; "
        "chair = User.objects.get(username='chair'); "
        "print(pack_request(meeting=meeting, plan=plan, options=PdfOptions(), user=chair).pk)",
    )
    TASKS_OF_PACK = (  # noqa: N806
        "from django_tasks_db.models import DBTaskResult; "
        f"tasks = DBTaskResult.objects.filter(args_kwargs__args__0={pack_id})"
    )
    doomed = worker(env, tmp_path_factory, "worker-doomed")
    survivor = None
    try:
        state = ""
        deadline = time.monotonic() + 120
        while state != "running":
            assert time.monotonic() < deadline, "the pack never started rendering"
            time.sleep(0.2)
            state = shell(
                env, f"from plans.models import MeetingPack; print(MeetingPack.objects.get(pk={pack_id}).state)"
            )
        doomed.send_signal(signal.SIGKILL)
        doomed.wait()
        time.sleep(1.5)  # older than TASK_STALE_SECONDS
        task_state = shell(env, f"{TASKS_OF_PACK}; print(tasks.get().status)")
        assert task_state == "RUNNING"  # django-tasks-db itself never learns that its worker died
        subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "run_schedule", "--once", "--only", "fail_stale_tasks"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        survivor = worker(env, tmp_path_factory, "worker-survivor", "--batch")
        assert survivor.wait(timeout=300) == 0, tail(survivor)
        report = shell(
            env,
            "from plans.models import MeetingPack; from django_tasks_db.models import DBTaskResult; "
            f"pack = MeetingPack.objects.get(pk={pack_id}); print(pack.state, pack.attempt, pack.error); "
            f"{TASKS_OF_PACK}; print(sorted(tasks.values_list('status', flat=True)))",
        ).splitlines()
        assert report[0].startswith("done 2 "), report  # the error of the lost attempt stays, for the record
        assert report[1] == "['FAILED', 'SUCCESSFUL']"
    finally:
        stop(doomed, *([survivor] if survivor else []))
