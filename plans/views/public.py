"""The plan's public page (issue 16): publishing and withdrawing it (partnership
administrators), and the page, its CSV and its JSON (anyone, without signing in).

The public views read nothing but the current ``PublishedPlan`` row: what it shows was
decided when it was published (``plans.publishing``), so a change to the plan shows
only when it is published again."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from django.views.decorators.http import require_http_methods, require_safe

from .. import publishing
from ..access import get_plan_for_user
from ..models import PublishedPlan

# Public copies may be kept by browsers and proxies for a few minutes: a withdrawn page
# is gone everywhere soon after.
PUBLIC_MAX_AGE = 300


def _current(plan):
    return PublishedPlan.objects.public().filter(plan=plan).only("pk", "published_at").first()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish_public(request, slug):
    """Confirm what the public page will show and what it leaves out, then publish (or
    publish again) a new snapshot."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if request.method == "POST":
        try:
            publishing.plan_publish_public(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{plan.full_title} is on its public page as it stands now.")
        return redirect(plan.get_absolute_url())
    current = _current(plan)
    snapshot = publishing.public_snapshot(plan)
    context = {
        "plan": plan,
        "current": current,
        "snapshot": snapshot,
        "left_out": publishing.left_out(plan),
        "counts": _counts(snapshot),
        "refusal": f"{plan.full_title} is a draft: publish it to its officers first." if plan.is_draft else "",
        "page_title": "Publish the public page again" if current else "Publish on a public page",
    }
    return render(request, "plans/public_publish.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw_public(request, slug):
    """Confirm, then take the plan's public page, CSV and JSON down."""
    plan, _ = get_plan_for_user(request, slug, for_admin=True)
    if request.method == "POST":
        try:
            publishing.plan_withdraw_public(plan=plan, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{plan.full_title} is no longer on a public page.")
        return redirect(plan.get_absolute_url())
    current = _current(plan)
    context = {
        "plan": plan,
        "current": current,
        "page_title": "Withdraw the public page",
    }
    return render(request, "plans/public_withdraw.html", context)


def _counts(snapshot):
    issues = [issue for priority in snapshot["priorities"] for issue in priority["issues"]]
    actions = [action for issue in issues for action in issue["actions"]]
    return {
        "priorities": len(snapshot["priorities"]),
        "issues": len(issues),
        "actions": len(actions),
        "updates": sum(len(action["updates"]) for action in actions),
    }


def _published(partnership_slug, slug):
    """The current snapshot of the plan, or 404: never published, withdrawn, or no such plan."""
    published = (
        PublishedPlan.objects.public()
        .select_related("plan__partnership")
        .filter(plan__partnership__slug=partnership_slug, plan__slug=slug)
        .first()
    )
    if published is None:
        raise Http404("No such page")
    return published


def _public(response, published):
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    response["Last-Modified"] = http_date(published.published_at.timestamp())
    return response


@require_safe
def public_plan(request, partnership_slug, slug):
    """The published plan as anyone reads it, as it stood when it was published."""
    published = _published(partnership_slug, slug)
    context = {
        "published": published,
        "snapshot": published.snapshot,
        "csv_url": reverse("public:plan_csv", args=[partnership_slug, slug]),
        "json_url": reverse("public:plan_json", args=[partnership_slug, slug]),
        "page_title": published.snapshot["plan"]["title"],
    }
    return _public(render(request, "plans/public_plan.html", context), published)


@require_safe
def public_plan_csv(request, partnership_slug, slug):
    published = _published(partnership_slug, slug)
    response = HttpResponse(publishing.snapshot_csv(published), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
    return _public(response, published)


@require_safe
def public_plan_json(request, partnership_slug, slug):
    published = _published(partnership_slug, slug)
    body = json.dumps(publishing.snapshot_json(published), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    return _public(response, published)


@require_safe
def public_index(request, partnership_slug):
    """The partnership's published plans, newest first: 404 when it has none."""
    published = list(
        PublishedPlan.objects.public()
        .select_related("plan__partnership")
        .filter(plan__partnership__slug=partnership_slug)
        .order_by("-plan__start_year", "plan__slug")
    )
    if not published:
        raise Http404("No such page")
    context = {
        "partnership_name": published[0].snapshot["partnership"]["name"],
        "published": published,
        "page_title": f"{published[0].snapshot['partnership']['name']}: published plans",
    }
    response = render(request, "plans/public_index.html", context)
    patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response
