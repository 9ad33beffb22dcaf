"""Governance groups of a partnership (RAG, JAG, MARRG, DA forum…) and their members."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from .. import services
from ..access import get_partnership_for_user, is_partnership_admin
from ..forms import GroupForm
from ..models import GovernanceGroup
from .forms import render_form_page


def groups_of(partnership):
    """Groups the partnership leads or takes part in."""
    return (
        GovernanceGroup.objects.filter(Q(partnership=partnership) | Q(partnerships=partnership))
        .select_related("partnership")
        .prefetch_related("members", "partnerships")
        .distinct()
        .order_by("tier", "order", "name")
    )


@login_required
@require_safe
def group_list(request, slug):
    partnership = get_partnership_for_user(request, slug)
    context = {
        "partnership": partnership,
        "groups": groups_of(partnership),
        "is_admin": is_partnership_admin(request.user, partnership),
        "page_title": f"Governance groups of {partnership.name}",
    }
    return render(request, "partners/groups_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug, pk=None):
    """Add or change a group. Only the admins of the lead partnership change a group."""
    partnership = get_partnership_for_user(request, slug, for_admin=True)
    if pk is None:
        group = GovernanceGroup(partnership=partnership)
    else:
        try:
            group = groups_of(partnership).get(pk=pk)
        except (GovernanceGroup.DoesNotExist, ValueError):
            raise Http404("No such group") from None
        if group.partnership_id != partnership.pk:
            raise PermissionDenied("Only the lead partnership's administrators may change this group.")
    form = GroupForm(request.POST or None, instance=group, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_save(
                group=form.save(commit=False),
                members=form.cleaned_data["members"],
                partnerships=form.cleaned_data["partnerships"],
            )
        except ValidationError as error:
            form.add_error("name", error)
        else:
            messages.success(request, "The group was saved.")
            return redirect("partners:groups", partnership.slug)
    return render_form_page(
        request,
        partnership,
        form,
        title="Add a governance group" if pk is None else f"Change {group.name}",
        cancel_url=reverse("partners:groups", args=[partnership.slug]),
    )
