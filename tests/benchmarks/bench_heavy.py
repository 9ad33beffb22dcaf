#!/usr/bin/env python
"""Several heavy requests at once against gunicorn, while /healthz and an ordinary page are polled.

    make bench-heavy            (or: .venv/bin/python tests/benchmarks/bench_heavy.py [--sqlite])

Migrates a fresh database (PostgreSQL ``csp_bench_heavy``, dropped first and at the end;
or a temporary SQLite file with --sqlite), generates one partnership whose plan has
--actions actions x --updates updates (five priorities), starts gunicorn with 3 workers
on 127.0.0.1 and a free port, signs in as the partnership's admin, then fires at once:
--copies direct PDFs of the whole plan, --copies direct PDFs of its first priority and
--copies uploads of each hostile workbook (a 5 KB file declaring A1:XFD1048576, a 6 MB
file of 1.2 million rows, a zip bomb), each upload followed by its preview. Meanwhile two
threads poll ``/healthz`` and the plan's page. Prints the pollers' latencies (p50, p95,
max, errors) and each heavy request's status, time and outcome. It asserts nothing.
Traffic goes only to 127.0.0.1; everything stops after --seconds at most.
"""

import argparse
import concurrent.futures
import contextlib
import http.cookiejar
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "csp_bench_heavy"
PASSWORD = "bench-heavy-" + "x" * 20


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(tmp, *, sqlite):
    database = f"sqlite:///{tmp}/db.sqlite3" if sqlite else f"{SERVER}/{DB_NAME}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.heavy_settings",
        "DATABASE_URL": database,
        "MEDIA_ROOT": str(Path(tmp) / "media"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",  # whitenoise: no STATIC_ROOT, none is needed here
    }


def recreate_database(drop_only=False):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def manage(env, *args):
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


class Client:
    """A signed-in browser: cookies and the CSRF token, over urllib (no redirects followed)."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None, headers=None, timeout=120):
        started = time.perf_counter()
        request = urllib.request.Request(self.base + path, data=data, headers=headers or {})  # noqa: S310 - 127.0.0.1
        try:
            with self.opener.open(request, timeout=timeout) as response:
                body, status, head = response.read(), response.status, response.headers
        except urllib.error.HTTPError as error:
            body, status, head = error.read(), error.code, error.headers
        except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
            return 0, f"{type(error).__name__}", {}, time.perf_counter() - started
        return status, body, head, time.perf_counter() - started

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def sign_in(self, username):
        self.request("/sign-in/")
        data = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf()})
        status, *_ = self.request("/sign-in/", data.encode(), {"Referer": self.base + "/sign-in/"})
        if status != 302:
            raise SystemExit(f"Could not sign in as {username} (status {status}).")

    def upload(self, path, name, content):
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{self.csrf()}\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + path}
        return self.request(path, body, headers)


def hostile_files():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from tests.plans.transfer_files import declared_million_rows, many_rows, zip_bomb

    return {
        "declares A1:XFD1048576": declared_million_rows(),
        "1.2 million rows": many_rows(1_200_000),
        "zip bomb": zip_bomb(200 * 1024 * 1024),
    }


def outcome(status, body, head):
    if status == 200 and head.get("Content-Type") == "application/pdf":
        return f"PDF, {len(body) / 1024:,.0f} KiB"
    text = body.decode(errors="replace") if isinstance(body, bytes) else str(body)
    for pattern in (
        r"This PDF is too big[^<]*",
        r"Other PDFs are being produced right now[^<]*",
        r"The PDF (?:took|needed|could not)[^<]*",
        r"The (?:Actions sheet|file|sheet|Word)[^<]*(?:declares|has more|unpacks)[^<]*",
        r"A sheet of the workbook has more than[^<]*",
    ):
        if match := re.search(pattern, text):
            return re.sub(r"\s+", " ", match[0]).strip()[:110]
    return text[:80]


def heavy_pdf(client, path):
    status, body, head, seconds = client.request(path)
    return status, seconds, outcome(status, body, head)


def heavy_import(client, slug, name, content):
    status, body, head, seconds = client.upload(f"/plans/{slug}/import/", "plan.xlsx", content)
    if status != 302:
        return status, seconds, f"upload refused: {outcome(status, body, head)}"
    status, body, head, more = client.request(head["Location"])
    return status, seconds + more, outcome(status, body, head)


def poll(client, path, stop, results):
    while not stop.is_set():
        status, _body, _head, seconds = client.request(path, timeout=60)
        results.append((status, seconds))
        time.sleep(0.05)


def figures(results):
    times = sorted(seconds * 1000 for _status, seconds in results)
    if not times:
        return "no answers"
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    errors = sum(1 for status, _ in results if status != 200)
    return (
        f"{len(times):4d} requests, p50 {statistics.median(times):7.1f} ms, p95 {p95:7.1f} ms, "
        f"max {times[-1]:7.1f} ms, {errors} not 200"
    )


@contextlib.contextmanager
def site(*, sqlite, actions, updates, workers=3, extra_env=None, log_level="error", log=None):
    """A fresh database with one generated partnership (``actions`` x ``updates``) served by
    gunicorn on 127.0.0.1: yields ``(base URL, plan slug, admin's username)``; gunicorn's own
    log goes to the file ``log`` when given."""
    with tempfile.TemporaryDirectory(prefix="csp-bench-heavy-") as tmp:
        env = {**environment(tmp, sqlite=sqlite), **(extra_env or {})}
        if not sqlite:
            recreate_database()
        server = None
        try:
            manage(env, "migrate", "--noinput")
            manage(
                env,
                "generate_demo_data",
                "--partnerships=1",
                f"--actions-per-plan={actions}",
                f"--updates-per-action={updates}",
                f"--password={PASSWORD}",
            )
            slug = manage(
                env, "shell", "-c", "from plans.models import ActionPlan; print(ActionPlan.objects.get().slug)"
            ).split()[-1]  # after the shell's own line about what it imported
            port = free_port()
            base = f"http://127.0.0.1:{port}"
            server = subprocess.Popen(  # noqa: S603 - our own gunicorn, on 127.0.0.1
                [str(Path(sys.executable).parent / "gunicorn"), "csp.wsgi", "--bind", f"127.0.0.1:{port}"]
                + ["--workers", str(workers), "--timeout", "60", "--log-level", log_level],
                env=env,
                cwd=ROOT,
                stderr=log,
            )
            anonymous = Client(base)
            deadline = time.monotonic() + 30
            while anonymous.request("/healthz", timeout=2)[0] != 200:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("gunicorn did not start.")
                time.sleep(0.2)
            yield base, slug, f"{slug.rsplit('-', 2)[0]}-admin"
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=30)
            if not sqlite:
                recreate_database(drop_only=True)


def run(*, sqlite=True, actions=150, updates=16, copies=3, seconds=180, out=print, extra_env=None):
    """Set up, fire, report; returns {"healthz": [(status, s)], "page": [...], "heavy": [(label, status, s, text)]}."""
    out("Migrating and generating data ...")
    with site(sqlite=sqlite, actions=actions, updates=updates, extra_env=extra_env) as (base, slug, admin_name):
        anonymous = Client(base)
        admin = Client(base)
        admin.sign_in(admin_name)
        files = hostile_files()

        def signed_in():
            # One session per heavy request, as separate people would have: an upload is
            # kept in its session, and concurrent writes to one session keep only the last.
            client = Client(base)
            client.sign_in(admin_name)
            return client

        results = {"healthz": [], "page": [], "heavy": []}
        stop = threading.Event()
        pollers = [
            threading.Thread(target=poll, args=(anonymous, "/healthz", stop, results["healthz"])),
            threading.Thread(target=poll, args=(admin, f"/plans/{slug}/", stop, results["page"])),
        ]
        for thread in pollers:
            thread.start()
        time.sleep(1)  # the pollers' figures at rest come first
        jobs = []
        with concurrent.futures.ThreadPoolExecutor(max_workers=copies * (2 + len(files))) as pool:
            pdf = f"/plans/{slug}/pdf/?download=1&include_closed=on"
            for _ in range(copies):
                jobs.append(("PDF, whole plan", pool.submit(heavy_pdf, signed_in(), pdf)))
                jobs.append(("PDF, priority 1", pool.submit(heavy_pdf, signed_in(), pdf + "&priority=1")))
                for name, content in files.items():
                    client = signed_in()
                    jobs.append((f"import, {name}", pool.submit(heavy_import, client, slug, name, content)))
            for label, job in jobs:
                status, elapsed, text = job.result(timeout=seconds)
                results["heavy"].append((label, status, elapsed, text))
        time.sleep(1)
        stop.set()
        for thread in pollers:
            thread.join()

        out(f"\n{actions} actions x {updates} updates, 3 gunicorn workers, {'SQLite' if sqlite else 'PostgreSQL'}")
        out(f"/healthz          {figures(results['healthz'])}")
        out(f"plan page         {figures(results['page'])}")
        out("\nheavy requests (all fired at once):")
        for label, status, elapsed, text in sorted(results["heavy"]):
            out(f"  {label:34s} {status:3d} {elapsed:6.2f} s  {text}")
        return results


def stopped_render(*, extra_env, actions=10, updates=3):
    """One gunicorn worker whose direct PDFs are over a limit set in ``extra_env``
    (``PDF_DIRECT_TIMEOUT``, ``PDF_DIRECT_MAX_MEMORY_MB``): a direct PDF of the plan, then
    /healthz and the plan's page from the same worker. Returns
    ``{"pdf": (status, seconds, outcome), "healthz": status, "page": status, "workers booted": n}``."""
    with tempfile.TemporaryFile() as log:
        with site(
            sqlite=True, actions=actions, updates=updates, workers=1, extra_env=extra_env, log_level="info", log=log
        ) as (base, slug, admin_name):
            admin = Client(base)
            admin.sign_in(admin_name)
            results = {"pdf": heavy_pdf(admin, f"/plans/{slug}/pdf/?download=1&include_closed=on")}
            results["healthz"] = Client(base).request("/healthz", timeout=10)[0]
            results["page"] = admin.request(f"/plans/{slug}/", timeout=10)[0]
        log.seek(0)
        results["workers booted"] = log.read().count(b"Booting worker")
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--updates", type=int, default=16, help="updates per action")
    parser.add_argument("--copies", type=int, default=3, help="how many of each heavy request")
    parser.add_argument("--seconds", type=int, default=180, help="give up on a heavy request after this")
    options = parser.parse_args()
    run(
        sqlite=options.sqlite,
        actions=options.actions,
        updates=options.updates,
        copies=options.copies,
        seconds=options.seconds,
    )


if __name__ == "__main__":
    main()
