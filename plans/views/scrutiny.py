"""The scrutiny pack of a plan year (issue 16): a chair or administrator chooses the plan and
the committee, the pack renders in the background like a meeting pack, and its page follows
the render and offers the download. The pack is OFFICIAL (``plans/pdf/scrutiny.py``)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from partners.fields import DateField
from partners.voice import Form

from ..access import get_plan_for_user
from ..models import ActionPlan, MeetingPack
from ..pdf.packs import pack_refresh, pack_request
from ..pdf.scrutiny import DEFAULT_COMMITTEE, ScrutinyOptions

SCRUTINY = MeetingPack.Kind.SCRUTINY


class ScrutinyPackForm(Form):
    plan = forms.ModelChoiceField(
        queryset=ActionPlan.objects.none(), label="Plan year", empty_label=None, to_field_name="slug"
    )
    committee_title = forms.CharField(
        max_length=200,
        required=False,
        label="Committee (optional)",
        help_text=f"Leave blank for “{DEFAULT_COMMITTEE}”.",
    )
    committee_date = DateField(required=False, label="Date the committee meets (optional)")

    def __init__(self, plan, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the plans of this partnership: another partnership's plan is not a choice.
        self.fields["plan"].queryset = ActionPlan.objects.filter(partnership_id=plan.partnership_id).order_by(
            "-start_year", "slug"
        )
        self.fields["plan"].initial = plan.slug

    def to_options(self):
        return ScrutinyOptions(
            committee_title=self.cleaned_data["committee_title"].strip(),
            committee_date=self.cleaned_data["committee_date"],
        )


def _senior_plan(request, slug):
    plan, rights = get_plan_for_user(request, slug)
    if not rights.is_senior:
        raise PermissionDenied("Only the chair or an administrator may produce a scrutiny pack.")
    return plan, rights


@login_required
@require_http_methods(["GET", "POST"])
def scrutiny_options(request, slug):
    """Choose the plan year and the committee, and queue the pack; the packs produced before."""
    plan, _ = _senior_plan(request, slug)
    form = ScrutinyPackForm(plan, request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            chosen = form.cleaned_data["plan"]
            pack = pack_request(meeting=None, plan=chosen, options=form.to_options(), user=request.user, kind=SCRUTINY)
            return redirect("plans:scrutiny_pack", slug=chosen.slug, pack_id=pack.pk)
        status = 400
    packs = MeetingPack.objects.filter(plan=plan, kind=SCRUTINY).select_related("plan__partnership", "created_by")
    return render(
        request,
        "plans/scrutiny_options.html",
        {"plan": plan, "form": form, "packs": packs, "page_title": f"Scrutiny pack: {plan.full_title}"},
        status=status,
    )


def _pack(request, slug, pack_id):
    """The plan's scrutiny pack ``pack_id``: anyone with a role in the partnership may follow
    it and download it (it is OFFICIAL); another plan's or kind's pack is not found."""
    plan, rights = get_plan_for_user(request, slug)
    pack = get_object_or_404(
        MeetingPack.objects.select_related("plan__partnership", "created_by"), pk=pack_id, plan=plan, kind=SCRUTINY
    )
    return plan, rights, pack


@login_required
@require_safe
def scrutiny_pack(request, slug, pack_id):
    """The pack's progress (updated in place while it renders) and its download link."""
    plan, rights, pack = _pack(request, slug, pack_id)
    pack = pack_refresh(pack)
    return render(
        request,
        "plans/scrutiny_pack.html",
        {
            "plan": plan,
            "pack": pack,
            "options": ScrutinyOptions.from_dict(pack.options),
            "may_produce": rights.is_senior,
            "working": pack.state in (MeetingPack.State.PENDING, MeetingPack.State.RUNNING),
            "page_title": f"Scrutiny pack: {plan.full_title}",
        },
    )


@login_required
@require_safe
def scrutiny_pack_download(request, slug, pack_id):
    """The frozen file, exactly as produced."""
    _, _, pack = _pack(request, slug, pack_id)
    if pack.state != MeetingPack.State.DONE or not pack.file:
        raise Http404("This pack is not ready.")
    response = FileResponse(
        pack.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=pack.file.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "private, no-store"
    return response
