#!/usr/bin/env python
"""Load, faults and draining: gunicorn and task workers on PostgreSQL, driven by locust.

    make bench-load                       (or: .venv/bin/python tests/benchmarks/bench_load.py)
    make bench-load BENCH_ARGS="--fault=db-restart"
    make bench-load BENCH_ARGS="--fault=kill-worker"
    make bench-load BENCH_ARGS="--drain"

Prepares a PostgreSQL database (``csp_bench_load`` on the shared server, dropped first and
at the end; or, with --fault=db-restart or --private-postgres, a private PostgreSQL that
it initdb's in a temporary folder on port 55433 and stops at the end), migrates it,
generates --partnerships x --actions x --updates with ``generate_demo_data``, gives the
accounts a password and each plan a meeting (``load_setup.py``, a separate process), then
starts gunicorn (3 workers, 127.0.0.1 only, production settings) and, when
``django_tasks_db`` is installed, 2 task workers (``manage.py db_worker``).

The load: ``locust`` headless in a subprocess (``locustfile.py``: officers and chairs
signed in; My actions, plan page, action page, dashboard, search, an update posted about
every tenth request, direct PDFs and meeting packs now and then, one import), --users
people for --time seconds. Meanwhile this script polls ``/healthz`` every 100 ms and, a
quarter of the way in, asks for --big-renders packs of a whole plan at once. Prints
requests, failures and p50/p95/p99 per kind of request, /healthz while the big renders
ran, packs and tasks by state, and updates acknowledged (302 seen by locust, each with a
unique marker in its text) against updates stored (counted in the database).

Faults: ``--fault=db-restart`` restarts the private PostgreSQL (``pg_ctl restart -m fast``)
halfway and reports failures inside and outside the restart window (gunicorn and the workers
keep running: the connections are checked before reuse, CONN_HEALTH_CHECKS).
``--fault=kill-worker`` waits for a pack to be rendering, SIGKILLs the task worker running
it and reports what became of that pack. ``--drain`` queues 20 packs at once and times two
workers draining them, counting files written against packs done (a pack rendered twice
would leave two files). It prints figures; it asserts nothing. Traffic only to 127.0.0.1.
"""

import argparse
import contextlib
import csv
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
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
BIN = Path(sys.executable).parent
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "csp_bench_load"
PRIVATE_PORT = 55433
PASSWORD = "bench-load-" + "x" * 20
ORDINARY = ["my actions", "plan page", "action page", "dashboard", "search"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------- the database


class PrivatePostgres:
    """A PostgreSQL cluster of our own in a temporary folder (never the shared server)."""

    def __init__(self, folder, port):
        self.folder, self.port = Path(folder), port
        self.data = self.folder / "pgdata"
        self.bin = self._bin()
        self.user = None
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self.user = pwd.getpwnam("postgres")
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)

    @staticmethod
    def _bin():
        for folder in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
            if (folder / "pg_ctl").exists():
                return folder
        found = shutil.which("pg_ctl")
        if not found:
            raise SystemExit("No pg_ctl found (looked in /usr/lib/postgresql/*/bin and the PATH).")
        return Path(found).parent

    def _run(self, *command, check=True):
        if self.user:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=check, capture_output=True, text=True)  # noqa: S603

    def url(self, name="postgres"):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def start(self):
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        self._ctl("start")

    def _ctl(self, action, *extra):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c max_connections=100"
        self._run(
            str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "pg.log"), "-w", "-t", "60",
            "-o", options, *extra, action,
        )  # fmt: skip

    def restart(self):
        self._ctl("restart", "-m", "fast")

    def stop(self):
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)


def recreate_database(server_url, drop_only=False):
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def query(database_url, sql, params=()):
    """Rows of one query, on a fresh connection (none is kept across a restart)."""
    import psycopg

    try:
        with psycopg.connect(database_url, connect_timeout=3) as conn:
            return conn.execute(sql, params).fetchall()
    except psycopg.Error as error:
        if not isinstance(error, psycopg.OperationalError):  # a mistake of ours, not a restart
            log(f"query failed: {error}")
        return None


# ---------------------------------------------------------------- processes


def environment(tmp, database_url):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.benchmarks.heavy_settings",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(Path(tmp) / "media"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "ERROR",
        "PYTHONWARNINGS": "ignore::UserWarning",
    }


def manage(env, *args):
    done = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if done.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def setup_step(env, *args):
    return subprocess.run(  # noqa: S603 - our own helper
        [sys.executable, str(Path(__file__).with_name("load_setup.py")), *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def children_of(pid):
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def wait_for(check, seconds, step=0.5):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    return None


class Client:
    """A signed-in browser over urllib (no redirects followed), for the big renders."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None, timeout=30):
        headers = {"Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=data, headers=headers)  # noqa: S310 - 127.0.0.1
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.headers
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return 0, {}

    def csrf(self):
        return next((cookie.value for cookie in self.jar if cookie.name == "csrftoken"), "")

    def post(self, path, fields):
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        return self.request(path, data, timeout=120)

    def sign_in(self, username):
        # On a saturated machine the form may take a while: try until its CSRF cookie is set.
        wait_for(lambda: self.request("/sign-in/", timeout=60)[0] == 200 and self.csrf(), 180, step=1)
        status, _ = self.post("/sign-in/", {"username": username, "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"Could not sign in as {username} (status {status}).")


class HealthPoller(threading.Thread):
    """GET /healthz every 100 ms: (time, status, seconds)."""

    def __init__(self, base):
        super().__init__(daemon=True)
        self.url, self.samples, self.stop = base + "/healthz", [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            started = time.time()
            try:
                with urllib.request.urlopen(self.url, timeout=10) as response:  # noqa: S310 - 127.0.0.1
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            except (urllib.error.URLError, TimeoutError, ConnectionError):
                status = 0
            self.samples.append((started, status, time.time() - started))
            time.sleep(0.1)


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(share * (len(values) - 1))))] if values else float("nan")


# ---------------------------------------------------------------- the benchmark


class Bench:
    def __init__(self, args):
        self.args = args
        self.tmp = Path(tempfile.mkdtemp(prefix="csp-bench-load-"))
        os.chmod(self.tmp, 0o755)  # noqa: S103 - the private PostgreSQL's user must enter it
        self.private = None
        self.processes = {}
        self.workers = []
        self.events = []  # (time, what)

    # -- set-up and tear-down
    def prepare(self):
        args = self.args
        if args.fault == "db-restart" or args.private_postgres:
            (self.tmp / "pg").mkdir()
            self.private = PrivatePostgres(self.tmp / "pg", PRIVATE_PORT)
            log(f"Starting a private PostgreSQL on 127.0.0.1:{PRIVATE_PORT} in {self.private.folder}")
            self.private.start()
            query(self.private.url(), "SELECT 1")
            import psycopg

            with psycopg.connect(self.private.url(), autocommit=True) as conn:
                conn.execute(f"CREATE DATABASE {DB_NAME}")
            self.database_url = self.private.url(DB_NAME)
        else:
            recreate_database(SERVER)
            self.database_url = f"{SERVER}/{DB_NAME}"
        self.env = environment(self.tmp, self.database_url)
        if args.fault == "kill-worker":
            # A render is cut at 90 s and a task "running" for 100 s has lost its worker, so
            # that the schedule's sweep finds the killed one within the run.
            self.env.update(PDF_RENDER_TIMEOUT="90", TASK_STALE_SECONDS="100")
        log("Migrating and generating data ...")
        manage(self.env, "migrate", "--noinput")
        manage(self.env, "createcachetable")
        manage(
            self.env,
            "generate_demo_data",
            f"--partnerships={args.partnerships}",
            f"--actions-per-plan={args.actions}",
            f"--updates-per-action={args.updates}",
        )
        log(setup_step(self.env, "prepare", str(self.tmp / "people.json"), PASSWORD))
        self.people = json.loads((self.tmp / "people.json").read_text())
        self.tasks = setup_step(self.env, "tasks-installed") == "yes"
        self.has_schedule = "run_schedule" in manage(self.env, "help", "--commands")

    def start_web(self):
        self.base = f"http://127.0.0.1:{self.args.port}"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", self.args.port)) == 0:
                raise SystemExit(f"Port {self.args.port} is taken; give another with --port.")
        self.processes["gunicorn"] = subprocess.Popen(  # noqa: S603 - our own gunicorn, on 127.0.0.1
            [str(BIN / "gunicorn"), "csp.wsgi", "--bind", f"127.0.0.1:{self.args.port}"]
            + ["--workers", "3", "--timeout", "60", "--log-level", "error"],
            env=self.env,
            cwd=ROOT,
        )
        if not wait_for(lambda: self._healthy(), 60):
            raise SystemExit("gunicorn did not start.")
        if self.tasks:
            for number in range(self.args.workers):
                self.start_worker(number)
            if self.has_schedule:
                # The installation's schedule (stale-task sweep, retries), ticking every 10 s here.
                self.processes["schedule"] = subprocess.Popen(  # noqa: S603 - our own manage.py
                    [sys.executable, str(ROOT / "manage.py"), "run_schedule", "--interval", "10"],
                    env=self.env,
                    cwd=ROOT,
                    stdout=open(self.tmp / "schedule.log", "a"),  # noqa: SIM115
                    stderr=subprocess.STDOUT,
                )
        else:
            log("NOTE: django_tasks_db is not installed on this branch: no task workers started (packs render as")
            log("      the branch renders them); the kill-worker fault and --drain need the task framework.")

    def start_worker(self, number):
        log_file = open(self.tmp / f"worker-{number}.log", "a")  # noqa: SIM115 - kept open while it runs
        worker_id = f"bench-{number}-{uuid.uuid4().hex[:6]}"
        worker = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "task_worker", "--queue-name", "*", "--no-startup-delay"]
            + ["--no-reload", "--interval", "0.5", "--worker-id", worker_id],
            env=self.env,
            cwd=ROOT,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        worker.worker_id = worker_id
        self.workers.append(worker)
        return worker

    def _healthy(self):
        try:
            with urllib.request.urlopen(self.base + "/healthz", timeout=2) as response:  # noqa: S310
                return response.status == 200
        except (urllib.error.URLError, TimeoutError, ConnectionError):
            return False

    def cleanup(self):
        # Render children of the workers, stopped too if they outlive their worker.
        children = [child for worker in self.workers for child in children_of(worker.pid)]
        for worker in self.workers:
            if worker.poll() is None:
                worker.terminate()
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in [*self.workers, *self.processes.values()]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        if self.private:
            self.private.stop()
        elif not self.args.keep:
            try:
                recreate_database(SERVER, drop_only=True)
            except Exception as error:  # noqa: BLE001 - report, then go on cleaning up
                log(f"Could not drop {DB_NAME}: {error}")
        if self.args.keep:
            log(f"Kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- the parts
    def pack_states(self, ids):
        if not ids:
            return {}
        rows = query(self.database_url, "SELECT id, state, error FROM plans_meetingpack WHERE id = ANY(%s)", (ids,))
        return {row[0]: (row[1], row[2]) for row in rows} if rows is not None else None

    def big_renders(self, count):
        """``count`` packs of the first plan, whole, asked for at once by its chair."""
        chair = self.people["chairs"][0]
        client = Client(self.base)
        client.sign_in(chair["username"])
        ids = []
        path = f"/plans/{chair['plan']}/meetings/{chair['meeting']}/packs/"
        for _ in range(count):
            status, headers = client.post(path, {"include_closed": "on"})
            if status == 302 and (match := re.search(r"/packs/(\d+)/", headers.get("Location", ""))):
                ids.append(int(match[1]))
            else:
                log(f"A big pack was not queued (status {status}).")
        self.events.append((time.time(), f"{len(ids)} big renders asked for"))
        return ids

    def wait_packs(self, ids, seconds):
        def finished():
            states = self.pack_states(ids)
            return states is not None and all(state in ("done", "failed") for state, _ in states.values())

        return wait_for(finished, seconds, step=0.5)

    def run_locust(self):
        files = {name: self.tmp / f"{name}.txt" for name in ("markers", "failures")}
        for path in files.values():
            path.touch()
        self.run_id = uuid.uuid4().hex[:8]
        env = {
            **os.environ,
            "BENCH_LOAD_PEOPLE": str(self.tmp / "people.json"),
            "BENCH_LOAD_PASSWORD": PASSWORD,
            "BENCH_LOAD_RUN": self.run_id,
            "BENCH_LOAD_MARKERS": str(files["markers"]),
            "BENCH_LOAD_FAILURES": str(files["failures"]),
        }
        self.files = files
        command = [str(BIN / "locust"), "-f", str(Path(__file__).with_name("locustfile.py")), "--headless"]
        command += ["-u", str(self.args.users), "-r", str(self.args.spawn_rate), "-t", f"{self.args.time}s"]
        command += ["--host", self.base, "--csv", str(self.tmp / "locust"), "--only-summary", "--stop-timeout", "30"]
        command += ["--loglevel", "ERROR"]
        self.locust_started = time.time()
        self.processes["locust"] = subprocess.Popen(  # noqa: S603 - locust against 127.0.0.1 only
            command,
            env=env,
            cwd=ROOT,
            stdout=open(self.tmp / "locust.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        return self.processes["locust"]

    def load(self):
        args = self.args
        poller = HealthPoller(self.base)
        poller.start()
        locust = self.run_locust()
        log(f"locust: {args.users} users for {args.time} s (run {self.run_id})")
        time.sleep(args.time * 0.25)
        big = self.big_renders(args.big_renders)
        big_started = time.time()
        big_window = [big_started, None]

        def watch_big():
            self.wait_packs(big, args.time * 4)
            big_window[1] = time.time()
            self.events.append((big_window[1], "big renders finished"))

        watcher = threading.Thread(target=watch_big, daemon=True)
        watcher.start()
        fault_window = None
        kill_report = None
        if args.fault == "db-restart":
            time.sleep(max(0.0, self.locust_started + args.time * 0.5 - time.time()))
            started = time.time()
            log("Restarting the private PostgreSQL (pg_ctl restart -m fast) ...")
            self.private.restart()
            fault_window = (started, time.time())
            log(f"PostgreSQL back after {fault_window[1] - fault_window[0]:.1f} s")
        elif args.fault == "kill-worker":
            kill_report = self.kill_worker(big)
        locust.wait(timeout=args.time + 120)
        log(f"locust finished; waiting for the queued packs (at most {args.settle} s) ...")
        self.wait_packs(self.all_pack_ids(), args.settle)
        watcher.join(timeout=5)
        poller.stop.set()
        poller.join()
        self.report(poller.samples, big_window, fault_window, kill_report)

    def all_pack_ids(self):
        rows = query(self.database_url, "SELECT id FROM plans_meetingpack")
        return [row[0] for row in rows or []]

    def kill_worker(self, ids):
        """SIGKILL the worker whose render (a child process) is running a pack of ``ids``."""
        if not self.tasks:
            log("kill-worker: skipped, no task workers on this branch.")
            return {"skipped": "no task framework"}

        def rendering():
            states = self.pack_states(ids) or {}
            running = [pk for pk, (state, _) in states.items() if state == "running"]
            busy = [w for w in self.workers if w.poll() is None and children_of(w.pid)]
            return (running, busy) if running and busy else None

        found = wait_for(rendering, 120, step=0.2)
        if not found:
            log("kill-worker: no worker was seen rendering within 120 s.")
            return {"skipped": "no render seen"}
        running, busy = found
        victim = busy[0]
        children = children_of(victim.pid)
        # The packs this worker's running tasks are for (its id is in the task's worker_ids).
        rows = query(
            self.database_url,
            "SELECT (args_kwargs->'args'->>0)::int FROM django_tasks_database_dbtaskresult"
            " WHERE status = 'RUNNING' AND worker_ids::jsonb ? %s",
            (victim.worker_id,),
        )
        running = [row[0] for row in rows] if rows else running
        killed_at = time.time()
        os.kill(victim.pid, signal.SIGKILL)
        victim.wait()
        self.events.append((killed_at, f"worker {victim.pid} killed (SIGKILL) while packs {running} rendered"))
        log(f"kill-worker: SIGKILLed worker {victim.pid} (render children {children}) while packs {running} ran")
        return {"killed_at": killed_at, "packs": running, "children": children}

    def drain(self):
        if not self.tasks:
            log("--drain: skipped: django_tasks_db is not installed on this branch (no task workers).")
            return
        for worker in self.workers:  # queue first, then let both workers loose at once
            worker.send_signal(signal.SIGSTOP)
        log(setup_step(self.env, "packs", str(self.tmp / "packs.json")))
        ids = json.loads((self.tmp / "packs.json").read_text())
        started = time.time()
        for worker in self.workers:
            worker.send_signal(signal.SIGCONT)
        self.wait_packs(ids, max(self.args.settle, 600))
        seconds = time.time() - started
        (self.tmp / "markers.txt").touch()
        self.run_id = "none"
        outcome = self.outcome()
        states = self.pack_states(ids) or {}
        done = sum(1 for state, _ in states.values() if state == "done")
        print(f"\nDrain: {len(ids)} packs queued at once, {len(self.workers)} workers")
        print(f"  all finished in {seconds:.1f} s; done {done}, other {len(ids) - done}")
        print(f"  pack files written {outcome['pack_files']} for {outcome['packs_done_with_file']} packs done")
        print(f"  tasks by status: {outcome['tasks']}")
        self.print_double_runs()

    def print_double_runs(self):
        """Packs whose render task finished successfully more than once (the files written,
        printed beside, tell whether a second render really wrote a second PDF)."""
        rows = query(
            self.database_url,
            "SELECT args_kwargs->'args'->>0 AS pack, count(*) FILTER (WHERE status = 'SUCCESSFUL'),"
            " count(*) FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s GROUP BY 1",
            ("%render_pack%",),
        )
        if rows is None:
            return
        twice = [row[0] for row in rows if row[1] > 1]
        retried = [row[0] for row in rows if row[2] > 1]
        print(f"  render tasks: {sum(row[2] for row in rows)} for {len(rows)} packs; packs queued more than once")
        print(f"  {retried or 'none'}; packs whose render task succeeded twice: {twice or 'none'}")

    def outcome(self):
        out = self.tmp / "outcome.json"
        setup_step(self.env, "outcome", str(self.tmp / "markers.txt"), self.run_id, str(out))
        return json.loads(out.read_text())

    # -- the report
    def report(self, health, big_window, fault_window, kill_report):
        args = self.args
        print(f"\n{args.users} users for {args.time} s against gunicorn (3 workers) and ", end="")
        print(f"{len(self.workers) if self.tasks else 0} task workers, PostgreSQL", end="")
        print(" (private)" if self.private else "", end="")
        print(f"; data {args.partnerships} x {args.actions} x {args.updates}")
        print(f"\n{'request':<16} {'count':>6} {'failed':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
        rows = list(csv.DictReader(open(self.tmp / "locust_stats.csv")))  # noqa: SIM115
        worst_ordinary = 0
        for row in rows:
            name = row["Name"]
            p95 = float(row["95%"] or 0) if row["95%"] != "N/A" else 0
            if name in ORDINARY:
                worst_ordinary = max(worst_ordinary, p95)
            print(
                f"{name:<16} {row['Request Count']:>6} {row['Failure Count']:>6} {row['50%']:>7} {row['95%']:>7}"
                f" {row['99%']:>7}"
            )
        print(f"\nOrdinary pages ({', '.join(ORDINARY)}): worst p95 {worst_ordinary:.0f} ms (target < 500)")
        self.print_health(health, big_window)
        failures = [line.split("\t") for line in self.files["failures"].read_text().splitlines() if line]
        self.print_failures(failures, fault_window)
        outcome = self.outcome()
        print(f"\nUpdates acknowledged {outcome['acknowledged']}, stored {outcome['stored']}, ", end="")
        print(f"acknowledged but missing {outcome['lost_count']} {outcome['lost'][:5] or ''}")
        print(f"Packs by state {outcome['packs']}; files written {outcome['pack_files']} ", end="")
        print(f"for {outcome['packs_done_with_file']} packs done")
        if outcome["pack_failures"]:
            print(f"  failure messages: {outcome['pack_failures']}")
        if self.tasks:
            print(f"Tasks by status {outcome['tasks']}")
            self.print_double_runs()
        if kill_report and "packs" in kill_report:
            rows = query(
                self.database_url,
                "SELECT id, state, attempt, error, finished_at FROM plans_meetingpack WHERE id = ANY(%s)",
                (kill_report["packs"],),
            )
            for pk, state, attempt, error, finished in rows or []:
                after = f", {finished.timestamp() - kill_report['killed_at']:.0f} s after the kill" if finished else ""
                print(f"Killed render, pack {pk}: now {state!r}, attempt {attempt}{after} {error[:150]!r}")
            for line in self.worker_log_lines():
                print(f"  worker log: {line}")
        for when, what in sorted(self.events):
            print(f"  t+{when - self.locust_started:6.1f} s  {what}")

    def worker_log_lines(self):
        lines = []
        for path in sorted(self.tmp.glob("worker-*.log")):
            lines += [line for line in path.read_text().splitlines() if re.search(r"fail|error|retry|lost", line, re.I)]
        return lines[-8:]

    def print_health(self, samples, window):
        def line(label, chosen):
            times = [seconds * 1000 for _t, _s, seconds in chosen]
            bad = sum(1 for _t, status, _s in chosen if status != 200)
            if not times:
                print(f"/healthz {label}: no samples")
                return
            print(
                f"/healthz {label}: {len(times)} requests, p50 {statistics.median(times):.1f} ms, "
                f"p99 {percentile(times, 0.99):.1f} ms, max {max(times):.1f} ms, not 200: {bad}"
            )

        line("whole run", samples)
        end = window[1] or time.time()
        during = [s for s in samples if window[0] <= s[0] <= end]
        line(f"while the big renders ran ({end - window[0]:.0f} s; target p99 < 200 ms)", during)

    def print_failures(self, failures, window):
        if window is None:
            print(f"\nFailed requests: {len(failures)}")
        else:
            slack = 2.0  # requests already in flight when the restart began, or answered just after
            inside = [f for f in failures if window[0] - slack <= float(f[0]) <= window[1] + slack]
            print(
                f"\nDatabase restart: {window[1] - window[0]:.1f} s from t+{window[0] - self.locust_started:.1f} s;"
                f" failed requests inside the window (±{slack:.0f} s) {len(inside)},"
                f" outside {len(failures) - len(inside)}"
            )
            for when, name, status, error in (f for f in failures if f not in inside):
                print(f"  outside: t+{float(when) - self.locust_started:6.1f} s {name} {status} {error[:60]}")
        kinds = {}
        for _when, name, status, error in failures:
            kinds[(name, status, error[:60])] = kinds.get((name, status, error[:60]), 0) + 1
        for (name, status, error), count in sorted(kinds.items(), key=lambda item: -item[1])[:8]:
            print(f"  {count:4d} x {name} {status} {error}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=30)
    parser.add_argument("--spawn-rate", type=float, default=5, help="people started per second")
    parser.add_argument("--time", type=int, default=120, help="seconds of load")
    parser.add_argument("--partnerships", type=int, default=10)
    parser.add_argument("--actions", type=int, default=100, help="actions per plan")
    parser.add_argument("--updates", type=int, default=12, help="updates per action")
    parser.add_argument("--big-renders", type=int, default=3, help="whole-plan packs asked for at once")
    parser.add_argument("--workers", type=int, default=2, help="task workers")
    parser.add_argument("--port", type=int, default=8103)
    parser.add_argument("--fault", choices=["db-restart", "kill-worker"])
    parser.add_argument("--drain", action="store_true", help="time two workers draining 20 queued packs")
    parser.add_argument("--private-postgres", action="store_true", help="a private PostgreSQL even without a fault")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    parser.add_argument("--settle", type=int, default=180, help="seconds to wait afterwards for queued packs")
    args = parser.parse_args()
    bench = Bench(args)
    try:
        bench.prepare()
        bench.start_web()
        if args.drain:
            bench.drain()
        else:
            bench.load()
    finally:
        bench.cleanup()


if __name__ == "__main__":
    main()
