"""The action page (details, timeline, add-update form), correcting and deleting updates,
and editing the action itself with optimistic locking."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from plans.models import Recommendation
from plans.quality import CHECKS as QUALITY_CHECKS
from plans.quality import action_quality

from .. import services
from ..access import get_action_for_user, get_update_for_user
from ..carried import predecessor_of
from ..forms import ActionEditForm, ReviewForm, UpdateEditForm, UpdateForm
from ..models import Action, Marking, Rag, Status
from ..staleness import needs_update
from ..suggestion import Thresholds, facts_of, suggest


def _closed_reason(action):
    """Why no update may be added, or "" when updates are welcome."""
    plan = action.plan
    if plan.is_archived:
        return f"{plan.full_title} is archived, so its actions can no longer be updated."
    if action.status != Status.OPEN:
        return (
            f"This action is {action.get_status_display().lower()}, so it takes no more updates. "
            "Ask a partnership administrator if it should be reopened."
        )
    return ""


def _new_form(action, rights, data=None):
    if rights.is_reviewer:
        return ReviewForm(data, action=action)
    return UpdateForm(data, action=action, suggestion=_suggestion(action))


def _suggestion(action):
    """The rating the facts suggest once this update is added (so "no update for 60 days" is
    not held against the update that ends it): see actions/suggestion.py."""
    today = timezone.localdate()
    thresholds = Thresholds.of(action.plan.partnership)
    return suggest(facts_of(action, last_update_on=today), thresholds, today)


def _render_action(request, action, rights, *, form=None, closed_error="", status=200):
    updates = list(action.updates.live().select_related("author").order_by("-date", "-order", "-id"))
    for update in updates:
        update.action = action
        update.user_may_edit = rights.may_edit_update(update)
        update.user_may_delete = rights.may_delete_update(update)
    interval = action.plan.partnership.update_interval_days
    today = timezone.localdate()
    action.needs_update = needs_update(action, interval_days=interval, today=today)
    closed_reason = _closed_reason(action)
    may_add = rights.may_add_update and not closed_reason
    milestones = list(action.milestones.select_related("owner_team"))
    for milestone in milestones:
        milestone.days_overdue = (today - milestone.due_date).days if milestone.is_overdue(today) else 0
    if form is None and may_add:
        form = _new_form(action, rights)
    # What the facts suggest now, to those who rate or review it; how well it is monitored, to
    # chairs and admins only (as on the dashboard: never a score shown to officers).
    suggestion = quality = None
    if (rights.may_edit or rights.is_senior) and not rights.archived:
        suggestion = suggest(facts_of(action), Thresholds.of(action.plan.partnership), today)
    if rights.is_senior and not rights.archived:
        quality = action_quality(action, today=today)
    return render(
        request,
        "actions/action_detail.html",
        {
            "action": action,
            "plan": action.plan,
            "updates": updates,
            "form": form if may_add else None,
            "is_review_form": isinstance(form, ReviewForm),
            "closed_reason": closed_reason,
            "closed_error": closed_error,
            "rights": rights,
            "predecessor": predecessor_of(action, request.user),
            # Only to those who may read the review: others see nothing of it.
            "from_review": Recommendation.objects.readable_by(request.user)
            .filter(action=action)
            .select_related("review__partnership")
            .first(),
            "measures": list(action.measures.all()),
            "milestones": milestones,
            "suggestion": suggestion,
            "quality": quality,
            "quality_checks": QUALITY_CHECKS.values(),
            "page_title": action.text_for(rights)[:60],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def action_detail(request, pk):
    """GET: the action page. POST: add an update (or, for a chair, a review comment)."""
    action, rights = get_action_for_user(request, pk, queryset=Action.objects.with_suggestion_facts())
    if request.method == "GET":
        return _render_action(request, action, rights)

    user = request.user
    if not rights.may_add_update:
        # may_add_update is False for archived plans: tell those who could update why, rather than refusing blankly.
        if rights.archived and rights.would_update_if_open:
            return _render_action(request, action, rights, closed_error=_closed_reason(action), status=400)
        raise PermissionDenied("You may read this action but not update it.")
    closed = _closed_reason(action)
    if closed:
        return _render_action(request, action, rights, closed_error=closed, status=400)
    form = _new_form(action, rights, request.POST)
    if not form.is_valid():
        return _render_action(request, action, rights, form=form, status=400)
    is_review = isinstance(form, ReviewForm)
    services.action_add_update(action=action, author=user, is_review=is_review, **form.cleaned_data)
    messages.success(request, "Your review comment has been saved." if is_review else "Your update has been saved.")
    return redirect(action)


@login_required
@require_http_methods(["GET", "POST"])
def update_edit(request, pk, update_pk):
    """Correct an update: its author for 24 hours, an admin at any time. Every edit stays in the history."""
    action, rights = get_action_for_user(request, pk)
    update = get_update_for_user(request, action, rights, update_pk, for_edit=True)
    initial = {
        "date": update.date.strftime("%d/%m/%Y"),
        "text": update.text,
        "rag": update.rag,
        "marking": update.marking,
        "version": services.update_version(update),
    }
    form = UpdateEditForm(request.POST or None, update=update, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_edit(update=update, editor=request.user, **form.cleaned_data)
        except services.StaleVersion as stale:
            conflict, form = _update_conflict(stale.current, form, request)
        else:
            messages.success(request, "The update has been corrected. The earlier version is kept in the history.")
            return redirect(action)
    return render(
        request,
        "actions/action_update_edit.html",
        {
            "action": action,
            "update": update,
            "form": form,
            "rights": rights,
            "conflict": conflict,
            "page_title": "Correct an update",
        },
        status=409 if conflict else 400 if form.errors else 200,
    )


def _update_conflict(current, form, request):
    """The conflict shown when someone corrected the update since this form was opened,
    and the form again with everything the editor typed, against the current version."""
    data = form.cleaned_data
    pairs = [
        ("Date", f"{current.date:%-d/%-m/%Y}", f"{data['date']:%-d/%-m/%Y}"),
        ("What has happened", current.text, data["text"]),
        ("RAG rating", current.get_rag_display(), dict(Rag.choices).get(data.get("rag"), current.get_rag_display())),
        ("Protective marking", current.get_marking_display(), dict(Marking.choices).get(data["marking"])),
    ]
    last = current.history.select_related("history_user").first()
    conflict = {
        "rows": [(label, saved, theirs) for label, saved, theirs in pairs if saved != theirs],
        "by": last.history_user if last else None,
        "at": last.history_date if last else None,
    }
    posted = request.POST.copy()
    posted["version"] = services.update_version(current)
    form = UpdateEditForm(posted, update=form.update)
    form.is_valid()
    return conflict, form


@login_required
@require_http_methods(["GET", "POST"])
def update_delete(request, pk, update_pk):
    """Delete an update (admins only), after a confirmation page. It is kept in the history."""
    action, rights = get_action_for_user(request, pk)
    update = get_update_for_user(request, action, rights, update_pk, for_delete=True)
    if request.method == "POST":
        services.update_delete(update=update, editor=request.user)
        messages.success(request, f"The update of {update.date:%-d %B %Y} has been deleted. It is kept in the history.")
        return redirect(action)
    return render(
        request,
        "actions/action_update_delete.html",
        {
            "action": action,
            "update": update,
            "rights": rights,
            "page_title": "Delete an update",
        },
    )


def _differences(current, form):
    """What is saved now against what the editor sent: [(label, saved, theirs)] for fields that differ."""
    data = form.cleaned_data
    rows = []
    pairs = [
        ("Action", current.text, data.get("text", current.text)),
        (
            "Protective marking",
            current.get_marking_display(),
            dict(Marking.choices).get(data.get("marking"), current.get_marking_display()),
        ),
        ("Target date", current.target_date, data.get("target_date")),
        ("Named owner", current.owner_role, data.get("owner_role", "")),
        (
            "Status",
            current.get_status_display(),
            dict(Status.choices).get(data.get("status"), current.get_status_display()),
        ),
        (
            "Owning teams",
            ", ".join(sorted(t.name for t in current.owner_teams.all())),
            ", ".join(sorted(t.name for t in data.get("owner_teams", []))),
        ),
        (
            "Owning organisations",
            ", ".join(sorted(o.name for o in current.owner_organisations.all())),
            ", ".join(sorted(o.name for o in data.get("owner_organisations", []))),
        ),
        (
            "Owning governance groups",
            ", ".join(sorted(g.name for g in current.owner_groups.all())),
            ", ".join(sorted(g.name for g in data.get("owner_groups", []))),
        ),
        (
            "Measures it contributes to",
            ", ".join(sorted(m.name for m in current.measures.all())),
            ", ".join(sorted(m.name for m in data.get("measures", []))),
        ),
    ]
    for label, saved, theirs in pairs:
        if (saved or "") != (theirs or ""):
            rows.append((label, saved, theirs))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def action_edit(request, pk):
    """Change the action's text, owners and target date. If someone else saved a change since
    this form was opened, the save is refused and both versions are shown: nothing is lost."""
    action, rights = get_action_for_user(request, pk, for_edit=True)
    is_admin = rights.is_admin
    may_read = not action.text_withheld  # else neither its text nor its marking is offered
    conflict = None
    status = 200
    if request.method == "POST":
        form = ActionEditForm(request.POST, action=action, may_change_status=is_admin, may_read_text=may_read)
        if form.is_valid():
            try:
                changed = services.action_edit(action=action, editor=request.user, **form.cleaned_data)
            except services.StaleVersion as stale:
                current = stale.current
                last = current.history.select_related("history_user").first()
                conflict = {
                    "rows": _differences(current, form),
                    "by": last.history_user if last else None,
                    "at": last.history_date if last else None,
                }
                # Keep everything the editor typed; the next save is made against the current version.
                data = request.POST.copy()
                data["version"] = current.version
                form = ActionEditForm(data, action=action, may_change_status=is_admin, may_read_text=may_read)
                form.is_valid()
                status = 409
            else:
                if changed:
                    messages.success(request, "The action has been changed.")
                else:
                    messages.info(request, "Nothing was changed.")
                return redirect(action)
        else:
            status = 400
    else:
        form = ActionEditForm(
            action=action,
            may_change_status=is_admin,
            may_read_text=may_read,
            initial={
                "marking": action.marking,
                "status": action.status,
                "status_reason": action.status_reason,
                "text": action.text,
                "target_date": action.target_date.strftime("%d/%m/%Y") if action.target_date else "",
                "owner_role": action.owner_role,
                "owner_teams": [t.pk for t in action.owner_teams.all()],
                "owner_organisations": [o.pk for o in action.owner_organisations.all()],
                "owner_groups": [g.pk for g in action.owner_groups.all()],
                "measures": [m.pk for m in action.measures.all()],
                "version": action.version,
            },
        )
    return render(
        request,
        "actions/action_edit.html",
        {
            "action": action,
            "form": form,
            "conflict": conflict,
            "rights": rights,
            "page_title": "Change the action",
        },
        status=status,
    )
