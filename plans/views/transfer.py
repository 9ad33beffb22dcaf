"""Spreadsheet export downloads and the import journey: upload → preview → confirm."""

import contextlib
import functools
import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from partners.access import check_partnership_rights
from partners.models import Partnership
from partners.voice import Form

from .. import transfer_services as stash
from ..access import get_plan_for_user
from ..models import ActionPlan
from ..transfer import columns as c
from ..transfer import jobs
from ..transfer.export import XLSX_CONTENT_TYPE, csv_text, export_rows, milestone_rows, write_xlsx
from ..transfer.importer import ImportFailed, apply_import, plan_import
from ..transfer.parse_table import parse_upload
from ..transfer.rows import FileRefused
from ..transfer.template import template_xlsx

PREVIEW_LIMIT = 300
PROGRESS_TITLES = {jobs.DONE: "Import complete", jobs.FAILED: "Import failed"}


@login_required
@require_safe
def export_download(request, slug, fmt):
    """The plan as an XLSX workbook, or one of its two CSV files; sensitive notes only for those allowed."""
    plan, _ = get_plan_for_user(request, slug)
    action_rows, update_rows = export_rows(plan, request.user)
    if fmt == "xlsx":
        stream = io.BytesIO()
        write_xlsx(action_rows, update_rows, stream, milestone_rows(plan, request.user))
        response = HttpResponse(stream.getvalue(), content_type=XLSX_CONTENT_TYPE)
        filename = f"{plan.slug}.xlsx"
    elif fmt == "actions.csv":
        response = _csv_response(csv_text(c.ACTION_COLUMNS, action_rows))
        filename = f"{plan.slug}.csv"
    elif fmt == "updates.csv":
        response = _csv_response(csv_text(c.UPDATE_COLUMNS, update_rows))
        filename = f"{plan.slug}-updates.csv"
    else:
        raise Http404("No such format")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _csv_response(text):
    # A byte-order mark so Excel opens the UTF-8 text correctly; other readers skip it.
    return HttpResponse(("\ufeff" + text).encode("utf-8"), content_type="text/csv; charset=utf-8")


@login_required
@require_safe
def template_download(request):
    response = HttpResponse(template_xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="action-plan-template.xlsx"'
    return response


class UploadForm(Form):
    file = forms.FileField(
        label="The action plan",
        help_text="An Excel workbook (.xlsx) in the template's shape, a CSV of actions, or a Word action plan (.docx).",
    )
    updates_file = forms.FileField(
        label="Updates CSV (optional)",
        required=False,
        help_text="Only with a CSV of actions: the second CSV file, of updates.",
    )

    def clean(self):
        data = super().clean()
        limit = settings.IMPORT_MAX_BYTES
        for name in ("file", "updates_file"):
            upload = data.get(name)
            if upload is not None and upload.size > limit:
                self.add_error(
                    name,
                    f"The file is {upload.size / 1024 / 1024:.1f} MB; the largest file we accept is "
                    f"{limit / 1024 / 1024:.0f} MB.",
                )
        return data


class NewPlanForm(UploadForm):
    title = forms.CharField(label="Title", max_length=200, initial="Community Safety Action Plan")
    start_year = forms.IntegerField(label="First year", min_value=1998, max_value=2100)
    end_year = forms.IntegerField(label="Last year", min_value=1998, max_value=2100)

    field_order = ["title", "start_year", "end_year", "file", "updates_file"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        if start and end and not (start <= end <= start + 5):
            self.add_error("end_year", "The last year must be the first year or up to five years after it.")
        return data


def _max_mb():
    return f"{settings.IMPORT_MAX_BYTES / 1024 / 1024:.0f}"


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes IMPORT_MAX_BYTES, so a 20 MB upload is
    neither stored nor parsed; the view then says why."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.IMPORT_MAX_BYTES:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


def limit_upload_size(view):
    """Install SizeLimitHandler before anything reads the body (hence CSRF is checked after it)."""

    @functools.wraps(view)
    @csrf_exempt
    def wrapped(request, *args, **kwargs):
        request.upload_too_large = False
        request.upload_handlers.insert(0, SizeLimitHandler(request))
        return csrf_protect(view)(request, *args, **kwargs)

    return wrapped


def _size_refusal(form):
    form.is_valid()
    form.errors.pop("file", None)  # "required": the handler dropped the file, this says why
    form.add_error(
        "file",
        f"The file is larger than {_max_mb()} MB, the largest file we accept. "
        "Split the plan into smaller files or remove pictures.",
    )


def _admin_partnership(request, slug):
    partnership = get_object_or_404(Partnership, slug=slug)
    check_partnership_rights(request, partnership, for_admin=True)
    return partnership


@limit_upload_size
@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug):
    """Upload a file to import into an existing plan (partnership admins only)."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    context = {"plan": plan, "page_title": f"Import into {plan.full_title}", "import_max_mb": _max_mb()}
    form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
    if request.upload_too_large:
        _size_refusal(form)
    elif request.method == "POST" and form.is_valid():
        upload_id = _stash(request, form, {"plan": plan.slug})
        return redirect("plans:import_preview", upload_id=upload_id)
    return render(request, "plans/transfer_upload.html", {**context, "form": form})


@limit_upload_size
@login_required
@require_http_methods(["GET", "POST"])
def import_new(request, partnership_slug):
    """Upload a file to create a new plan of a partnership (its admins only)."""
    partnership = _admin_partnership(request, partnership_slug)
    context = {
        "partnership": partnership,
        "page_title": f"Import a new action plan for {partnership.short_name}",
        "import_max_mb": _max_mb(),
    }
    form = NewPlanForm(request.POST, request.FILES) if request.method == "POST" else NewPlanForm()
    if request.upload_too_large:
        _size_refusal(form)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        slug = f"{partnership.slug}-{data['start_year']}-{data['end_year']}"
        if ActionPlan.objects.filter(slug=slug).exists():
            form.add_error("start_year", f"A plan for {data['start_year']}-{data['end_year']} exists; import into it.")
        else:
            new_plan = {"title": data["title"], "start_year": data["start_year"], "end_year": data["end_year"]}
            upload_id = _stash(request, form, {"partnership": partnership.slug, "new_plan": {**new_plan, "slug": slug}})
            return redirect("plans:import_preview", upload_id=upload_id)
    return render(request, "plans/transfer_new.html", {**context, "form": form})


def _stash(request, form, target):
    upload = form.cleaned_data["file"]
    updates = form.cleaned_data.get("updates_file")
    return stash.stash_upload(
        request,
        content=upload.read(),
        filename=upload.name,
        updates_content=updates.read() if updates else None,
        updates_filename=updates.name if updates else "",
        target=target,
    )


def _target(request, entry):
    """(plan, partnership, new_plan) for a stashed import, checking access again."""
    target = entry["target"]
    if "plan" in target:
        plan, _ = get_plan_for_user(request, target["plan"], for_admin=True)
        return plan, plan.partnership, None
    partnership = _admin_partnership(request, target["partnership"])
    return None, partnership, target["new_plan"]


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, upload_id):
    """What the upload will create and change, with every problem; POST confirms and saves it all."""
    if _session_job(request, upload_id) is not None:
        # Confirmed already: the import is running or has finished.
        return redirect("plans:import_progress", upload_id=upload_id)
    stashed = stash.get_stash(request, upload_id)
    if stashed is None:
        raise Http404("No such import")
    entry, content, updates_content = stashed
    plan, partnership, new_plan = _target(request, entry)
    refused = None
    result = None
    try:
        parsed = parse_upload(
            content, entry["filename"], updates_content=updates_content, updates_filename=entry["updates_filename"]
        )
        result = plan_import(parsed, plan=plan, partnership=partnership, new_plan=new_plan)
    except FileRefused as error:
        refused = str(error)
    back = reverse("plans:import", args=[plan.slug]) if plan else reverse("plans:import_new", args=[partnership.slug])
    if request.method == "POST" and result is not None and not result.errors:
        if request.POST.get("digest") != result.digest or entry.get("digest") != result.digest:
            messages.warning(request, "The plan changed since you previewed the import. Check the preview again.")
            stash.remember_digest(request, upload_id, result.digest)
            return redirect("plans:import_preview", upload_id=upload_id)
        total = len(result.new_actions) + len(result.action_changes) + len(result.new_updates)
        if total >= jobs.background_min_rows():
            # A second click finds the job the first one started, and shows it.
            with contextlib.suppress(jobs.JobExists):
                jobs.job_start(upload_id=upload_id, entry=entry, digest=result.digest, total=total, user=request.user)
            return redirect("plans:import_progress", upload_id=upload_id)
        try:
            saved = apply_import(result, user=request.user)
        except ImportFailed as error:
            messages.warning(request, f"{error} Nothing was saved.")
            return redirect("plans:import_preview", upload_id=upload_id)
        stash.discard(request, upload_id)
        messages.success(
            request,
            f"Imported {entry['filename']}: {len(result.new_actions)} actions created, "
            f"{len(result.action_changes)} changed, {len(result.new_updates)} updates added.",
        )
        return redirect(saved.get_absolute_url())
    if result is not None:
        stash.remember_digest(request, upload_id, result.digest)
    context = {
        "plan": plan,
        "partnership": partnership,
        "new_plan": new_plan,
        "entry": entry,
        "refused": refused,
        "result": result,
        "back": back,
        "limit": PREVIEW_LIMIT,
        "page_title": "Check the import",
    }
    if result is not None:
        context.update(
            new_actions=result.new_actions[:PREVIEW_LIMIT],
            changes=[(ch, name, old, new) for ch in result.action_changes for name, (old, new) in ch.fields.items()][
                :PREVIEW_LIMIT
            ],
            new_updates=result.new_updates[:PREVIEW_LIMIT],
            row_count=len(result.new_actions) + len(result.action_changes) + len(result.new_updates),
        )
        context["background"] = context["row_count"] >= jobs.background_min_rows()
    status = 400 if refused or (result is not None and result.errors) else 200
    return render(request, "plans/transfer_preview.html", context, status=status)


def _session_job(request, upload_id):
    """The background import of ``upload_id`` if this session previewed it and this user
    started it; None otherwise (no job, or someone else's)."""
    if upload_id not in request.session.get(stash.SESSION_KEY, {}):
        return None
    job = jobs.get_job(upload_id)
    if job is None or job.user_id != request.user.pk:
        return None
    return job


@login_required
@require_http_methods(["GET"])
def import_progress(request, upload_id):
    """How far a large import has got ("Imported 1,200 of 3,000 rows", or its place in the
    queue); follows it until it is done (a link to the plan) or failed (why; nothing saved).
    Only for whoever started it."""
    job = _session_job(request, upload_id)
    if job is None:
        raise Http404("No such import")
    context = {
        "status": job,
        "working": job.working,
        "done_text": f"{job.done:,}",
        "total_text": f"{job.total:,}",
        "percent": int(job.done * 100 / job.total) if job.total else 0,
        "upload_id": upload_id,
        "back": _back_url(job.target),
        "page_title": "Importing" if job.working else PROGRESS_TITLES.get(job.state, "Import failed"),
    }
    return render(request, "plans/transfer_progress.html", context)


def _back_url(target):
    if "plan" in target:
        return reverse("plans:import", args=[target["plan"]])
    return reverse("plans:import_new", args=[target["partnership"]])
