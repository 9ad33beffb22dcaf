"""An action's milestones: add, change, delete, move up or down, tick off and undo. For
whoever may edit the action (``get_action_for_user(..., for_edit=True)``: 403 to readers and
in an archived plan); each page goes through the one form page to ``actions.milestone_services``."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from partners.fields import format_date
from partners.views.forms import form_page

from .. import milestone_services as services
from ..access import get_action_for_user
from ..milestone_forms import MilestoneDoneForm, MilestoneForm
from ..models import WITHHELD_TEXT, Milestone

TEMPLATE = "actions/milestone_form.html"


def _editable_milestone(request, pk, milestone_pk):
    """``(action, rights, milestone)``: 404 when the action is not visible or the milestone
    is not its own, 403 unless the user may edit the action."""
    action, rights = get_action_for_user(request, pk, for_edit=True)
    try:
        milestone = Milestone.objects.get(pk=milestone_pk, action=action)
    except (Milestone.DoesNotExist, ValueError, TypeError):
        raise Http404("No such milestone") from None
    milestone.action = action
    return action, rights, milestone


def milestone_text(action, milestone):
    return WITHHELD_TEXT if action.text_withheld else milestone.text


def _page(request, action, rights, form, save, *, saved, title, submit_label, **extra):
    return form_page(
        request,
        action.plan.partnership,
        form,
        save,
        saved=saved,
        next_url=f"{action.get_absolute_url()}#milestones",
        error_field=None,
        title=title,
        cancel_url=f"{action.get_absolute_url()}#milestones",
        submit_label=submit_label,
        template=TEMPLATE,
        action=action,
        plan=action.plan,
        rights=rights,
        **extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_add(request, pk):
    """Add a milestone at the end of the action's milestones."""
    action, rights = get_action_for_user(request, pk, for_edit=True)
    form = MilestoneForm(request.POST or None, action=action)
    return _page(
        request,
        action,
        rights,
        form,
        partial(services.milestone_add, action=action, editor=request.user),
        saved="The milestone has been added.",
        title="Add a milestone",
        submit_label="Add milestone",
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_edit(request, pk, milestone_pk):
    """Change a milestone's text, due date and owner."""
    action, rights, milestone = _editable_milestone(request, pk, milestone_pk)
    may_read = not action.text_withheld
    initial = {
        "text": milestone.text if may_read else "",
        "due_date": format_date(milestone.due_date),
        "owner_team": milestone.owner_team_id,
        "owner_role": milestone.owner_role,
    }
    form = MilestoneForm(
        request.POST or None, action=action, milestone=milestone, may_read_text=may_read, initial=initial
    )
    return _page(
        request,
        action,
        rights,
        form,
        partial(services.milestone_edit, milestone=milestone, editor=request.user),
        saved="The milestone has been changed.",
        title="Change the milestone",
        submit_label="Save changes",
        milestone=milestone,
        milestone_text=milestone_text(action, milestone),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_done(request, pk, milestone_pk):
    """Tick a milestone off, with the date it was done (today unless changed)."""
    action, rights, milestone = _editable_milestone(request, pk, milestone_pk)
    initial = {"done_on": format_date(milestone.done_on or timezone.localdate())}
    form = MilestoneDoneForm(request.POST or None, initial=initial)
    return _page(
        request,
        action,
        rights,
        form,
        partial(services.milestone_done, milestone=milestone, editor=request.user),
        saved="The milestone is marked as done.",
        title="Mark the milestone as done",
        submit_label="Mark as done",
        milestone=milestone,
        milestone_text=milestone_text(action, milestone),
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_delete(request, pk, milestone_pk):
    """Delete a milestone after a confirmation page. Its history keeps it."""
    action, rights, milestone = _editable_milestone(request, pk, milestone_pk)
    if request.method == "POST":
        try:
            services.milestone_delete(milestone=milestone, editor=request.user)
        except ValidationError as refusal:
            messages.error(request, refusal.messages[0])
        else:
            messages.success(request, "The milestone has been deleted. It is kept in the history.")
        return redirect(f"{action.get_absolute_url()}#milestones")
    return render(
        request,
        "actions/milestone_delete.html",
        {
            "action": action,
            "plan": action.plan,
            "rights": rights,
            "milestone": milestone,
            "milestone_text": milestone_text(action, milestone),
            "page_title": "Delete the milestone",
        },
    )


def _one_click(request, pk, milestone_pk, act, done_message):
    action, _, milestone = _editable_milestone(request, pk, milestone_pk)
    try:
        act(milestone=milestone, editor=request.user)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, done_message)
    return redirect(f"{action.get_absolute_url()}#milestones")


@login_required
@require_POST
def milestone_move(request, pk, milestone_pk):
    """Move a milestone up or down the action's list."""
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        action, _, _ = _editable_milestone(request, pk, milestone_pk)
        messages.error(request, "Choose to move the milestone up or down.")
        return redirect(f"{action.get_absolute_url()}#milestones")
    move = partial(services.milestone_move, direction=direction)
    return _one_click(request, pk, milestone_pk, move, f"The milestone has been moved {direction}.")


@login_required
@require_POST
def milestone_undo(request, pk, milestone_pk):
    """Mark a milestone as not done after all."""
    return _one_click(request, pk, milestone_pk, services.milestone_undo, "The milestone is marked as not done.")
