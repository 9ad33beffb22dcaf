"""The plan PDF: options page and download (rendered in a limited child process)."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.models import Action, Status

from ..access import get_plan_for_user
from ..pdf.data import plan_queryset
from ..pdf.options import PdfOptionsForm
from ..pdf.render import RenderFailed, render_in_child


def _selected_action_count(plan, options):
    actions = Action.objects.in_plan(plan)
    if options.priority:
        actions = actions.filter(issue__priority__number=options.priority)
    if not options.include_closed:
        actions = actions.filter(status=Status.OPEN)
    return actions.count()


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

    Small selections render straight away (in a child process with time and memory
    limits); bigger ones must go through a meeting pack, rendered in the background."""
    plan = get_plan_for_user(request, slug, queryset=plan_queryset())
    request.current_partnership = plan.partnership
    data = request.POST if request.method == "POST" else (request.GET if "download" in request.GET else None)
    form = PdfOptionsForm(plan, request.user, data, initial={"include_closed": True})
    too_big = None
    if data is not None and form.is_valid():
        options = form.to_options()
        count = _selected_action_count(plan, options)
        if count > settings.PDF_DIRECT_MAX_ACTIONS:
            too_big = count
        else:
            try:
                result = render_in_child(plan, options, user=request.user)
            except RenderFailed:
                return render(
                    request,
                    "plans/pdf_options.html",
                    {"plan": plan, "form": form, "failed": True, "page_title": f"PDF of {plan.full_title}"},
                    status=503,
                )
            return pdf_response(result.pdf, pdf_filename(plan, options))
    return render(
        request,
        "plans/pdf_options.html",
        {
            "plan": plan,
            "form": form,
            "too_big": too_big,
            "limit": settings.PDF_DIRECT_MAX_ACTIONS,
            "page_title": f"PDF of {plan.full_title}",
        },
        status=400 if data is not None and not form.is_valid() else 200,
    )
