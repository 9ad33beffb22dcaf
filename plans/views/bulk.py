"""Bulk changes on the plan page: the actions ticked (or all those matching the filter) →
choose one change → a confirmation page listing each action before → after → the change,
in one transaction (``actions.bulk``).

The selection travels in the query string (``action=<id>`` repeated, or ``all=1`` with the
plan page's filter), so "all matching" is the filter, not a list of ids, until the
confirmation page names exactly the actions it will change, with the version of each."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from actions.bulk import DONE, OWNER_RELATIONS, Change, bulk_change, bulk_preview
from actions.bulk_forms import BulkChangeForm
from actions.models import Action, withhold_texts

from ..access import get_plan_for_user
from ..filters import PlanFilterForm, apply_filters
from ..pdf.options import owner_choices as plan_owner_choices


def may_change_actions(plan, rights):
    """Whether the plan page offers bulk changes to this user."""
    return rights.may_author


def _plan_for_bulk(request, slug):
    """The plan, if the user may change its actions (404 outsiders, 403 read-only roles);
    None, with a message, when the plan is archived."""
    plan, rights = get_plan_for_user(request, slug)
    # An author is told an archived plan is read-only (below) rather than refused.
    if not rights.is_author:
        raise PermissionDenied(
            "Only a partnership administrator (or a chair, when allowed) changes several actions at once."
        )
    if plan.is_archived:
        messages.error(request, f"{plan.full_title} is archived: its actions can no longer be changed.")
        return None
    return plan


def _selected(request, plan):
    """The selected actions of ``plan``, in plan order, or a ``ValidationError`` saying why none."""
    not_in_plan = ValidationError("The selection names actions that are not in this plan. Nothing was changed.")
    actions = Action.objects.in_plan(plan)
    if request.GET.get("all"):
        priorities = list(plan.priorities.order_by("number"))
        filters = PlanFilterForm(request.GET, owners=plan_owner_choices(plan), priorities=priorities)
        filters.is_valid()  # an unknown value is ignored, as on the plan page
        interval = plan.partnership.update_interval_days
        actions = apply_filters(
            actions, filters.cleaned_data, interval_days=interval, user=request.user, today=timezone.localdate()
        )
    else:
        try:
            ids = {int(pk) for pk in request.GET.getlist("action")}
        except ValueError:
            raise ValidationError(
                "The selection names actions that are not in this plan. Nothing was changed."
            ) from None
        if not ids:
            raise ValidationError("Select the actions to change.")
        actions = actions.filter(pk__in=ids)
        if actions.count() != len(ids):
            raise not_in_plan
    selected = list(
        actions.select_related("issue__priority").order_by(
            "issue__priority__number", "issue__order", "issue_id", "order", "pk"
        )
    )
    if not selected:
        raise ValidationError("No action matches the filter.")
    prefetch_related_objects(selected, *(relation for relation, _ in OWNER_RELATIONS))
    return withhold_texts(request.user, selected)


def _confirmation(request, plan, form, actions, *, status=200):
    outcomes = bulk_preview(actions=actions, **form.cleaned_data)
    changing = [outcome for outcome in outcomes if outcome.changes]
    context = {
        "plan": plan,
        "form": form,
        "change_label": Change(form.cleaned_data["change"]).label,
        "outcomes": outcomes,
        "changing": changing,
        "unchanged_count": len(outcomes) - len(changing),
        "carried": form.carried(),
        "page_title": f"Check the changes to {len(changing)} action{'s' if len(changing) != 1 else ''}",
    }
    return render(request, "plans/bulk_confirm.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def bulk_choose(request, slug):
    """Choose the change for the selected actions; a valid choice shows the confirmation page."""
    plan = _plan_for_bulk(request, slug)
    if plan is None:
        return redirect("plans:detail", slug)
    try:
        actions = _selected(request, plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:detail", slug)
    form = BulkChangeForm(request.POST if request.method == "POST" else None, plan=plan)
    if request.method == "POST" and form.is_valid():
        return _confirmation(request, plan, form, actions)
    context = {
        "plan": plan,
        "form": form,
        "actions": actions,
        "page_title": f"Change {len(actions)} action{'s' if len(actions) != 1 else ''}",
    }
    return render(request, "plans/bulk_choose.html", context, status=400 if form.is_bound else 200)


def _versions(selected):
    """{action id: version} from the confirmation page's ``selected`` input ("id:version,id:version"):
    one field, as a plan's every action may be selected (Django refuses a form of over 1,000 fields)."""
    versions = {}
    for value in filter(None, selected.split(",")):
        pk, _, version = value.partition(":")
        try:
            versions[int(pk)] = int(version)
        except ValueError:
            raise ValidationError("The confirmation was not complete. Nothing was changed.") from None
    if not versions:
        raise ValidationError("The confirmation names no action. Nothing was changed.")
    return versions


@login_required
@require_POST
def bulk_apply(request, slug):
    """Make the confirmed change, all or nothing, and say what it did."""
    plan = _plan_for_bulk(request, slug)
    if plan is None:
        return redirect("plans:detail", slug)
    try:
        versions = _versions(request.POST.get("selected", ""))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:detail", slug)
    form = BulkChangeForm(request.POST, plan=plan)
    if not form.is_valid():
        messages.error(request, "The confirmation was not complete. Nothing was changed.")
        return redirect("plans:detail", slug)
    try:
        changed = bulk_change(plan=plan, editor=request.user, versions=versions, **form.cleaned_data)
    except ValidationError as error:
        # Show the actions as they are now, to be confirmed again.
        actions = list(
            Action.objects.in_plan(plan)
            .filter(pk__in=list(versions))
            .select_related("issue__priority")
            .order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk")
        )
        prefetch_related_objects(actions, *(relation for relation, _ in OWNER_RELATIONS))
        withhold_texts(request.user, actions)
        form.add_error(None, error)
        return _confirmation(request, plan, form, actions, status=409)
    count = len(changed)
    messages.success(request, f"{count} action{'s' if count != 1 else ''} {DONE[form.cleaned_data['change']]}")
    return redirect("plans:detail", slug)
