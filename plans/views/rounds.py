"""Update rounds: the chair opens one for a meeting, follows it on the tracker, chases, extends
or closes it; owners answer ("no change" or an update) and sign off."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.access import get_action_for_user
from actions.models import withhold_texts
from partners.views.forms import form_page

from .. import reminders
from ..access import get_plan_for_user
from ..models import Meeting, UpdateRound
from ..quality import plan_quality
from ..round_forms import NoChangeForm, RoundExtendForm, RoundOpenForm
from ..rounds import round_answer_no_change, round_close, round_extend, round_open, round_progress, round_sign_off


def _round(request, slug, round_id, *, senior=False):
    """``(plan, rights, round)``: the round must ask about ``plan``; 403 for ``senior`` pages
    unless the user is the partnership's chair or an administrator."""
    plan, rights = get_plan_for_user(request, slug)
    update_round = get_object_or_404(
        UpdateRound.objects.select_related("meeting__partnership", "meeting__group", "opened_by"),
        pk=round_id,
        plans=plan,
    )
    if senior and not rights.is_senior:
        raise PermissionDenied("Only the chair or an administrator may manage update rounds.")
    return plan, rights, update_round


def _tracker_url(plan, update_round):
    return reverse("plans:round", args=[plan.slug, update_round.pk])


@login_required
@require_http_methods(["GET", "POST"])
def round_open_view(request, slug, meeting_id):
    """Open an update round for a meeting (chairs and admins)."""
    plan, rights = get_plan_for_user(request, slug)
    meeting = get_object_or_404(Meeting, pk=meeting_id, partnership_id=plan.partnership_id)
    if not rights.is_senior:
        raise PermissionDenied("Only the chair or an administrator may open an update round.")
    form = RoundOpenForm(plan, request.POST or None)
    return form_page(
        request,
        plan.partnership,
        form,
        functools.partial(round_open, meeting=meeting, opened_by=request.user),
        saved=lambda r: (
            f"Update round opened: {r.actions.count()} actions, deadline {reminders.long_date(r.deadline)}."
        ),
        next_url=lambda r: _tracker_url(plan, r),
        title=f"Ask for updates before {meeting}",
        cancel_url=reverse("plans:meeting", args=[plan.slug, meeting.pk]),
        submit_label="Open the round",
        template="plans/round_form.html",
        plan=plan,
        meeting=meeting,
        intro="Each owner gets one email listing their actions: when the round opens, before the deadline, "
        "and the morning after if they missed it. At the deadline the round closes and the meeting pack is frozen.",
    )


@login_required
@require_safe
def round_tracker(request, slug, round_id):
    """Who has answered: per owning team and per person, with the last reminder sent; and the
    monitoring quality of the plan per owning team (plans/quality.py)."""
    plan, _, update_round = _round(request, slug, round_id, senior=True)
    progress = round_progress(update_round)
    withhold_texts(request.user, [line.action for line in progress.lines])
    return render(
        request,
        "plans/round_tracker.html",
        {
            "plan": plan,
            "round": update_round,
            "progress": progress,
            "packs": list(update_round.packs.select_related("plan")),
            "quality": plan_quality(plan, request.user),  # the tracker is for chairs and admins only
            "page_title": f"Updates for {update_round.meeting}",
        },
    )


@login_required
@require_POST
def round_chase(request, slug, round_id):
    """Send one reminder now to everyone still owing (not to those reminded today)."""
    plan, _, update_round = _round(request, slug, round_id, senior=True)
    if not update_round.is_open:
        messages.error(request, "This round is closed: there is nobody to chase.")
        return redirect(_tracker_url(plan, update_round))
    report = reminders.send_chase(update_round)
    sent, skipped = len(report.sent), len(report.skipped)
    text = f"Reminder sent to {sent} {'person' if sent == 1 else 'people'}."
    if skipped:
        text += f" {skipped} already had a reminder today and will not get another."
    messages.success(request, text)
    return redirect(_tracker_url(plan, update_round))


@login_required
@require_http_methods(["GET", "POST"])
def round_extend_view(request, slug, round_id):
    """Move the deadline of an open round; the people still owing are told."""
    plan, _, update_round = _round(request, slug, round_id, senior=True)
    if not update_round.is_open:
        raise PermissionDenied("This round is closed.")
    local = timezone.localtime(update_round.deadline)
    form = RoundExtendForm(request.POST or None, initial={"deadline_date": local.date(), "deadline_time": local.time()})

    def save(**data):
        changed = round_extend(update_round=update_round, changed_by=request.user, **data)
        reminders.send_deadline_changed(changed)
        return changed

    return form_page(
        request,
        plan.partnership,
        form,
        save,
        saved=lambda r: f"Deadline moved to {reminders.long_date(r.deadline)}; the owners still owing were told.",
        next_url=_tracker_url(plan, update_round),
        error_field="deadline_date",
        title="Change the deadline",
        cancel_url=_tracker_url(plan, update_round),
        submit_label="Change the deadline",
        template="plans/round_form.html",
        plan=plan,
        round=update_round,
        intro=f"The deadline is {reminders.long_date(update_round.deadline)}.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_close_view(request, slug, round_id):
    """Close an open round before its deadline, after confirming: the pack is frozen now."""
    plan, _, update_round = _round(request, slug, round_id, senior=True)
    if request.method == "POST":
        if round_close(update_round=update_round, closed_by=request.user) is None:
            messages.error(request, "This round was already closed.")
        else:
            reminders.send_closed_early(update_round)
            messages.success(request, "Round closed: the meeting pack is being produced.")
        return redirect(_tracker_url(plan, update_round))
    return render(
        request,
        "plans/round_close.html",
        {"plan": plan, "round": update_round, "page_title": f"Close the update round for {update_round.meeting}"},
    )


@login_required
@require_safe
def round_mine(request, slug, round_id):
    """An owner's page of the round: their actions, answered or not, and the sign-off."""
    plan, _, update_round = _round(request, slug, round_id)
    progress = round_progress(update_round)
    withhold_texts(request.user, [line.action for line in progress.lines])
    person = progress.person(request.user.pk)
    return render(
        request,
        "plans/round_mine.html",
        {
            "plan": plan,
            "round": update_round,
            "person": person,
            "page_title": f"Your updates for {update_round.meeting}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def round_no_change(request, slug, round_id, action_id):
    """Answer an action with "no change since the last update" (keeping its rating)."""
    plan, _, update_round = _round(request, slug, round_id)
    action, _ = get_action_for_user(request, action_id, for_edit=True)
    if not update_round.actions.filter(pk=action.pk).exists():
        raise PermissionDenied("This action is not part of the round.")
    return form_page(
        request,
        plan.partnership,
        NoChangeForm(request.POST or None),
        functools.partial(round_answer_no_change, update_round=update_round, action=action, author=request.user),
        saved="Answered: no change since the last update.",
        next_url=reverse("plans:round_mine", args=[plan.slug, update_round.pk]),
        title="No change since the last update",
        cancel_url=reverse("plans:round_mine", args=[plan.slug, update_round.pk]),
        submit_label="Confirm no change",
        template="plans/round_form.html",
        plan=plan,
        round=update_round,
        action=action,
        intro=f"“{action.text}” keeps its rating ({action.get_rag_display()}). "
        "A dated update saying there is no change is added to the action.",
    )


@login_required
@require_POST
def round_sign_off_view(request, slug, round_id):
    """ "I have updated all my actions": refused, listing them, while any is unanswered."""
    plan, _, update_round = _round(request, slug, round_id)
    try:
        round_sign_off(update_round=update_round, user=request.user)
    except ValidationError as error:
        progress = round_progress(update_round)
        withhold_texts(request.user, [line.action for line in progress.lines])
        return render(
            request,
            "plans/round_mine.html",
            {
                "plan": plan,
                "round": update_round,
                "person": progress.person(request.user.pk),
                "sign_off_error": error.messages[0],
                "page_title": f"Your updates for {update_round.meeting}",
            },
            status=400,
        )
    messages.success(request, "Signed off: thank you for updating all your actions.")
    return redirect("plans:round_mine", slug=plan.slug, round_id=update_round.pk)
