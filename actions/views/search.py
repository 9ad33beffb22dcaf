"""Search across the actions and updates the signed-in user may see."""

from html import escape

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from ..models import Action
from ..search import load_page
from ..search import search as run_search
from ..search_filters import SearchFilter

PAGE_SIZE = 20
MAX_PRIMED_PAGE = 100_000


def _options(choices, selected):
    """``<option>`` elements for a select, built in Python (every text escaped):
    seventy options through the template engine were a visible part of the page's time."""
    selected = "" if selected in (None, "") else str(selected)
    html = []
    for value, label in choices:
        value = str(value)
        mark = " selected" if selected and value == selected else ""
        html.append(f'<option value="{escape(value)}"{mark}>{escape(str(label))}</option>')
    return mark_safe("".join(html))  # noqa: S308 - every value and label escaped above


def _select_options(filterset):
    """The plan and owner options of the filter form, from the choices the filter set read
    (iterating the plan field's choices would query the plans again); none for a filter
    shown as a text input (too many plans or owners for a list)."""
    form = filterset.form
    plan_options = owner_options = ""
    if not filterset.plans_as_text:
        plans = [("", form.fields["plan"].empty_label), *filterset.plan_choices]
        plan_options = _options(plans, form["plan"].value())
    if not filterset.owners_as_text:
        owner_options = _options(form.fields["owner"].choices, form["owner"].value())
    return plan_options, owner_options


@login_required
@require_safe
def search(request):
    """Words and filters in the query string; results paginated, best first."""
    filterset = SearchFilter(
        request.GET or None, queryset=Action.objects.visible_to(request.user).agreed(), user=request.user
    )
    context = {"filter": filterset, "page_title": "Search", "searched": False}
    context["plan_options"], context["owner_options"] = _select_options(filterset)
    if request.GET and filterset.is_valid():
        data = filterset.form.cleaned_data
        rows = run_search(
            request.user,
            filterset.qs,
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        number = request.GET.get("page") or "1"
        # Beyond MAX_PRIMED_PAGE the offset could overflow the database's integers; such a
        # page is past the end anyway, and the Paginator shows the last page instead.
        if number.isdigit() and 1 <= int(number) <= MAX_PRIMED_PAGE:
            rows.prime((int(number) - 1) * PAGE_SIZE, PAGE_SIZE)  # that page, ranked and counted in one query
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            searched=True,
            page=page,
            results=load_page(list(page.object_list), user=request.user, text=data.get("q") or ""),
            query_string=query.urlencode(),
            capped=rows.capped,
            newest_matches=f"{rows.bound:,}" if rows.bound else "",
            plan_named=filterset.plan_named,
            owner_named=filterset.owner_named,
        )
    return render(request, "actions/search_results.html", context, status=400 if filterset.errors else 200)
