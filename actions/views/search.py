"""Search across the actions and updates the signed-in user may see."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from ..access import actions_visible_to
from ..search import is_postgres, load_page
from ..search import search as run_search
from ..search_filters import SearchFilter

PAGE_SIZE = 20


@login_required
def search(request):
    """Words and filters in the query string; results paginated, best first."""
    filterset = SearchFilter(request.GET or None, queryset=actions_visible_to(request.user), user=request.user)
    context = {"filter": filterset, "page_title": "Search", "searched": False, "full_text": is_postgres()}
    if request.GET and filterset.is_valid():
        data = filterset.form.cleaned_data
        rows = run_search(
            request.user,
            filterset.qs,
            text=data.get("q") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context.update(
            searched=True,
            page=page,
            results=load_page(list(page.object_list), text=data.get("q") or ""),
            query_string=query.urlencode(),
        )
    return render(request, "actions/search_results.html", context, status=400 if filterset.errors else 200)
