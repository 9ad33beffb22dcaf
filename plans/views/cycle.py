"""The yearly cycle pages: strategies, strategic assessments, next year's plan from an
assessment, roll-over of open actions, archive of a finished plan."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from actions.models import Action, Status, withhold_texts
from partners.access import get_partnership_for_user
from partners.views.forms import form_page

from .. import cycle, roll_over_jobs
from ..access import get_plan_for_user, get_roll_over_job_for_user
from ..cycle_forms import AssessmentForm, NewPlanForm, RollOverForm, StrategyForm
from ..models import ActionPlan, RollOverJob, StrategicAssessment, Strategy, years_label

CYCLE_FORM = "plans/cycle_form.html"


def _overview_url(partnership):
    return reverse("plans:cycle", args=[partnership.slug])


@login_required
@require_safe
def overview(request, slug):
    """The partnership's strategies, assessments and plans, with what to do next."""
    partnership, rights = get_partnership_for_user(request, slug)
    strategies = Strategy.objects.filter(partnership=partnership).prefetch_related("aims")
    assessments = StrategicAssessment.objects.filter(partnership=partnership).prefetch_related("risks", "plans")
    plans = (
        ActionPlan.objects.filter(partnership=partnership)
        .select_related("partnership", "rolled_over_to__partnership", "assessment")
        .annotate(
            open_count=Count("priorities__issues__actions", filter=Q(priorities__issues__actions__status=Status.OPEN))
        )
        .order_by("-start_year")
    )
    context = {
        "partnership": partnership,
        "strategies": strategies,
        "assessments": assessments,
        "plans": plans,
        "is_admin": rights.is_admin,
        "page_title": f"Yearly planning: {partnership.name}",
    }
    return render(request, "plans/cycle_overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def strategy_edit(request, slug, pk=None):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    strategy = get_object_or_404(Strategy, pk=pk, partnership=partnership) if pk else None
    initial = {}
    if strategy:
        initial = {
            "title": strategy.title,
            "start_year": strategy.start_year,
            "end_year": strategy.end_year,
            "summary": strategy.summary,
            "aims_text": "\n".join(aim.text for aim in strategy.aims.all()),
        }
    form = StrategyForm(request.POST or None, initial=initial)
    return form_page(
        request,
        partnership,
        form,
        partial(cycle.strategy_save, partnership=partnership, strategy=strategy),
        saved="The strategy was saved.",
        next_url=_overview_url(partnership),
        title=f"Change {strategy}" if strategy else "Add a strategy",
        cancel_url=_overview_url(partnership),
        template=CYCLE_FORM,
    )


def _assessment_in(partnership, pk):
    return get_object_or_404(StrategicAssessment.objects.prefetch_related("risks"), pk=pk, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def assessment_edit(request, slug, pk=None):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    assessment = _assessment_in(partnership, pk) if pk else None
    initial = {}
    if assessment:
        initial = {
            "title": assessment.title,
            "start_year": assessment.start_year,
            "end_year": assessment.end_year,
            "published_on": assessment.published_on,
            "summary": assessment.summary,
            "top_risks_text": "\n".join(r.text for r in assessment.top_risks()),
            "emerging_risks_text": "\n".join(r.text for r in assessment.emerging_risks()),
        }
    form = AssessmentForm(request.POST or None, initial=initial)
    return form_page(
        request,
        partnership,
        form,
        partial(cycle.assessment_save, partnership=partnership, assessment=assessment),
        saved="The strategic assessment was saved.",
        next_url=lambda saved: reverse("plans:assessment", args=[partnership.slug, saved.pk]),
        title=f"Change {assessment}" if assessment else "Record a strategic assessment",
        cancel_url=_overview_url(partnership),
        template=CYCLE_FORM,
    )


@login_required
@require_safe
def assessment_detail(request, slug, pk):
    partnership, rights = get_partnership_for_user(request, slug)
    assessment = _assessment_in(partnership, pk)
    context = {
        "partnership": partnership,
        "assessment": assessment,
        "plans": assessment.plans.all(),
        "is_admin": rights.is_admin,
        "page_title": str(assessment),
    }
    return render(request, "plans/cycle_assessment.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_from_assessment(request, slug, pk):
    """Next year's plan: the emerging risks become its numbered priorities, edited here first."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    assessment = _assessment_in(partnership, pk)
    start, end = cycle.suggested_years(assessment)
    form = NewPlanForm(request.POST or None, assessment=assessment, initial={"start_year": start, "end_year": end})
    if not form.risks:
        messages.error(
            request, "This assessment has no emerging risks, so there are no priorities to create. Add them first."
        )
        return redirect("plans:assessment_edit", partnership.slug, assessment.pk)
    return form_page(
        request,
        partnership,
        form,
        partial(cycle.plan_create_from_assessment, assessment=assessment),
        saved=lambda plan: (
            f"{plan.full_title} was created with {plan.priorities.count()} priorities, as a draft: "
            "officers see it once you publish it."
        ),
        next_url=lambda plan: plan.get_absolute_url(),
        title=f"Create next year's plan from {assessment}",
        cancel_url=reverse("plans:assessment", args=[partnership.slug, assessment.pk]),
        submit_label="Create plan",
        template=CYCLE_FORM,
    )


def _roll_over_form(request, plan, data=None):
    """The roll-over form of ``plan``, for the plan to carry into named by ``target`` in
    ``data`` or the query string (the first candidate when none)."""
    targets = cycle.roll_over_targets(plan)
    wanted = (data or request.GET).get("target", "")
    target = targets.filter(pk=wanted).first() if wanted.isdigit() else None
    if target is None and not wanted:
        target = targets.first()
    in_plan = Action.objects.in_plan(plan).select_related("issue__priority")
    open_actions = (
        in_plan.open()
        .prefetch_related("owner_teams", "owner_organisations", "owner_groups")
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "pk")
    )
    carriable = in_plan.filter(status__in=[Status.OPEN, Status.CARRIED_FORWARD])
    return RollOverForm(data, targets=targets, target=target, open_actions=open_actions, carriable=carriable)


def _render_choose(request, plan, form, *, status=200):
    withhold_texts(request.user, form.open_actions)
    context = {
        "plan": plan,
        "partnership": plan.partnership,
        "form": form,
        "targets": list(form.fields["target"].queryset),
        "next_years": years_label(*cycle.next_years(plan)) if cycle.next_years_free(plan) else None,
        "under_way": RollOverJob.objects.readable_by(request.user)
        .working()
        .select_related("plan", "target__partnership")
        .filter(plan=plan)
        .first(),
        "page_title": f"Roll over {plan.full_title}",
    }
    return render(request, "plans/cycle_roll_over.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def roll_over(request, slug):
    """Step one: choose which open actions of a plan carry into which plan, and where each
    issue's actions go. A valid POST shows the confirmation page; nothing changes here."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if plan.is_archived:
        messages.error(request, f"{plan.full_title} is archived; it can no longer be rolled over.")
        return redirect(plan.get_absolute_url())
    if request.method == "GET":
        return _render_choose(request, plan, _roll_over_form(request, plan))
    form = _roll_over_form(request, plan, request.POST)
    if "change" in request.POST:
        # Back from the confirmation page: the choices posted, without complaints.
        form.is_valid()
        form.errors.clear()
        return _render_choose(request, plan, form)
    if form.is_valid():
        data = {**form.cleaned_data, "archive": False}
        try:
            preview = cycle.roll_over_preview(plan=plan, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _render_confirm(request, plan, form, preview)
    return _render_choose(request, plan, form, status=400)


def _render_confirm(request, plan, form, preview):
    withhold_texts(request.user, [action for action, _ in preview.placements] + preview.already_carried)
    target = form.cleaned_data["target"]
    context = {
        "plan": plan,
        "partnership": plan.partnership,
        "form": form,
        "target": target,
        "preview": preview,
        "left_open": len(form.open_actions) - len(preview.placements),
        "in_background": roll_over_jobs.runs_in_background(len(preview.placements)),
        "year_not_ended": not plan.has_ended(),
        "page_title": f"Check the roll-over of {plan.full_title}",
    }
    return render(request, "plans/cycle_roll_over_confirm.html", context)


@login_required
@require_POST
def roll_over_confirm(request, slug):
    """Step two: carry the actions confirmed (the choices come again, validated again), and
    archive the plan when that was ticked."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if plan.is_archived:
        messages.error(request, f"{plan.full_title} is archived; it can no longer be rolled over.")
        return redirect(plan.get_absolute_url())
    form = _roll_over_form(request, plan, request.POST)
    if form.is_valid():
        try:
            # Checked again as the confirmation page showed it; its size decides where it runs.
            preview = cycle.roll_over_preview(plan=plan, **form.cleaned_data)
            count = len(preview.placements)
            if roll_over_jobs.runs_in_background(count):
                job = roll_over_jobs.job_start(plan=plan, user=request.user, total=count, **form.cleaned_data)
                return redirect(job)
            result = roll_over_jobs.roll_over_now(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            target = form.cleaned_data["target"]
            messages.success(request, result.message(plan, target))
            return redirect(target.get_absolute_url())
    return _render_choose(request, plan, form, status=400)


@login_required
@require_safe
def roll_over_progress(request, slug, pk):
    """A background roll-over: its place in the queue or that it is carrying the actions
    (followed in place), then what was carried and a link to the plan, or why nothing was.
    For whoever asked for it and the partnership's administrators."""
    job, _ = get_roll_over_job_for_user(request, slug, pk)
    job = roll_over_jobs.job_refresh(job)
    titles = {"done": "Roll-over complete", "failed": "Roll-over failed"}
    context = {
        "plan": job.plan,
        "partnership": job.plan.partnership,
        "job": job,
        "again_url": reverse("plans:roll_over", args=[job.plan.slug]) + f"?target={job.target_id}",
        "page_title": titles.get(job.state, f"Rolling over {job.plan.full_title}"),
    }
    return render(request, "plans/cycle_roll_over_progress.html", context)


@login_required
@require_POST
def roll_over_new_plan(request, slug):
    """Make an empty plan for the next years to roll over into, then choose what goes."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    try:
        target = cycle.plan_create_next(plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("plans:roll_over", plan.slug)
    messages.success(request, f"{target.full_title} was created, empty. Choose what to carry into it.")
    return redirect(reverse("plans:roll_over", args=[plan.slug]) + f"?target={target.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def archive(request, slug):
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if request.method == "POST":
        try:
            cycle.plan_archive(plan=plan)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{plan.full_title} is archived. It can still be read and exported.")
        return redirect(plan.get_absolute_url())
    open_count = Action.objects.in_plan(plan).open().count()
    context = {
        "plan": plan,
        "partnership": plan.partnership,
        "open_count": open_count,
        "year_not_ended": not plan.has_ended(),
        "page_title": f"Archive {plan.full_title}",
    }
    return render(request, "plans/cycle_archive.html", context)
