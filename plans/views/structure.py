"""Writing the plan's structure: priorities and issues (add, edit, move, remove), and
publishing a draft plan. For the partnership's admins, and its chairs when the
partnership lets them write the plan (``plans.access.get_plan_for_author``)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from partners.views.forms import form_page

from .. import structure_services as services
from ..access import get_plan_for_author, get_plan_for_user
from ..models import Issue, Priority
from ..structure_forms import IssueForm, IssueMoveForm, PriorityForm

FORM = "plans/structure_form.html"
CONFIRM = "plans/structure_confirm.html"


def _priority(plan, pk):
    priority = get_object_or_404(Priority, pk=pk, plan=plan)
    priority.plan = plan
    return priority


def _issue(plan, pk):
    issue = get_object_or_404(Issue.objects.select_related("priority"), pk=pk, priority__plan=plan)
    issue.priority.plan = plan
    return issue


def _page(plan, title, **extra):
    return {"plan": plan, "title": title, "cancel_url": plan.get_absolute_url(), "template": FORM, **extra}


def _direction(request):
    direction = request.POST.get("direction")
    return direction if direction in (services.UP, services.DOWN) else None


def _confirm(request, plan, *, title, refusal, confirm_label, warning=""):
    """A confirmation page; when ``refusal`` is given it says why the thing cannot be done
    instead of offering the button."""
    context = {
        "plan": plan,
        "partnership": plan.partnership,
        "page_title": title,
        "refusal": refusal,
        "warning": warning,
        "confirm_label": confirm_label,
    }
    return render(request, CONFIRM, context)


@login_required
@require_http_methods(["GET", "POST"])
def priority_add(request, slug):
    plan, _ = get_plan_for_author(request, slug)
    form = PriorityForm(request.POST or None)
    return form_page(
        request,
        plan.partnership,
        form,
        partial(services.priority_add, plan=plan),
        saved=lambda priority: f"Priority {priority.number} added.",
        next_url=lambda priority: priority.get_absolute_url(),
        **_page(plan, f"Add a priority to {plan.full_title}", submit_label="Add priority"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def priority_edit(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    priority = _priority(plan, pk)
    form = PriorityForm(request.POST or None, initial={"title": priority.title, "description": priority.description})
    return form_page(
        request,
        plan.partnership,
        form,
        partial(services.priority_edit, priority=priority),
        saved=f"Priority {priority.number} saved.",
        next_url=priority.get_absolute_url(),
        **_page(plan, f"Change priority {priority.number}"),
    )


@login_required
@require_POST
def priority_move(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    priority = _priority(plan, pk)
    direction = _direction(request)
    if direction is None:
        return HttpResponseBadRequest("Move up or down.")
    try:
        priority = services.priority_move(priority=priority, direction=direction)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"“{priority.title}” is now priority {priority.number}.")
    return redirect(priority.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def priority_remove(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    priority = _priority(plan, pk)
    if request.method == "POST":
        try:
            services.priority_remove(priority=priority)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(priority.get_absolute_url())
        messages.success(request, f"Priority “{priority.title}” removed; the priorities after it moved up.")
        return redirect(plan.get_absolute_url())
    refusal = services.priority_removal_refusal(priority)
    return _confirm(
        request,
        plan,
        title=f"Remove priority {priority}",
        refusal=refusal,
        confirm_label="Remove the priority",
        warning="The priorities after it move up one number.",
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_add(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    priority = _priority(plan, pk)
    form = IssueForm(request.POST or None)
    return form_page(
        request,
        plan.partnership,
        form,
        partial(services.issue_add, priority=priority),
        saved="Issue added.",
        next_url=lambda issue: issue.get_absolute_url(),
        **_page(plan, f"Add an issue under priority {priority.number}", priority=priority, submit_label="Add issue"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_edit(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    issue = _issue(plan, pk)
    form = IssueForm(request.POST or None, initial={"title": issue.title})
    return form_page(
        request,
        plan.partnership,
        form,
        partial(services.issue_edit, issue=issue),
        saved="Issue saved.",
        next_url=issue.get_absolute_url(),
        **_page(plan, "Change the issue", priority=issue.priority),
    )


@login_required
@require_http_methods(["GET", "POST"])
def issue_move(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    issue = _issue(plan, pk)
    form = IssueMoveForm(request.POST or None, issue=issue)
    if request.method == "GET" and not form.fields["priority"].queryset.exists():
        refusal = f"Priority {issue.priority.number} is the plan's only priority: add another priority first."
        return _confirm(request, plan, title="Move the issue to another priority", refusal=refusal, confirm_label="")
    return form_page(
        request,
        plan.partnership,
        form,
        partial(services.issue_move, issue=issue),
        saved=lambda moved: f"Issue moved to priority {moved.priority.number}.",
        next_url=lambda moved: moved.get_absolute_url(),
        error_field="priority",
        **_page(plan, "Move the issue to another priority", issue=issue, submit_label="Move issue"),
    )


@login_required
@require_POST
def issue_reorder(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    issue = _issue(plan, pk)
    direction = _direction(request)
    if direction is None:
        return HttpResponseBadRequest("Move up or down.")
    try:
        services.issue_reorder(issue=issue, direction=direction)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Issue moved {direction}.")
    return redirect(issue.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def issue_remove(request, slug, pk):
    plan, _ = get_plan_for_author(request, slug)
    issue = _issue(plan, pk)
    if request.method == "POST":
        try:
            services.issue_remove(issue=issue)
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return redirect(issue.get_absolute_url())
        messages.success(request, "Issue removed.")
        return redirect(issue.priority.get_absolute_url())
    refusal = services.issue_removal_refusal(issue)
    return _confirm(
        request, plan, title=f"Remove the issue “{issue}”", refusal=refusal, confirm_label="Remove the issue"
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, slug):
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if request.method == "POST":
        try:
            services.plan_publish(plan=plan)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{plan.full_title} is published: its officers now see it and its actions.")
        return redirect(plan.get_absolute_url())
    refusal = "" if plan.is_draft else f"{plan.full_title} is {plan.get_status_display().lower()}, not a draft."
    return _confirm(
        request,
        plan,
        title=f"Publish {plan.full_title}",
        refusal=refusal,
        confirm_label="Publish the plan",
        warning="Officers will see the plan, and the actions their teams own will appear on their My actions. "
        "Nothing is sent to them.",
    )
