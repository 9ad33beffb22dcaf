"""The partner directory of a partnership: organisations by kind of membership, their
teams and contacts, membership history; the printable contacts page (HTML and PDF)."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from partners.pdf import RenderFailed, stored_pdf
from partners.slots import SlotsBusy

from .. import services
from ..access import PartnershipRights, get_partnership_for_user, partnership_role, show_partnership
from ..forms import (
    ContactForm,
    MembershipAddForm,
    MembershipEndForm,
    MembershipForm,
    OrganisationForm,
    OrganisationReassignForm,
    PartnershipSettingsForm,
    ReassignForm,
    TeamEndForm,
    TeamForm,
)
from ..models import Contact, Membership, Organisation, Partnership, Team
from .confirm import confirm_page, done_with_undo, take_undo
from .forms import form_page

GROUP_HEADINGS = {
    Membership.Type.STATUTORY: "Statutory responsible authorities",
    Membership.Type.CO_OPTED: "Co-opted partners",
    Membership.Type.NON_STATUTORY: "Non-statutory partners",
}


def _directory_url(partnership):
    return reverse("partners:directory", args=[partnership.slug])


def _organisation_in(partnership, pk):
    """An organisation that is or was a member of ``partnership``; 404 for any other."""
    try:
        return Organisation.objects.filter(memberships__partnership=partnership).distinct().get(pk=pk)
    except (Organisation.DoesNotExist, ValueError):
        raise Http404("No such partner") from None


def _team_in(partnership, pk):
    """A team this partnership's admin may change; 404 for teams of other partnerships."""
    team = get_object_or_404(Team.objects.select_related("organisation"), pk=pk)
    _organisation_in(partnership, team.organisation_id)
    if not services.team_is_managed_by(team, partnership):
        raise Http404("No such team")
    return team


def _teams_here(partnership):
    """Teams shown under an organisation in this partnership: its own."""
    return Team.objects.filter(partnership=partnership)


@login_required
@require_safe
def index(request):
    """Where the "Partners" link goes: the user's partnership, or a choice of them."""
    partnerships = Partnership.objects.for_user(request.user).order_by("name")
    if len(partnerships) == 1:
        return redirect("partners:directory", partnerships[0].slug)
    return render(request, "partners/directory_index.html", {"partnerships": partnerships, "page_title": "Partners"})


@login_required
@require_safe
def directory(request, slug):
    """Current partners grouped as statutory, co-opted and non-statutory, then past memberships."""
    partnership, rights = get_partnership_for_user(request, slug)
    contacts = Contact.objects.filter(partnership=partnership).select_related("team")
    memberships = list(
        Membership.objects.filter(partnership=partnership)
        .select_related("organisation", "replaced_by__organisation")
        .prefetch_related(
            Prefetch("organisation__teams", queryset=_teams_here(partnership).filter(ended_on__isnull=True)),
            Prefetch("organisation__contacts", queryset=contacts, to_attr="partnership_contacts"),
        )
        .order_by("type", "order", "organisation__name")
    )
    today = timezone.localdate()
    current = [m for m in memberships if m.ended_on is None or m.ended_on >= today]
    groups = [
        {"type": value, "label": GROUP_HEADINGS[value], "memberships": [m for m in current if m.type == value]}
        for value, _ in Membership.Type.choices
    ]
    past = [m for m in memberships if m not in current]
    context = {
        "partnership": partnership,
        "groups": groups,
        "past": past,
        "is_admin": rights.is_admin,
        "page_title": f"Partners of {partnership.name}",
    }
    return render(request, "partners/directory.html", context)


@login_required
@require_safe
def organisation_detail(request, slug, pk):
    partnership, rights = get_partnership_for_user(request, slug)
    organisation = _organisation_in(partnership, pk)
    memberships = (
        Membership.objects.filter(partnership=partnership, organisation=organisation)
        .select_related("replaced_by__organisation")
        .prefetch_related("replaces__organisation")
        .order_by("-started_on")
    )
    teams = (
        _teams_here(partnership)
        .filter(organisation=organisation)
        .annotate(action_count=Count("actions", distinct=True))
        .order_by("ended_on", "name")
    )
    contacts = organisation.contacts.filter(partnership=partnership).select_related("team")
    context = {
        "partnership": partnership,
        "organisation": organisation,
        "memberships": memberships,
        "teams": teams,
        "contacts": contacts,
        "is_admin": rights.is_admin,
        "can_change": request.user.is_superuser or services.organisation_is_managed_by(organisation, partnership),
        "page_title": organisation.name,
    }
    return render(request, "partners/directory_organisation.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    organisation = _organisation_in(partnership, pk)
    if not request.user.is_superuser and not services.organisation_is_managed_by(organisation, partnership):
        raise PermissionDenied(
            f"{organisation} is a partner of other partnerships too, so only a site administrator may change it."
        )
    form = OrganisationForm(request.POST or None, initial=model_to_dict(organisation))
    back = reverse("partners:organisation", args=[partnership.slug, organisation.pk])
    return form_page(
        request,
        partnership,
        form,
        partial(services.organisation_update, organisation=organisation),
        saved="The organisation was saved.",
        next_url=back,
        error_field="name",
        title=f"Change {organisation.name}",
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def partnership_settings(request, slug):
    """The partnership's settings: whether its chairs may write the plan's actions, whether
    everyone (not only administrators and chairs) must use two-factor authentication, and the
    thresholds of the suggested rating, the rule of the derived (rolled-up) rating, and how long
    before a statutory duty's date its owner is reminded."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    form = PartnershipSettingsForm(
        request.POST or None,
        initial={
            "chairs_may_author": partnership.chairs_may_author,
            "two_factor_for_everyone": partnership.two_factor_for_everyone,
            "suggest_red_milestones": partnership.suggest_red_milestones,
            "suggest_red_days_late": partnership.suggest_red_days_late,
            "suggest_target_near_days": partnership.suggest_target_near_days,
            "rollup_rule": partnership.rollup_rule,
            "duty_reminder_days": partnership.duty_reminder_days,
        },
    )
    return form_page(
        request,
        partnership,
        form,
        partial(services.partnership_settings_update, partnership=partnership),
        saved="The settings were saved.",
        next_url=_directory_url(partnership),
        title="Partnership settings",
        cancel_url=_directory_url(partnership),
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_add(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    form = MembershipAddForm(request.POST or None, partnership=partnership)
    return form_page(
        request,
        partnership,
        form,
        partial(services.membership_add, partnership=partnership),
        saved=lambda added: f"{added.organisation} was added to the partnership.",
        next_url=lambda added: reverse("partners:organisation", args=[partnership.slug, added.organisation_id]),
        title="Add a partner",
        cancel_url=_directory_url(partnership),
        submit_label="Add partner",
    )


def _membership_in(partnership, pk):
    return get_object_or_404(Membership.objects.select_related("organisation"), pk=pk, partnership=partnership)


@login_required
@require_http_methods(["GET", "POST"])
def membership_edit(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    membership = _membership_in(partnership, pk)
    form = MembershipForm(request.POST or None, initial=model_to_dict(membership))
    back = reverse("partners:organisation", args=[partnership.slug, membership.organisation_id])
    return form_page(
        request,
        partnership,
        form,
        partial(services.membership_update, membership=membership),
        saved="The membership was saved.",
        next_url=back,
        title=f"Change {membership.organisation}'s membership",
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def membership_end(request, slug, pk):
    """End a membership. The organisation, its teams and the actions they own stay; the
    page lists those open actions so the admin can reassign them."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    membership = _membership_in(partnership, pk)
    form = MembershipEndForm(request.POST or None, membership=membership)
    back = reverse("partners:organisation", args=[partnership.slug, membership.organisation_id])
    return form_page(
        request,
        partnership,
        form,
        partial(services.membership_end, membership=membership),
        saved=f"{membership.organisation}'s membership has ended.",
        next_url=back,
        title=f"End {membership.organisation}'s membership",
        intro="The organisation keeps its history, its teams and the actions it owns.",
        cancel_url=back,
        submit_label="End membership",
        reassign=OrganisationReassignForm(membership=membership),
        reassign_url=reverse("partners:membership_reassign", args=[partnership.slug, membership.pk]),
        owned_actions=services.withhold_action_texts(
            request.user, services.open_actions_owned_by_organisation(partnership, membership.organisation)
        ),
        teams=[
            t
            for t in membership.organisation.teams.filter(ended_on__isnull=True)
            if services.team_is_managed_by(t, partnership)
        ],
    )


@login_required
@require_POST
def membership_reassign(request, slug, pk):
    """Hand the open actions an organisation owns itself to another current partner."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    membership = _membership_in(partnership, pk)
    form = OrganisationReassignForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            moved = services.organisation_reassign_actions(
                partnership=partnership, organisation=membership.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(
                request, f"{moved} action{'s' if moved != 1 else ''} moved to {form.cleaned_data['to_organisation']}."
            )
    else:
        messages.error(request, "Choose the organisation to take the actions.")
    return redirect("partners:membership_end", partnership.slug, membership.pk)


@login_required
@require_http_methods(["GET", "POST"])
def team_add(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    organisation = _organisation_in(partnership, pk)
    form = TeamForm(request.POST or None)
    back = reverse("partners:organisation", args=[partnership.slug, organisation.pk])
    return form_page(
        request,
        partnership,
        form,
        partial(services.team_create, partnership=partnership, organisation=organisation),
        saved="The team was added.",
        next_url=back,
        error_field="name",
        title=f"Add a team to {organisation}",
        cancel_url=back,
        submit_label="Add team",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_edit(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    team = _team_in(partnership, pk)
    form = TeamForm(request.POST or None, initial=model_to_dict(team))
    back = reverse("partners:organisation", args=[partnership.slug, team.organisation_id])
    return form_page(
        request,
        partnership,
        form,
        partial(services.team_update, partnership=partnership, team=team),
        saved="The team was saved.",
        next_url=back,
        error_field="name",
        title=f"Change {team}",
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_end(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    team = _team_in(partnership, pk)
    form = TeamEndForm(request.POST or None)
    back = reverse("partners:organisation", args=[partnership.slug, team.organisation_id])
    return form_page(
        request,
        partnership,
        form,
        partial(services.team_end, partnership=partnership, team=team),
        saved=f"{team} has ended. Its past actions keep it as their owner.",
        next_url=back,
        title=f"End {team}",
        intro="An ended team keeps its history and its actions, and is no longer offered for new ones.",
        cancel_url=back,
        submit_label="End team",
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_delete(request, slug, pk):
    """Delete a team entered by mistake; refused, with the list of its actions and a way
    to reassign them, when it owns any."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    team = _team_in(partnership, pk)
    owned = services.withhold_action_texts(request.user, services.actions_owned_by_team(team))
    reassign = ReassignForm(partnership=partnership, team=team)
    error = None
    if request.method == "POST":
        try:
            services.team_delete(partnership=partnership, team=team)
        except services.OwnsActions as refusal:
            error, owned = refusal.messages[0], services.withhold_action_texts(request.user, refusal.actions)
        except ValidationError as refusal:
            error = refusal.messages[0]
        else:
            messages.success(request, f"{team} was deleted.")
            return redirect("partners:organisation", partnership.slug, team.organisation_id)
    context = {
        "partnership": partnership,
        "team": team,
        "owned": owned,
        "error": error,
        "reassign": reassign,
        "page_title": f"Delete {team}",
    }
    return render(request, "partners/directory_team_delete.html", context, status=400 if error else 200)


@login_required
@require_POST
def team_reassign(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    team = _team_in(partnership, pk)
    form = ReassignForm(request.POST, partnership=partnership, team=team)
    if form.is_valid():
        moved = services.team_reassign_actions(partnership=partnership, team=team, **form.cleaned_data)
        messages.success(request, f"{moved} action{'s' if moved != 1 else ''} moved to {form.cleaned_data['to_team']}.")
        return redirect("partners:team_delete", partnership.slug, team.pk)
    context = {
        "partnership": partnership,
        "team": team,
        "owned": services.withhold_action_texts(request.user, services.actions_owned_by_team(team)),
        "error": None,
        "reassign": form,
        "page_title": f"Delete {team}",
    }
    return render(request, "partners/directory_team_delete.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, slug, pk=None, organisation_pk=None):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    if pk is not None:
        contact = get_object_or_404(Contact, pk=pk, partnership=partnership)
        organisation = _organisation_in(partnership, contact.organisation_id) if contact.organisation_id else None
        initial = model_to_dict(contact)
    else:
        organisation = _organisation_in(partnership, organisation_pk)
        contact, initial = None, {}
    form = ContactForm(request.POST or None, initial=initial, organisation=organisation, partnership=partnership)
    back = (
        reverse("partners:organisation", args=[partnership.slug, organisation.pk])
        if organisation
        else _directory_url(partnership)
    )
    return form_page(
        request,
        partnership,
        form,
        partial(services.contact_save, partnership=partnership, contact=contact, organisation=organisation),
        saved="The contact was saved.",
        next_url=back,
        title="Change contact" if pk else f"Add a contact for {organisation}",
        cancel_url=back,
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_delete(request, slug, pk):
    """Asks first (GET), then removes the contact from the directory (POST)."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    contact = get_object_or_404(Contact.objects.select_related("organisation"), pk=pk, partnership=partnership)
    organisation_id = contact.organisation_id
    if request.method == "GET":
        where = "the directory and the contacts page" + (", which is public" if partnership.contacts_public else "")
        return confirm_page(
            request,
            partnership=partnership,
            title=f"Remove {contact.name} from the contacts?",
            consequences=[f"{contact.name}{f' ({contact.role})' if contact.role else ''} will be taken off {where}."],
            button="Remove contact",
            cancel_url=_contact_back(partnership, organisation_id),
        )
    kept = {field: getattr(contact, field) for field in CONTACT_FIELDS}
    services.contact_delete(partnership=partnership, contact=contact)
    done_with_undo(
        request,
        f"{contact.name} was removed from the contacts.",
        kind="contact",
        url=reverse("partners:contact_restore", args=[partnership.slug]),
        partnership=partnership.pk,
        organisation=organisation_id,
        team=contact.team_id,
        **kept,
    )
    return redirect(_contact_back(partnership, organisation_id))


@login_required
@require_POST
def contact_restore(request, slug):
    """Undo a contact just removed: the same details again."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    undo = take_undo(request, "contact", partnership=partnership.pk)
    if undo is None:
        messages.error(request, "There is nothing to undo: it was done too long ago or undone already.")
        return redirect("partners:directory", partnership.slug)
    organisation = Organisation.objects.filter(pk=undo["organisation"]).first()
    team = Team.objects.filter(pk=undo["team"]).first()
    try:
        contact = services.contact_save(
            partnership=partnership,
            organisation=organisation,
            team=team,
            **{field: undo[field] for field in CONTACT_FIELDS},
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("partners:directory", partnership.slug)
    messages.success(request, f"{contact.name} is back in the contacts.")
    return redirect(_contact_back(partnership, undo["organisation"]))


CONTACT_FIELDS = ["name", "role", "email", "phone", "website", "is_public", "order"]


def _contact_back(partnership, organisation_id):
    if organisation_id:
        return reverse("partners:organisation", args=[partnership.slug, organisation_id])
    return reverse("partners:directory", args=[partnership.slug])


# The printable contacts page ---------------------------------------------------------


def _contacts_partnership(request, slug):
    """``(partnership, rights)`` for its contacts page: anyone when published, members otherwise."""
    partnership = get_object_or_404(Partnership, slug=slug)
    rights = PartnershipRights(partnership_role(request.user, partnership))
    if not partnership.contacts_public and rights.role is None:
        raise Http404("No such page")
    show_partnership(request, partnership)
    return partnership, rights


def _contacts_context(partnership):
    contacts = (
        Contact.objects.filter(partnership=partnership, is_public=True)
        .select_related("organisation", "team")
        .order_by("order", "organisation__name", "name")
    )
    return {"partnership": partnership, "contacts": contacts, "page_title": f"{partnership.name}: contact details"}


@require_safe
def contacts_page(request, slug):
    """The contacts page as on the back of the partnership plan: public contacts only."""
    partnership, rights = _contacts_partnership(request, slug)
    context = _contacts_context(partnership)
    context["is_admin"] = rights.is_admin
    return render(request, "partners/directory_contacts.html", context)


@require_safe
def contacts_pdf(request, slug):
    """The contacts page as a PDF, rendered in this process (within its time and memory limits)
    once per change (anyone may ask for it when published) and served from the stored file
    afterwards."""
    partnership, _ = _contacts_partnership(request, slug)
    html = render_to_string("partners/directory_contacts_pdf.html", _contacts_context(partnership))
    context = {"partnership": partnership, "page_title": "The PDF is not ready"}
    try:
        pdf = stored_pdf(html, key=f"contacts-{partnership.slug}")
    except SlotsBusy:
        response = render(request, "partners/directory_contacts_pdf_busy.html", context, status=503)
        response["Retry-After"] = str(settings.PDF_DIRECT_TIMEOUT)
        return response
    except RenderFailed as error:  # out of memory, or stopped by its time or memory limit
        return render(request, "partners/directory_contacts_pdf_busy.html", {**context, "failed": error}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{partnership.slug}-contacts.pdf"'
    return response


@login_required
@require_POST
def contacts_publish(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True)
    publish = request.POST.get("publish") == "1"
    services.contacts_publish(partnership=partnership, publish=publish)
    if publish:
        messages.success(request, "The contacts page is now public: anyone with the link can read it.")
    else:
        messages.success(request, "The contacts page is now visible only to people signed in.")
    return redirect("partners:contacts", partnership.slug)
