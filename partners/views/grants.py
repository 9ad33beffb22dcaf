"""Teams of other partnerships working on our plan: the grants a partnership's admin
makes and revokes (docs/administration.md, "Who sees whose actions")."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from .. import services
from ..access import get_partnership_for_user
from ..forms import TeamGrantForm
from ..models import Team, TeamGrant, User
from .confirm import confirm_page, done_with_undo, take_undo


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
@require_http_methods(["GET", "POST"])
def grant_revoke(request, slug, pk):
    """Asks first (GET), then ends the grant (POST), with an undo: the team keeps the actions
    it owns, its people lose access to them."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    grant = get_object_or_404(TeamGrant.objects.select_related("team__organisation"), pk=pk, partnership=partnership)
    if request.method == "GET":
        return confirm_page(
            request,
            partnership=partnership,
            title=f"Stop {grant.team.name} working on {partnership.short_name}’s actions?",
            consequences=[
                f"The people of {grant.team.name} ({grant.team.organisation.name}) will no longer see or update "
                f"{partnership.short_name}’s actions, from their next page.",
                "Actions the team owns keep it as their owner.",
            ],
            button="Remove access",
            cancel_url=reverse("partners:grants", args=[partnership.slug]),
        )
    services.team_grant_revoke(partnership=partnership, grant=grant)
    done_with_undo(
        request,
        f"{grant.team} no longer works on this partnership's actions.",
        kind="grant",
        url=reverse("partners:grant_restore", args=[partnership.slug]),
        partnership=partnership.pk,
        team=grant.team_id,
        note=grant.note,
        granted_by=grant.granted_by_id,
    )
    return redirect("partners:grants", partnership.slug)


@login_required
@require_POST
def grant_restore(request, slug):
    """Undo a grant just ended: the same team, note and giver again."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    undo = take_undo(request, "grant", partnership=partnership.pk)
    if undo is None:
        messages.error(request, "There is nothing to undo: it was done too long ago or undone already.")
        return redirect("partners:grants", partnership.slug)
    granted_by = User.objects.filter(pk=undo["granted_by"]).first() or request.user
    try:
        grant = services.team_grant_create(
            partnership=partnership, team=Team.objects.get(pk=undo["team"]), granted_by=granted_by, note=undo["note"]
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{grant.team} may own and work on this partnership's actions again.")
    return redirect("partners:grants", partnership.slug)
