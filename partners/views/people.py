"""People and roles of a partnership: invite by email, set role and teams, remove,
deactivate; and the one-time invitation link. Only the partnership's admins see these."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .. import services, twofactor
from ..access import admin_partnerships, get_partnership_for_user
from ..forms import AcceptInvitationForm, InvitationForm, RoleForm
from ..models import Invitation, Role, User
from .forms import form_page


def _person_in(partnership, pk):
    """A person with a role in ``partnership``; 404 for anyone else (another partnership's people)."""
    try:
        return User.objects.prefetch_related("teams__organisation").get(pk=pk, roles__partnership=partnership)
    except (User.DoesNotExist, ValueError):
        raise Http404("No such person") from None


@login_required
@require_safe
def index(request):
    """Where the "People" link goes: the partnership the user administers, or a choice."""
    partnerships = list(admin_partnerships(request.user).order_by("name"))
    if len(partnerships) == 1:
        return redirect("partners:people", partnerships[0].slug)
    if not partnerships:
        raise Http404("You do not administer a partnership")
    return render(request, "partners/people_index.html", {"partnerships": partnerships, "page_title": "People"})


@login_required
@require_safe
def people(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    persons = list(services.people_in(partnership))
    scope = set(services.teams_for_partnership(partnership).values_list("pk", flat=True))
    dormant_since = twofactor.dormant_since()
    for person in persons:
        person.dormant = person.is_active and (person.last_login or person.date_joined) < dormant_since
        person.role_here = next(r for r in person.roles.all() if r.partnership_id == partnership.pk)
        person.teams_here = [t for t in person.teams.all() if t.pk in scope]
    invitations = (
        Invitation.objects.filter(partnership=partnership, accepted_at__isnull=True)
        .select_related("invited_by")
        .order_by("-created_at")[:50]
    )
    role_changes = (
        Role.history.filter(partnership_id=partnership.pk)
        .select_related("user", "history_user")
        .order_by("-history_date")[:20]
    )
    context = {
        "partnership": partnership,
        "persons": persons,
        "invitations": invitations,
        "role_changes": role_changes,
        "page_title": f"People in {partnership.name}",
        "dormant_days": settings.DORMANT_AFTER_DAYS,
    }
    return render(request, "partners/people_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def invite(request, slug):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    form = InvitationForm(request.POST or None, partnership=partnership)
    back = reverse("partners:people", args=[partnership.slug])
    return form_page(
        request,
        partnership,
        form,
        partial(
            services.invitation_create, partnership=partnership, invited_by=request.user, site_url=settings.SITE_URL
        ),
        saved=lambda sent: f"An invitation was sent to {sent[0].email}. The link works once, for 7 days.",
        next_url=back,
        error_field="email",
        title="Invite a person",
        cancel_url=back,
        submit_label="Send invitation",
    )


@login_required
@require_http_methods(["GET", "POST"])
def person(request, slug, pk):
    """A person's role and teams in this partnership, with the history of their role."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    role = Role.objects.get(user=who, partnership=partnership)
    scope = services.teams_for_partnership(partnership)
    initial = {"role": role.role, "teams": [t for t in who.teams.all() if t in set(scope)]}
    form = RoleForm(request.POST or None, partnership=partnership, initial=initial)
    history = (
        Role.history.filter(user_id=who.pk, partnership_id=partnership.pk)
        .select_related("history_user")
        .order_by("-history_date")
    )
    back = reverse("partners:person", args=[partnership.slug, who.pk])
    return form_page(
        request,
        partnership,
        form,
        partial(services.role_set, partnership=partnership, user=who),
        saved=f"{who}'s role and teams were saved.",
        next_url=back,
        title=str(who),
        cancel_url=back,
        template="partners/people_person.html",
        person=who,
        role=role,
        history=history,
        can_deactivate=services.can_deactivate(partnership=partnership, user=who) and who.pk != request.user.pk,
        dormant=twofactor.is_dormant(who),
        authenticators=twofactor.devices_of(who).count(),
        two_factor_required=twofactor.is_required(who),
    )


@login_required
@require_POST
def remove(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    if who.pk == request.user.pk:
        messages.error(request, "You cannot remove your own role. Ask another administrator.")
        return redirect("partners:person", partnership.slug, who.pk)
    try:
        services.role_remove(partnership=partnership, user=who)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("partners:person", partnership.slug, who.pk)
    messages.success(request, f"{who} no longer has a role in {partnership}.")
    return redirect("partners:people", partnership.slug)


@login_required
@require_POST
def deactivate(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    try:
        services.user_deactivate(partnership=partnership, user=who, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{who} was deactivated and signed out everywhere.")
    return redirect("partners:person", partnership.slug, who.pk)


@login_required
@require_POST
def reactivate(request, slug, pk):
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    try:
        services.user_reactivate(partnership=partnership, user=who)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"{who} can sign in again.")
    return redirect("partners:person", partnership.slug, who.pk)


@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation(request, token):
    """The one-time link: a new person chooses a password; someone with an account signs in and accepts."""
    invitation = services.find_invitation(token)
    if invitation is None or not invitation.is_usable():
        return render(
            request, "partners/people_invitation_invalid.html", {"page_title": "This link does not work"}, status=404
        )
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, invitation=invitation) if existing is None else None
    if request.method == "POST":
        try:
            if existing is not None:
                if not request.user.is_authenticated or request.user.pk != existing.pk:
                    raise ValidationError("Sign in as the invited person to accept.")
                user = services.invitation_accept(invitation=invitation, user=request.user)
            elif form.is_valid():
                user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
                login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            else:
                user = None
        except ValidationError as error:
            if form is None:
                messages.error(request, error.messages[0])
            else:
                form.add_error(None, error)
            user = None
        if user is not None:
            messages.success(
                request, f"Welcome. You now have a role in {invitation.partnership}. Your username is {user.username}."
            )
            return redirect("home")
    context = {
        "invitation": invitation,
        "form": form,
        "existing": existing,
        "page_title": f"Join {invitation.partnership.name}",
    }
    return render(
        request, "partners/people_invitation.html", context, status=400 if form is not None and form.is_bound else 200
    )
