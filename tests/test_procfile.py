"""`make run` starts what the Procfile lists with honcho: the web server on $PORT, a task
worker and the schedule, each a command that exists."""

import shlex
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(settings.BASE_DIR)


def procfile():
    lines = (ROOT / "Procfile").read_text().splitlines()
    entries = [line.split(":", 1) for line in lines if line.strip() and not line.startswith("#")]
    return {name.strip(): shlex.split(command) for name, command in entries}


def test_the_procfile_runs_web_worker_and_schedule():
    processes = procfile()
    assert set(processes) == {"web", "worker", "schedule"}
    assert processes["web"][-1] == "127.0.0.1:$PORT"


def test_every_procfile_process_is_a_command_of_the_app():
    commands = get_commands()
    for command in procfile().values():
        assert command[:2] == ["python", "manage.py"]
        assert command[2] in commands


def test_the_worker_takes_every_queue_and_does_not_reload():
    worker = procfile()["worker"]
    assert worker[2] == "task_worker" and "--no-reload" in worker
    assert worker[worker.index("--queue-name") + 1] == "*"


def test_make_run_starts_the_procfile_with_honcho():
    makefile = (ROOT / "Makefile").read_text()
    run = makefile[makefile.index("\nrun:") : makefile.index("\ninstall:")]
    assert "honcho start --port $(PORT) --procfile Procfile" in run
