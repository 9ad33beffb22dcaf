"""Background tasks in the database queue: retries only where a retry helps, failures in
users' words, and no task left "running" for ever when its worker dies."""

import datetime
import io
import os

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from csp import schedule
from partners.pdf import CRASHED, MEMORY, TIMEOUT, RenderFailed
from partners.queue import WORKER_LOST, fail_stale_tasks, queue_place
from plans import tasks
from plans.models import ImportJob, MeetingPack
from plans.pdf import packs
from plans.pdf.options import PdfOptions
from plans.pdf.render import RenderResult
from plans.transfer import jobs
from tests import factories as f
from tests.queue_helpers import run_queued_tasks

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _queue(database_queue, settings):
    settings.PDF_RENDER_IN_PROCESS = True
    settings.TASK_STALE_SECONDS = 600


@pytest.fixture
def meeting(plan):
    return f.MeetingFactory(partnership=plan.partnership, title="RAG meeting", date=datetime.date(2026, 3, 1))


def request_pack(plan, meeting, chair):
    return packs.pack_request(meeting=meeting, plan=plan, options=PdfOptions(), user=chair)


def renders(*outcomes):
    """A stand-in for the render: each call takes the next outcome (an exception to raise, or
    a result to return)."""
    calls = []

    def render(plan, options, *, user=None, progress=None):
        outcome = outcomes[len(calls)]
        calls.append(plan.pk)
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    render.calls = calls
    return render


GOOD = RenderResult(pdf=b"%PDF-1.7 pack", pages=3, marking="OFFICIAL", seconds=1.0)


def test_a_pack_waits_in_the_queue_until_a_worker_renders_it(plan, meeting, chair, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders(GOOD))
    pack = request_pack(plan, meeting, chair)
    assert pack.state == MeetingPack.State.PENDING
    assert run_queued_tasks() == 1
    pack.refresh_from_db()
    assert (pack.state, pack.pages, pack.attempt) == (MeetingPack.State.DONE, 3, 1)
    assert default_storage.exists(pack.file.name)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL


def test_queued_packs_know_their_place_in_the_queue(plan, meeting, chair):
    with time_machine.travel(NOW, tick=False):
        first = request_pack(plan, meeting, chair)
    with time_machine.travel(NOW + datetime.timedelta(seconds=1), tick=False):
        second = request_pack(plan, meeting, chair)
    assert (queue_place(first.task_id), queue_place(second.task_id)) == (1, 2)


def test_a_crashed_render_is_tried_once_more_and_then_succeeds(plan, meeting, chair, monkeypatch):
    render = renders(RenderFailed(CRASHED, "The PDF could not be produced because of an error."), GOOD)
    monkeypatch.setattr(packs, "render_for_worker", render)
    pack = request_pack(plan, meeting, chair)
    assert run_queued_tasks() == 2
    pack.refresh_from_db()
    assert (pack.state, pack.attempt, len(render.calls)) == (MeetingPack.State.DONE, 2, 2)


def test_a_render_that_times_out_twice_is_marked_failed_saying_so(plan, meeting, chair, monkeypatch):
    timed_out = RenderFailed(TIMEOUT, "The PDF took longer than 300 seconds to produce.")
    monkeypatch.setattr(packs, "render_for_worker", renders(timed_out, timed_out))
    pack = request_pack(plan, meeting, chair)
    run_queued_tasks()
    pack.refresh_from_db()
    assert (pack.state, pack.attempt) == (MeetingPack.State.FAILED, 2)
    assert pack.error == "The PDF took longer than 300 seconds to produce."


def test_a_render_too_big_for_the_memory_limit_is_not_tried_again(plan, meeting, chair, monkeypatch):
    render = renders(RenderFailed(MEMORY, "The PDF needed more memory than a render may use (1500 MB)."))
    monkeypatch.setattr(packs, "render_for_worker", render)
    pack = request_pack(plan, meeting, chair)
    assert run_queued_tasks() == 1
    pack.refresh_from_db()
    assert (pack.state, pack.attempt) == (MeetingPack.State.FAILED, 1)
    assert "too big for one PDF: try one priority at a time" in pack.error


def test_a_task_run_twice_renders_the_pack_once(plan, meeting, chair, monkeypatch):
    render = renders(GOOD, GOOD)
    monkeypatch.setattr(packs, "render_for_worker", render)
    pack = request_pack(plan, meeting, chair)
    tasks.render_pack.call(pack.pk, 1)
    tasks.render_pack.call(pack.pk, 1)
    assert len(render.calls) == 1


def _running_since(moment):
    """Claim every queued task as a worker would have at ``moment``, as if it died then."""
    with time_machine.travel(moment, tick=False):
        for task in DBTaskResult.objects.ready():
            task.claim("worker-that-died")


def test_a_pack_whose_worker_died_is_queued_again_then_marked_failed(plan, meeting, chair, monkeypatch):
    monkeypatch.setattr(packs, "render_for_worker", renders())
    with time_machine.travel(NOW, tick=False):
        pack = request_pack(plan, meeting, chair)
    MeetingPack.objects.filter(pk=pack.pk).update(state=MeetingPack.State.RUNNING)
    _running_since(NOW)
    with time_machine.travel(NOW + datetime.timedelta(seconds=601), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    pack.refresh_from_db()
    assert (pack.state, pack.attempt) == (MeetingPack.State.PENDING, 2)
    assert DBTaskResult.objects.get(pk=pack.task_id).status == TaskResultStatus.READY
    lost = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    assert lost.exception_class_path == "partners.queue.WorkerLost" and WORKER_LOST in lost.traceback

    MeetingPack.objects.filter(pk=pack.pk).update(state=MeetingPack.State.RUNNING)
    _running_since(NOW + datetime.timedelta(seconds=700))
    with time_machine.travel(NOW + datetime.timedelta(seconds=1400), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    pack.refresh_from_db()
    assert (pack.state, pack.error) == (MeetingPack.State.FAILED, WORKER_LOST)
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()


def test_a_task_running_within_its_time_is_left_alone(plan, meeting, chair):
    with time_machine.travel(NOW, tick=False):
        request_pack(plan, meeting, chair)
    _running_since(NOW)
    with time_machine.travel(NOW + datetime.timedelta(seconds=599), tick=False):
        assert fail_stale_tasks(older_than_seconds=600) == []
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING


def _import_job(admin, plan):
    job = ImportJob.objects.create(
        upload_id="abcdefghijklmnop",
        user=admin,
        total=10,
        digest="0" * 64,
        target={"plan": plan.slug},
        filename="a.xlsx",
    )
    jobs._enqueue(job.pk, attempt=1)
    return job


def test_a_long_import_still_moving_is_not_taken_for_lost(admin, plan):
    with time_machine.travel(NOW, tick=False):
        job = _import_job(admin, plan)
    _running_since(NOW)
    moment = NOW + datetime.timedelta(seconds=900)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, updated_at=moment)
    with time_machine.travel(moment + datetime.timedelta(seconds=5), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    job.refresh_from_db()
    assert (job.state, job.attempt) == (ImportJob.State.RUNNING, 1)


def test_an_import_whose_worker_died_is_queued_again(admin, plan):
    with time_machine.travel(NOW, tick=False):
        job = _import_job(admin, plan)
    _running_since(NOW)
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJob.State.RUNNING, updated_at=NOW)
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    job.refresh_from_db()
    assert (job.state, job.attempt, job.done) == (ImportJob.State.PENDING, 2, 0)
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY


def test_each_periodic_job_runs_once_per_period_whoever_asks(db):
    first = dict(schedule.tick(only=["remove_old_uploads"]))
    second = dict(schedule.tick(only=["remove_old_uploads"]))
    assert first["remove_old_uploads"] != "not due"
    assert second["remove_old_uploads"] == "not due"


def test_old_uploads_are_removed_and_fresh_ones_kept(admin, plan):
    old = default_storage.save("imports/oldupload1234.bin", ContentFile(b"old"))
    fresh = default_storage.save("imports/freshupload123.bin", ContentFile(b"fresh"))
    later = timezone.now() + datetime.timedelta(hours=7)
    os.utime(default_storage.path(fresh), (later.timestamp(), later.timestamp()))  # written seven hours on
    with time_machine.travel(later, tick=False):
        assert schedule.remove_uploads() == "1 old upload file(s) removed"
    assert not default_storage.exists(old) and default_storage.exists(fresh)


def test_old_finished_task_results_are_pruned(plan, meeting, chair, settings, monkeypatch):
    settings.TASK_RESULTS_KEEP_DAYS = 14
    monkeypatch.setattr(packs, "render_for_worker", renders(GOOD, GOOD))
    with time_machine.travel(NOW, tick=False):
        request_pack(plan, meeting, chair)
        run_queued_tasks()
    request_pack(plan, meeting, chair)
    with time_machine.travel(NOW + datetime.timedelta(days=15), tick=False):
        schedule.prune_task_results()
    assert DBTaskResult.objects.count() == 1


def test_run_schedule_once_runs_the_due_jobs_and_says_what_it_did(plan, meeting, chair):
    with time_machine.travel(NOW, tick=False):
        request_pack(plan, meeting, chair)
    _running_since(NOW)
    out = io.StringIO()
    with time_machine.travel(NOW + datetime.timedelta(hours=1), tick=False):
        call_command("run_schedule", "--once", stdout=out)
    assert "fail_stale_tasks: 1 task(s) whose worker stopped marked failed" in out.getvalue()


def test_run_schedule_calls_send_reminders(db, monkeypatch):
    called = []
    monkeypatch.setattr(schedule, "call_command", lambda name, **kwargs: called.append(name))
    assert dict(schedule.tick(only=["send_reminders"]))["send_reminders"] == "done"
    assert called == ["send_reminders"]


def test_run_schedule_deactivates_dormant_accounts_once_an_hour(db, monkeypatch):
    called = []
    monkeypatch.setattr(schedule, "call_command", lambda name, **kwargs: called.append(name))
    first = dict(schedule.tick(only=["deactivate_dormant_accounts"]))
    again = dict(schedule.tick(only=["deactivate_dormant_accounts"]))
    assert called == ["deactivate_dormant_accounts"]
    assert again["deactivate_dormant_accounts"] == "not due"
    assert first["deactivate_dormant_accounts"] != "not due"


def test_one_failing_job_does_not_stop_the_others(db, monkeypatch):
    def broken():
        raise RuntimeError("storage unreachable")

    monkeypatch.setattr(schedule, "JOBS", (schedule.Job("broken", 0, broken), *schedule.JOBS))
    outcomes = dict(schedule.tick(only=["broken", "fail_stale_tasks"]))
    assert outcomes == {"broken": "failed: storage unreachable", "fail_stale_tasks": ""}


def test_run_schedule_refuses_an_unknown_job(db):
    with pytest.raises(CommandError, match="Unknown job"):
        call_command("run_schedule", "--once", "--only", "no_such_job")


def test_the_task_worker_starts_again_after_a_database_error(db, monkeypatch):
    """``task_worker`` is ``db_worker`` that outlives a database restart (honcho would stop
    every process of ``make run`` when one stops)."""
    from django.db import OperationalError
    from django_tasks_db.management.commands import db_worker

    from csp.management.commands import task_worker

    runs = []

    def run(worker):
        runs.append(worker.worker_id)
        if len(runs) < 3:
            raise OperationalError("server closed the connection unexpectedly")

    waits = []
    monkeypatch.setattr(db_worker.Worker, "run", run)
    monkeypatch.setattr(db_worker.Worker, "configure_signals", lambda worker: None)
    monkeypatch.setattr(task_worker.Command, "sleep", lambda command, seconds: waits.append(seconds))
    err = io.StringIO()
    call_command("task_worker", "--no-reload", "--queue-name", "*", stderr=err)
    assert len(runs) == 3
    assert waits == [1.0, 2.0]
    assert err.getvalue().count("Database unreachable") == 2


def test_the_schedule_goes_on_after_a_database_error(db, monkeypatch):
    from django.db import OperationalError

    from csp.management.commands import run_schedule

    ticks = []

    def tick(only=None):
        ticks.append(1)
        if len(ticks) == 1:
            raise OperationalError("the database system is shutting down")
        command.running = False
        return [("send_reminders", "done")]

    command = run_schedule.Command(stdout=io.StringIO(), stderr=io.StringIO())
    monkeypatch.setattr(run_schedule, "tick", tick)
    monkeypatch.setattr(run_schedule.signal, "signal", lambda *args: None)
    command.handle(interval=0.01, once=False, only=None, verbosity=1)
    assert len(ticks) == 2
    assert "Database unreachable" in command.stderr.getvalue()
    assert "send_reminders: done" in command.stdout.getvalue()
