"""The county view: every partnership a user belongs to, side by side."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from partners.models import Partnership

from ..dashboard import RAG_ORDER, county_rows
from ..rollup import rollups

# Partnerships a page: a county has ten, a national installation hundreds.
PAGE_SIZE = 25


@login_required
@require_safe
def county_view(request):
    """RAG counts, actions needing an update, the derived rating (plans/rollup.py) and last
    activity of each current plan of the user's partnerships (a county community safety unit
    sits in several), 25 partnerships a page in the order of their names."""
    partnerships = Partnership.objects.for_user(request.user).order_by("name", "pk")
    page = Paginator(partnerships, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = county_rows(page.object_list, user=request.user)
    # Each plan's two links, reversed once for the page rather than twice a row.
    marker = "plan-slug-marker"
    plan_url, dashboard_url = reverse("plans:detail", args=[marker]), reverse("plans:dashboard", args=[marker])
    found = rollups([row["plan"] for row in rows], plans_only=True)  # two grouped queries for the page
    for row in rows:
        row["rollup"] = found.plan(row["plan"])
        row["plan_url"] = plan_url.replace(marker, row["plan"].slug)
        row["dashboard_url"] = dashboard_url.replace(marker, row["plan"].slug)
    return render(
        request,
        "plans/county_view.html",
        {"rows": rows, "page": page, "rag_order": RAG_ORDER, "page_title": "County view"},
    )
