"""Background work of plans, as tasks of Django's task framework (run by ``manage.py
db_worker``; settings.TASKS). Each task is a thin wrapper around a service.

Arguments are ids and numbers only (JSON in the queue); each service claims its record
before working, so a task that runs twice does the work once.
"""

from django.tasks import task

from . import roll_over_jobs
from .models import PdfRequest
from .pdf.packs import pack_lost, pack_render, pdf_render
from .transfer.jobs import job_lost, job_run, job_still_moving


@task
def render_pack(pack_id, attempt):
    """Render a meeting pack (in a limited child process) and freeze it in file storage."""
    pack = pack_render(pack_id, attempt=attempt)
    return {"pack": pack.pk, "state": pack.state}


@task
def render_pdf_request(request_id, attempt):
    """Render a plan PDF too big to produce while the browser waits, for the person who asked."""
    pdf = pdf_render(request_id, attempt=attempt)
    return {"pdf_request": pdf.pk, "state": pdf.state}


@task
def run_import(job_id, attempt):
    """Save a confirmed large import, all or nothing, recording its progress."""
    job = job_run(job_id, attempt=attempt)
    return {"job": job.pk, "state": job.state}


@task
def run_roll_over(job_id, attempt):
    """Carry the open actions of a large confirmed roll-over into the next plan, all or nothing."""
    job = roll_over_jobs.job_run(job_id, attempt=attempt)
    return {"roll_over": job.pk, "state": job.state}


# The schedule's stale sweep hands back tasks whose worker died; these put their work right.
LOST_HANDLERS = {
    render_pack.module_path: lambda lost: pack_lost(_first(lost, "pack_id")),
    render_pdf_request.module_path: lambda lost: pack_lost(_first(lost, "request_id"), model=PdfRequest),
    run_import.module_path: lambda lost: job_lost(_first(lost, "job_id")),
    run_roll_over.module_path: lambda lost: roll_over_jobs.job_lost(_first(lost, "job_id")),
}


def recover_lost(lost):
    """A task the worker of which died (``partners.queue.fail_stale_tasks``): queue its pack,
    prepared PDF, import or roll-over again once, or mark it failed with the reason."""
    handler = LOST_HANDLERS.get(lost.task_path)
    if handler is not None:
        handler(lost)


def _first(lost, name):
    args = lost.args_kwargs.get("args", [])
    return args[0] if args else lost.args_kwargs.get("kwargs", {}).get(name)


def still_alive(lost):
    """Whether a task long "running" is still at work: an import whose progress moved recently."""
    return lost.task_path == run_import.module_path and job_still_moving(_first(lost, "job_id"))
