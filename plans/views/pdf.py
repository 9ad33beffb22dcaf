"""The plan PDF: options page and download (rendered in a limited child process)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from partners.pdf import RenderFailed
from partners.slots import SlotsBusy

from ..access import get_plan_for_user
from ..pdf.data import estimate_work, plan_queryset
from ..pdf.options import PdfOptionsForm
from ..pdf.render import render_in_child


def pdf_filename(plan, options):
    suffix = f"-priority-{options.priority}" if options.priority else ""
    suffix += f"-since-{options.since:%Y-%m-%d}" if options.since else ""
    return f"{plan.slug}{suffix}-{timezone.localdate():%Y-%m-%d}.pdf"


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def plan_pdf(request, slug):
    """Choose the options of the plan's PDF; with ``download`` set, produce it.

    Small selections (counted by the work they print: actions, updates, characters) render
    straight away in a child process with short time and memory limits, when one of the
    installation's heavy-work slots is free; bigger ones go through a meeting pack, rendered
    in the background. Whatever happens, the worker is back within ``PDF_DIRECT_TIMEOUT``."""
    plan, _ = get_plan_for_user(request, slug, queryset=plan_queryset())
    data = request.POST if request.method == "POST" else (request.GET if "download" in request.GET else None)
    form = PdfOptionsForm(plan, request.user, data, initial={"include_closed": True})
    context = {"plan": plan, "form": form, "page_title": f"PDF of {plan.full_title}"}
    if data is None or not form.is_valid():
        return render(request, "plans/pdf_options.html", context, status=400 if data is not None else 200)
    options = form.to_options()
    too_big = [f"{count:,} {what} (at most {limit:,})" for what, count, limit in estimate_work(plan, options).over()]
    if too_big:
        return render(request, "plans/pdf_options.html", {**context, "too_big": too_big})
    try:
        result = render_in_child(plan, options, user=request.user)
    except SlotsBusy:
        response = render(request, "plans/pdf_options.html", {**context, "busy": True}, status=503)
        response["Retry-After"] = str(settings.PDF_DIRECT_TIMEOUT)
        return response
    except RenderFailed as error:
        return render(request, "plans/pdf_options.html", {**context, "failed": error}, status=503)
    return pdf_response(result.pdf, pdf_filename(plan, options))
