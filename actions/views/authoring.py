"""Writing the plan's actions: new action, officers' proposals and their decision, move,
reorder, close, reopen, delete. Each page goes through the one form page
(``partners.views.forms.form_page``) to a service of ``actions.authoring``."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from partners.views.forms import form_page
from plans.access import get_plan_for_user

from .. import authoring
from ..access import get_action_for_user
from ..authoring_forms import (
    ActionCloseForm,
    ActionMoveForm,
    ActionNewForm,
    ActionProposeForm,
    ActionReopenForm,
    ProposalDecideForm,
    plan_issues,
)
from ..models import Action, Status, withhold_texts

TEMPLATE = "actions/authoring_form.html"


def _initial_issue(request, issues):
    """The issue named by ``?issue=`` when it is one of ``issues`` (a tampered one is ignored)."""
    try:
        return issues.filter(pk=int(request.GET.get("issue", ""))).first()
    except ValueError:
        return None


def _refuse_archived(plan):
    if plan.is_archived:
        raise PermissionDenied(f"{plan.full_title} is archived, so its actions can no longer change.")


@login_required
@require_http_methods(["GET", "POST"])
def action_new(request, slug):
    """A new action of the plan, under the issue chosen (``?issue=`` preselects it)."""
    plan, rights = get_plan_for_user(request, slug)
    _refuse_archived(plan)
    if not rights.may_author:
        raise PermissionDenied("Only a partnership administrator (or a chair, when allowed) adds actions.")
    issues = plan_issues(plan)
    issue = _initial_issue(request, issues)
    form = ActionNewForm(request.POST or None, plan=plan, initial={"issue": issue, "rag": ""})
    return form_page(
        request,
        plan.partnership,
        form,
        partial(authoring.action_create, author=request.user),
        saved="The action has been added.",
        next_url=lambda action: action.get_absolute_url(),
        title="Add an action",
        cancel_url=issue.get_absolute_url() if issue else plan.get_absolute_url(),
        submit_label="Add action",
        template=TEMPLATE,
        plan=plan,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_propose(request, slug):
    """An officer proposes an action under an issue their team works on."""
    plan, _ = get_plan_for_user(request, slug)
    _refuse_archived(plan)
    issues = plan_issues(plan).filter(pk__in=Action.objects.owned_by(request.user).agreed().values("issue_id"))
    if not issues.exists():
        raise PermissionDenied("You may propose actions only under an issue your team works on.")
    issue = _initial_issue(request, issues)
    form = ActionProposeForm(request.POST or None, plan=plan, issues=issues, initial={"issue": issue})
    return form_page(
        request,
        plan.partnership,
        form,
        partial(authoring.action_propose, proposer=request.user),
        saved="Your proposal has been sent. An administrator will accept or reject it; see it on My actions.",
        next_url=lambda action: action.get_absolute_url(),
        title="Propose an action",
        intro="It is added to the plan when a partnership administrator accepts it.",
        cancel_url=issue.get_absolute_url() if issue else plan.get_absolute_url(),
        submit_label="Send proposal",
        template=TEMPLATE,
        plan=plan,
    )


@login_required
@require_GET
def proposals(request, slug):
    """The plan's pending proposals, for those who decide them."""
    plan, rights = get_plan_for_user(request, slug)
    if not rights.may_author:
        raise PermissionDenied("Only a partnership administrator (or a chair, when allowed) decides proposals.")
    pending = (
        Action.objects.filter(issue__priority__plan=plan, status=Status.PROPOSED)
        .select_related("issue__priority", "proposed_by")
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "actions/proposals.html",
        {"plan": plan, "proposals": withhold_texts(request.user, pending), "page_title": "Proposed actions"},
    )


def _authored(request, pk, *, admin_only=False):
    """``(action, rights)`` for a page that writes the plan: 404 to outsiders, 403 unless
    the user may author (or, with ``admin_only``, is the admin) in an open plan."""
    action, rights = get_action_for_user(request, pk)
    _refuse_archived(action.plan)
    if not rights.may_author or (admin_only and not rights.is_admin):
        raise PermissionDenied("Only a partnership administrator may do this.")
    return action, rights


def _action_page(request, action, rights, form, save, *, saved, title, submit_label, next_url=None, **extra):
    return form_page(
        request,
        action.plan.partnership,
        form,
        save,
        saved=saved,
        next_url=next_url or action.get_absolute_url(),
        title=title,
        cancel_url=action.get_absolute_url(),
        submit_label=submit_label,
        template=TEMPLATE,
        plan=action.plan,
        action=action,
        rights=rights,
        **extra,
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposal_decide(request, pk):
    """Accept a proposal (it joins the plan) or reject it with a reason."""
    action, rights = _authored(request, pk)
    if action.status != Status.PROPOSED:
        raise PermissionDenied("This is not a proposal waiting for a decision.")

    def decide(*, decision, reason):
        if decision == "accept":
            return authoring.proposal_accept(action=action, editor=request.user, reason=reason)
        return authoring.proposal_reject(action=action, editor=request.user, reason=reason)

    return _action_page(
        request,
        action,
        rights,
        ProposalDecideForm(request.POST or None),
        decide,
        saved=lambda decided: (
            "The proposal has been accepted: the action is in the plan."
            if decided.status == Status.OPEN
            else "The proposal has been rejected."
        ),
        next_url=lambda decided: decided.get_absolute_url(),
        title="Decide on a proposed action",
        submit_label="Save decision",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_move(request, pk):
    """Move the action to another issue, under any priority of its plan."""
    action, rights = _authored(request, pk)
    return _action_page(
        request,
        action,
        rights,
        ActionMoveForm(request.POST or None, action=action),
        partial(authoring.action_move, action=action, editor=request.user),
        saved="The action has been moved.",
        title="Move the action",
        submit_label="Move action",
    )


@login_required
@require_POST
def action_reorder(request, pk):
    """Move the action up or down within its issue; back to the plan, at the issue."""
    action, _ = _authored(request, pk)
    direction = request.POST.get("direction")
    if direction not in ("up", "down"):
        messages.error(request, "Choose to move the action up or down.")
        return redirect(action.issue.get_absolute_url())
    try:
        authoring.action_reorder(action=action, editor=request.user, direction=direction)
    except ValidationError as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, f"The action has been moved {direction}.")
    return redirect(action.issue.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def action_close(request, pk):
    """Close the action as completed, discharged or cancelled, with a reason."""
    action, rights = _authored(request, pk)
    return _action_page(
        request,
        action,
        rights,
        ActionCloseForm(request.POST or None),
        partial(authoring.action_close, action=action, editor=request.user),
        saved="The action has been closed.",
        title="Close the action",
        submit_label="Close action",
        error_field="status",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_reopen(request, pk):
    """Reopen a closed action, with a reason."""
    action, rights = _authored(request, pk)
    return _action_page(
        request,
        action,
        rights,
        ActionReopenForm(request.POST or None),
        partial(authoring.action_reopen, action=action, editor=request.user),
        saved="The action has been reopened.",
        title="Reopen the action",
        submit_label="Reopen action",
        error_field="reason",
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_delete(request, pk):
    """Delete an action added by mistake (an admin's act, only without updates), after a confirmation."""
    action, rights = _authored(request, pk, admin_only=True)
    has_updates = action.updates.exists()
    if request.method == "POST" and not has_updates:
        authoring.action_delete(action=action, editor=request.user)
        messages.success(request, "The action has been deleted. It is kept in the history.")
        return redirect(action.issue.get_absolute_url())
    return render(
        request,
        "actions/action_delete.html",
        {"action": action, "rights": rights, "has_updates": has_updates, "page_title": "Delete the action"},
        status=400 if request.method == "POST" else 200,
    )
