"""Governance groups of a partnership (RAG, JAG, MARRG, DA forum…) and their members."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from .. import services
from ..access import get_partnership_for_user
from ..forms import GroupForm
from ..models import GovernanceGroup
from .forms import form_page


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
    partnership, rights = get_partnership_for_user(request, slug)
    context = {
        "partnership": partnership,
        "groups": groups_of(partnership),
        "is_admin": rights.is_admin,
        "page_title": f"Governance groups of {partnership.name}",
    }
    return render(request, "partners/groups_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug, pk=None):
    """Add or change a group. Only the admins of the lead partnership change a group."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    group, initial = None, {}
    if pk is not None:
        try:
            group = groups_of(partnership).get(pk=pk)
        except (GovernanceGroup.DoesNotExist, ValueError):
            raise Http404("No such group") from None
        if group.partnership_id != partnership.pk:
            raise PermissionDenied("Only the lead partnership's administrators may change this group.")
        initial = model_to_dict(group, fields=list(GroupForm.base_fields))
    form = GroupForm(request.POST or None, initial=initial, partnership=partnership, group=group)
    back = reverse("partners:groups", args=[partnership.slug])
    return form_page(
        request,
        partnership,
        form,
        partial(services.group_save, partnership=partnership, group=group),
        saved="The group was saved.",
        next_url=back,
        error_field="name",
        title="Add a governance group" if pk is None else f"Change {group.name}",
        cancel_url=back,
    )
