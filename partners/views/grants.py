"""Teams of other partnerships working on our plan: the grants a partnership's admin
makes and revokes (docs/administration.md, "Who sees whose actions")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..access import get_partnership_for_user
from ..forms import TeamGrantForm
from ..models import TeamGrant


@login_required
@require_http_methods(["GET", "POST"])
def grant_list(request, slug):
    """The teams this partnership granted, and (POST) a grant to one more."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    form = TeamGrantForm(request.POST or None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            grant = services.team_grant_create(partnership=partnership, granted_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("team", error)
        else:
            messages.success(request, f"{grant.team} may now own and work on this partnership's actions.")
            return redirect("partners:grants", partnership.slug)
    grants = (
        TeamGrant.objects.filter(partnership=partnership)
        .select_related("team__organisation", "granted_by")
        .order_by("team__organisation__name", "team__name")
    )
    return render(
        request,
        "partners/grants.html",
        {
            "partnership": partnership,
            "grants": grants,
            "form": form,
            "page_title": "Teams of other partnerships working on our plan",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def grant_revoke(request, slug, pk):
    """End a grant at once; the team keeps the actions it owns, its people lose access to them."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    grant = get_object_or_404(TeamGrant.objects.select_related("team"), pk=pk, partnership=partnership)
    services.team_grant_revoke(partnership=partnership, grant=grant)
    messages.success(request, f"{grant.team} no longer works on this partnership's actions.")
    return redirect("partners:grants", partnership.slug)
