"""The plan PDF: options page and download. A small selection renders in this process while
the browser waits; a bigger one is prepared by a task worker (``PdfRequest``) and downloaded
from its own page. No view here starts a process."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Marking
from partners.pdf import RenderFailed
from partners.slots import SlotsBusy

from ..access import get_plan_for_user
from ..models import PdfRequest
from ..pdf.data import estimate_work, plan_queryset
from ..pdf.options import PdfOptionsForm
from ..pdf.packs import pack_refresh, pdf_request, pdf_try_again
from ..pdf.render import render_direct

RECENT_PDFS = 5


def pdf_filename(plan, options):
    suffix = f"-priority-{options.priority}" if options.priority else ""
    suffix += f"-since-{options.since:%Y-%m-%d}" if options.since else ""
    return f"{plan.slug}{suffix}-{timezone.localdate():%Y-%m-%d}.pdf"


def pdf_response(pdf, filename):
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _options_context(request, plan, form):
    """The options page's context, with the user's own recent prepared PDFs of this plan (their
    states as recorded: each one's page asks the queue for more)."""
    my_pdfs = PdfRequest.objects.asked_by(request.user).filter(plan=plan).select_related("plan")[:RECENT_PDFS]
    return {
        "plan": plan,
        "form": form,
        "my_pdfs": my_pdfs,
        "keep_days": settings.PDF_REQUEST_KEEP_DAYS,
        "page_title": f"PDF of {plan.full_title}",
    }


@login_required
@require_http_methods(["GET", "POST"])
def plan_pdf(request, slug):
    """Choose the options of the plan's PDF; with ``download`` set, produce it.

    Small selections (counted by the work they print: actions, updates, characters) render
    here and now, when one of the machine's heavy-work slots is free; bigger ones are
    offered "Prepare the PDF", a task rendered in the background."""
    plan, _ = get_plan_for_user(request, slug, queryset=plan_queryset())
    data = request.POST if request.method == "POST" else (request.GET if "download" in request.GET else None)
    form = PdfOptionsForm(plan, request.user, data, initial={"include_closed": True})
    context = _options_context(request, plan, form)
    if data is None or not form.is_valid():
        return render(request, "plans/pdf_options.html", context, status=400 if data is not None else 200)
    options = form.to_options()
    too_big = [f"{count:,} {what} (at most {limit:,})" for what, count, limit in estimate_work(plan, options).over()]
    if too_big:
        return render(request, "plans/pdf_options.html", {**context, "too_big": too_big})
    try:
        result = render_direct(plan, options, user=request.user)
    except SlotsBusy:
        response = render(request, "plans/pdf_options.html", {**context, "busy": True}, status=503)
        response["Retry-After"] = str(settings.PDF_DIRECT_TIMEOUT)
        return response
    except RenderFailed as error:
        return render(request, "plans/pdf_options.html", {**context, "failed": error}, status=503)
    return pdf_response(result.pdf, pdf_filename(plan, options))


@login_required
@require_POST
def pdf_prepare(request, slug):
    """ "Prepare the PDF": queue the render of these options for this user and show its page."""
    plan, _ = get_plan_for_user(request, slug, queryset=plan_queryset())
    form = PdfOptionsForm(plan, request.user, request.POST)
    if not form.is_valid():
        return render(request, "plans/pdf_options.html", _options_context(request, plan, form), status=400)
    pdf = pdf_request(plan=plan, options=form.to_options(), user=request.user)
    return redirect(pdf)


def _pdf_request(request, slug, pk):
    """``(plan, rights, pdf)``: only the person who asked sees a prepared PDF (404 for anyone else)."""
    plan, rights = get_plan_for_user(request, slug)
    pdf = get_object_or_404(PdfRequest.objects.asked_by(request.user).select_related("plan"), pk=pk, plan=plan)
    return plan, rights, pdf


@login_required
@require_safe
def pdf_request_detail(request, slug, pk):
    """A prepared PDF's place in the queue or progress (followed in place), then its download
    link, or why it failed and, where another attempt can help, "Try again"."""
    plan, _, pdf = _pdf_request(request, slug, pk)
    pdf = pack_refresh(pdf)
    return render(
        request,
        "plans/pdf_request.html",
        {
            "plan": plan,
            "pdf": pdf,
            "keep_days": settings.PDF_REQUEST_KEEP_DAYS,
            "page_title": f"PDF of {plan.full_title}",
        },
    )


@login_required
@require_safe
def pdf_request_download(request, slug, pk):
    """The prepared file, exactly as produced, while it is kept."""
    plan, rights, pdf = _pdf_request(request, slug, pk)
    if pdf.state != PdfRequest.State.DONE or not pdf.file:
        raise Http404("This PDF is not ready.")
    # Roles change: an OFFICIAL-SENSITIVE file is given only to who may still read it.
    if pdf.marking == Marking.OFFICIAL_SENSITIVE.label and not rights.is_senior:
        raise PermissionDenied("This PDF is OFFICIAL-SENSITIVE.")
    response = FileResponse(
        pdf.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=pdf.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def pdf_request_try_again(request, slug, pk):
    """Queue a failed prepared PDF once more, where that can help (not when it was too big)."""
    _, _, pdf = _pdf_request(request, slug, pk)
    if not pdf_try_again(pdf):
        messages.error(request, "This PDF cannot be tried again as it is: choose one priority or owner instead.")
    return redirect(pdf)
