"""RAG meetings of a partnership and the frozen PDF packs produced for them."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Marking
from partners.fields import DateField

from ..access import get_plan_for_user
from ..meeting_services import meeting_create, meeting_delete, meeting_deletion_refusal, meeting_edit
from ..models import ActionPlan, Meeting, MeetingPack
from ..pdf.data import plan_queryset
from ..pdf.options import PdfOptionsForm
from ..pdf.packs import pack_refresh, pack_request


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200, label="Title", help_text="For example, “RAG meeting, January 2020”.")
    date = DateField(
        label="Date",
        help_text="For example, 2020-01-27.",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input govuk-input--width-10"}, format="%Y-%m-%d"),
    )


def _meeting(plan, meeting_id):
    return get_object_or_404(Meeting, pk=meeting_id, partnership_id=plan.partnership_id)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_list(request, slug):
    """The partnership's meetings, newest first; chairs and admins add new ones here."""
    plan, rights = get_plan_for_user(request, slug)
    may_create = rights.is_senior
    form = MeetingForm()
    status = 200
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("Only the chair or an administrator may add meetings.")
        form = MeetingForm(request.POST)
        if form.is_valid():
            meeting = meeting_create(partnership=plan.partnership, **form.cleaned_data)
            messages.success(request, f"Meeting “{meeting.title}” added.")
            return redirect("plans:meeting", slug=plan.slug, meeting_id=meeting.pk)
        status = 400
    meetings = Meeting.objects.filter(partnership=plan.partnership).order_by("-date")
    return render(
        request,
        "plans/meeting_list.html",
        {
            "plan": plan,
            "meetings": meetings,
            "form": form,
            "may_create": may_create,
            "page_title": f"Meetings of {plan.partnership.name}",
        },
        status=status,
    )


@login_required
@require_safe
def meeting_detail(request, slug, meeting_id):
    """A meeting: its packs, and (for the chair) the form to produce one."""
    plan, rights = get_plan_for_user(request, slug, queryset=plan_queryset())
    meeting = _meeting(plan, meeting_id)
    previous = meeting.previous()
    may_produce = rights.is_senior
    form = None
    if may_produce:
        initial = {"include_closed": True, "meeting_mode": previous is not None}
        if previous:
            initial["since"] = previous.date
        form = PdfOptionsForm(plan, request.user, initial=initial)
    # Only packs of plans the user sees: a pack of a draft would be a link to a 404.
    packs = [
        pack_refresh(p)
        for p in meeting.packs.filter(plan__in=ActionPlan.objects.for_user(request.user)).select_related(
            "plan__partnership", "created_by"
        )
    ]
    return render(
        request,
        "plans/meeting_detail.html",
        {
            "plan": plan,
            "meeting": meeting,
            "previous": previous,
            "packs": packs,
            "form": form,
            "may_change": rights.is_senior,
            "page_title": str(meeting),
        },
    )


def _meeting_for_change(request, slug, meeting_id):
    plan, rights = get_plan_for_user(request, slug)
    meeting = _meeting(plan, meeting_id)
    if not rights.is_senior:
        raise PermissionDenied("Only the chair or an administrator may change meetings.")
    return plan, meeting


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit_view(request, slug, meeting_id):
    """Change a meeting's title or date (chairs and admins)."""
    plan, meeting = _meeting_for_change(request, slug, meeting_id)
    form = MeetingForm(request.POST or None, initial={"title": meeting.title, "date": meeting.date})
    if request.method == "POST" and form.is_valid():
        meeting_edit(meeting=meeting, **form.cleaned_data)
        messages.success(request, f"Meeting “{meeting.title}” saved.")
        return redirect("plans:meeting", slug=plan.slug, meeting_id=meeting.pk)
    return render(
        request,
        "plans/meeting_edit.html",
        {"plan": plan, "meeting": meeting, "form": form, "page_title": f"Change {meeting}"},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_delete_view(request, slug, meeting_id):
    """Delete a meeting after confirming (chairs and admins); refused, saying why, while it has packs."""
    plan, meeting = _meeting_for_change(request, slug, meeting_id)
    if request.method == "POST":
        try:
            meeting_delete(meeting=meeting)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect("plans:meeting", slug=plan.slug, meeting_id=meeting.pk)
        messages.success(request, f"Meeting “{meeting.title}” deleted.")
        return redirect("plans:meetings", slug=plan.slug)
    return render(
        request,
        "plans/meeting_delete.html",
        {
            "plan": plan,
            "meeting": meeting,
            "refusal": meeting_deletion_refusal(meeting),
            "page_title": f"Delete {meeting}",
        },
    )


@login_required
@require_POST
def pack_create(request, slug, meeting_id):
    plan, rights = get_plan_for_user(request, slug, queryset=plan_queryset())
    meeting = _meeting(plan, meeting_id)
    if not rights.is_senior:
        raise PermissionDenied("Only the chair or an administrator may produce a meeting pack.")
    form = PdfOptionsForm(plan, request.user, request.POST)
    if not form.is_valid():
        return render(
            request,
            "plans/meeting_detail.html",
            {
                "plan": plan,
                "meeting": meeting,
                "previous": meeting.previous(),
                "packs": list(meeting.packs.select_related("plan__partnership", "created_by")),
                "form": form,
                "page_title": str(meeting),
            },
            status=400,
        )
    pack = pack_request(
        meeting=meeting, plan=plan, options=form.to_options(meeting_title=str(meeting)), user=request.user
    )
    return redirect("plans:pack", slug=plan.slug, meeting_id=meeting.pk, pack_id=pack.pk)


def _pack(request, slug, meeting_id, pack_id):
    plan, rights = get_plan_for_user(request, slug)
    meeting = _meeting(plan, meeting_id)
    pack = get_object_or_404(MeetingPack.objects.select_related("created_by"), pk=pack_id, meeting=meeting, plan=plan)
    return plan, rights, meeting, pack


@login_required
@require_safe
def pack_detail(request, slug, meeting_id, pack_id):
    """A pack's progress (the page refreshes itself while it renders) and its download link."""
    plan, _, meeting, pack = _pack(request, slug, meeting_id, pack_id)
    pack = pack_refresh(pack)
    return render(
        request,
        "plans/meeting_pack.html",
        {
            "plan": plan,
            "meeting": meeting,
            "pack": pack,
            "working": pack.state in (MeetingPack.State.PENDING, MeetingPack.State.RUNNING),
            "page_title": f"Pack for {meeting}",
        },
    )


@login_required
@require_safe
def pack_download(request, slug, meeting_id, pack_id):
    """The frozen file, exactly as produced."""
    plan, rights, meeting, pack = _pack(request, slug, meeting_id, pack_id)
    if pack.state != MeetingPack.State.DONE or not pack.file:
        raise Http404("This pack is not ready.")
    if pack.marking == Marking.OFFICIAL_SENSITIVE.label and not rights.is_senior:
        raise PermissionDenied("This pack is OFFICIAL-SENSITIVE.")
    response = FileResponse(
        pack.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=pack.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
