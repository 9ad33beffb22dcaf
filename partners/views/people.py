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
from ..models import Invitation, Role, Team, User
from .confirm import confirm_page, done_with_undo, take_undo
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
@require_http_methods(["GET", "POST"])
def remove(request, slug, pk):
    """Asks first (GET), then takes away the person's role and teams here (POST), with an undo."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    back = reverse("partners:person", args=[partnership.slug, who.pk])
    refusal = "You cannot remove your own role. Ask another administrator." if who.pk == request.user.pk else None
    if request.method == "GET":
        role = Role.objects.get(user=who, partnership=partnership)
        teams = services.teams_for_partnership(partnership).filter(members=who)
        in_teams = f" in {', '.join(team.name for team in teams)}" if teams else ""
        return confirm_page(
            request,
            partnership=partnership,
            title=f"Remove {who}’s role in {partnership.short_name}?",
            consequences=[
                f"{who} is {role.get_role_display().lower()}{in_teams}.",
                f"They will no longer see {partnership.short_name}’s plans and actions and will be taken out of "
                "its teams. Their account, what they wrote and any roles in other partnerships stay.",
            ],
            button="Remove role",
            cancel_url=back,
            refusal=refusal,
        )
    if refusal:
        messages.error(request, refusal)
        return redirect(back)
    try:
        role, teams = services.role_remove(partnership=partnership, user=who)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect(back)
    done_with_undo(
        request,
        f"{who} no longer has a role in {partnership}.",
        kind="role",
        url=reverse("partners:person_restore", args=[partnership.slug, who.pk]),
        partnership=partnership.pk,
        user=who.pk,
        role=role,
        teams=[team.pk for team in teams],
    )
    return redirect("partners:people", partnership.slug)


@login_required
@require_POST
def restore(request, slug, pk):
    """Undo a role just removed: the same role and teams again."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    undo = take_undo(request, "role", partnership=partnership.pk, user=pk)
    if undo is None:
        if not Role.objects.filter(user_id=pk, partnership=partnership).exists():
            raise Http404("No such person")  # nobody of this partnership, now or a moment ago
        messages.error(request, "There is nothing to undo: it was done too long ago or undone already.")
        return redirect("partners:person", partnership.slug, pk)
    who = User.objects.get(pk=pk)
    teams = list(Team.objects.filter(pk__in=undo["teams"]))
    try:
        services.role_set(partnership=partnership, user=who, role=undo["role"], teams=teams)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("partners:people", partnership.slug)
    messages.success(request, f"{who} has their role in {partnership} again.")
    return redirect("partners:person", partnership.slug, who.pk)


@login_required
@require_http_methods(["GET", "POST"])
def deactivate(request, slug, pk):
    """Asks first (GET), then deactivates the account (POST), with an undo (reactivation)."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    back = reverse("partners:person", args=[partnership.slug, who.pk])
    if request.method == "GET":
        refusal = None
        if who.pk == request.user.pk:
            refusal = "You cannot deactivate yourself."
        elif not services.can_deactivate(partnership=partnership, user=who):
            refusal = f"{who} also has a role in another partnership. Remove their role here instead."
        return confirm_page(
            request,
            partnership=partnership,
            title=f"Deactivate {who}’s account?",
            consequences=[
                f"{who} will be signed out everywhere at once and will not be able to sign in.",
                "Their role, teams and everything they wrote stay, so the account can be reactivated later.",
            ],
            button="Deactivate account",
            cancel_url=back,
            refusal=refusal,
        )
    try:
        services.user_deactivate(partnership=partnership, user=who, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        done_with_undo(
            request,
            f"{who} was deactivated and signed out everywhere.",
            kind="deactivate",
            url=reverse("partners:person_reactivate", args=[partnership.slug, who.pk]),
            user=who.pk,
        )
    return redirect(back)


@login_required
@require_POST
def reactivate(request, slug, pk):
    """Lets a deactivated person sign in again (also the undo of a deactivation)."""
    partnership, _ = get_partnership_for_user(request, slug, for_admin=True, nav_section="People")
    who = _person_in(partnership, pk)
    try:
        services.user_reactivate(partnership=partnership, user=who)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        take_undo(request, "deactivate", user=who.pk)
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
    # Without local passwords a new person joins by single sign-on (partners/sso.py accepts the invitation).
    new_by_password = existing is None and settings.LOCAL_PASSWORDS
    form = AcceptInvitationForm(request.POST or None, invitation=invitation) if new_by_password else None
    if request.method == "POST":
        try:
            if existing is not None:
                if not request.user.is_authenticated or request.user.pk != existing.pk:
                    raise ValidationError("Sign in as the invited person to accept.")
                user = services.invitation_accept(invitation=invitation, user=request.user)
            elif form is None:
                raise ValidationError(f"Sign in with {settings.SSO_PROVIDER_NAME} to join.")
            elif form.is_valid():
                user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password1"])
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
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
        "sso_enabled": settings.SSO_ENABLED,
        "sso_provider_name": settings.SSO_PROVIDER_NAME,
    }
    return render(
        request, "partners/people_invitation.html", context, status=400 if form is not None and form.is_bound else 200
    )
