"""Writes to the partner directory, people and roles.

Every screen, importer and test goes through these keyword-only functions; each
runs in one transaction, so a refused change leaves nothing half-done. Refusals
raise ``ValidationError`` with a message written for the administrator.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import ownership
from .models import (
    Contact,
    GovernanceGroup,
    Invitation,
    Membership,
    Organisation,
    ReminderPreference,
    Role,
    Team,
    TeamGrant,
    User,
    normalise_name,
)

INVITATION_DAYS = 7


# Organisations and memberships ------------------------------------------------


def find_organisation(name, *, exclude=None):
    """The organisation whose name matches ``name`` case- and space-insensitively, or None."""
    wanted = normalise_name(name)
    candidates = Organisation.objects.all()
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude.pk)
    # Names differ only in spacing or case, so narrowing on the first word keeps this cheap.
    first_word = wanted.split(" ")[0] if wanted else ""
    for organisation in candidates.filter(name__icontains=first_word).only("id", "name"):
        if normalise_name(organisation.name) == wanted:
            return organisation
    return None


def _clean_name(name):
    return " ".join((name or "").split())


@transaction.atomic
def organisation_create(*, name, sector=Organisation.Sector.OTHER, website="", email="", phone="", description=""):
    """Create a partner organisation; refuse a name already used (ignoring case and spaces)."""
    name = _clean_name(name)
    if not name:
        raise ValidationError("Enter the organisation's name.")
    existing = find_organisation(name)
    if existing is not None:
        raise ValidationError(f"An organisation called “{existing.name}” already exists. Choose it instead.")
    try:
        with transaction.atomic():
            return Organisation.objects.create(
                name=name, sector=sector, website=website, email=email, phone=phone, description=description
            )
    except IntegrityError:
        # Someone added the same name a moment ago: the database constraint caught it.
        raise ValidationError(f"An organisation called “{name}” already exists. Choose it instead.") from None


@transaction.atomic
def organisation_update(*, organisation, name, **fields):
    name = _clean_name(name)
    existing = find_organisation(name, exclude=organisation)
    if existing is not None:
        raise ValidationError(f"An organisation called “{existing.name}” already exists.")
    organisation.name = name
    for field, value in fields.items():
        setattr(organisation, field, value)
    organisation.save()
    return organisation


@transaction.atomic
def partnership_settings_update(*, partnership, chairs_may_author, two_factor_for_everyone=None, **thresholds):
    """Change the partnership's settings (its administrator's choice): who writes the plan,
    two-factor sign-in, the suggested rating's thresholds and roll-up rule, and the statutory
    duties' reminder lead time (``thresholds``: ``suggest_red_milestones``,
    ``suggest_red_days_late``, ``suggest_target_near_days``, ``rollup_rule``,
    ``duty_reminder_days``; one given as None or "" keeps its value). Returns the partnership."""
    allowed = {
        "suggest_red_milestones",
        "suggest_red_days_late",
        "suggest_target_near_days",
        "rollup_rule",
        "duty_reminder_days",
    }
    if set(thresholds) - allowed:
        raise TypeError(f"Unknown settings: {sorted(set(thresholds) - allowed)}")
    partnership.chairs_may_author = chairs_may_author
    if two_factor_for_everyone is not None:
        partnership.two_factor_for_everyone = two_factor_for_everyone
    changed = [name for name, value in thresholds.items() if value not in (None, "")]
    for name in changed:
        setattr(partnership, name, thresholds[name])
    partnership.save(update_fields=["chairs_may_author", "two_factor_for_everyone", *changed])
    return partnership


def _span(started_on, ended_on):
    return started_on or datetime.date.min, ended_on or datetime.date.max


def _check_no_overlap(*, partnership, organisation, started_on, ended_on, exclude=None):
    start, end = _span(started_on, ended_on)
    others = Membership.objects.filter(partnership=partnership, organisation=organisation)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    for other in others:
        other_start, other_end = _span(other.started_on, other.ended_on)
        if start <= other_end and other_start <= end:
            raise ValidationError(
                f"{organisation} already has a membership of {partnership} at that time "
                f"({other.started_on or 'from the start'} to {other.ended_on or 'now'}). "
                "End it first, or choose dates that do not overlap."
            )


@transaction.atomic
def membership_add(
    *, partnership, type, organisation=None, new_organisation=None, started_on=None, note="", replaces=None
):
    """Add an organisation to ``partnership`` as a statutory, co-opted or non-statutory partner.

    Give either an existing ``organisation`` or ``new_organisation`` (a dict for
    ``organisation_create``). With ``replaces`` (a current membership of the same
    partnership), that membership ends the day before ``started_on`` (or today) and
    points to the new one: a CCG replaced by an ICB keeps its history and its actions.
    """
    if (organisation is None) == (new_organisation is None):
        raise ValidationError("Choose an existing organisation or give the name of a new one, not both.")
    if organisation is None:
        organisation = organisation_create(**new_organisation)
    _check_no_overlap(partnership=partnership, organisation=organisation, started_on=started_on, ended_on=None)
    if replaces is not None:
        if replaces.partnership_id != partnership.pk:
            raise ValidationError("Only a membership of this partnership can be replaced.")
        if replaces.ended_on is not None:
            raise ValidationError(f"{replaces.organisation}'s membership has already ended.")
        if replaces.organisation_id == organisation.pk:
            raise ValidationError("An organisation cannot replace itself.")
    membership = Membership.objects.create(
        partnership=partnership, organisation=organisation, type=type, started_on=started_on, note=note
    )
    if replaces is not None:
        ended_on = started_on or timezone.localdate()
        membership_end(membership=replaces, ended_on=ended_on, replaced_by=membership)
    return membership


@transaction.atomic
def membership_update(*, membership, type, started_on=None, note=""):
    if membership.ended_on and started_on and started_on > membership.ended_on:
        raise ValidationError("The membership cannot start after it ended.")
    _check_no_overlap(
        partnership=membership.partnership,
        organisation=membership.organisation,
        started_on=started_on,
        ended_on=membership.ended_on,
        exclude=membership,
    )
    membership.type = type
    membership.started_on = started_on
    membership.note = note
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership, ended_on, replaced_by=None):
    """End a membership on ``ended_on``; its organisation keeps its teams, contacts and actions."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.ended_on is not None:
        raise ValidationError(
            f"{membership.organisation}'s membership already ended on {membership.ended_on:%-d %B %Y}."
        )
    if membership.started_on and ended_on < membership.started_on:
        raise ValidationError("The end date must be on or after the day the membership started.")
    if replaced_by is not None and replaced_by.partnership_id != membership.partnership_id:
        raise ValidationError("The replacing membership must be of the same partnership.")
    membership.ended_on = ended_on
    membership.replaced_by = replaced_by
    membership.save()
    return membership


# Teams and what they own --------------------------------------------------------


def teams_for_partnership(partnership):
    """Teams an admin of ``partnership`` may manage and put people in: the partnership's
    own current teams. A team of another partnership ("Dacorum SNT" of the county police)
    is never offered: putting people in it would let them into that partnership's
    actions; work across partnerships goes through a grant made by the owner."""
    return (
        Team.objects.filter(partnership=partnership, ended_on__isnull=True)
        .select_related("organisation")
        .order_by("organisation__name", "name")
    )


def organisation_is_managed_by(organisation, partnership):
    """Whether the admin of ``partnership`` may change the organisation's own details:
    only when no other partnership has it as a partner (the county police, shared by
    every district, is changed by a site administrator)."""
    return not Membership.objects.filter(organisation=organisation).exclude(partnership=partnership).exists()


def team_is_managed_by(team, partnership):
    """Whether the admin of ``partnership`` may change ``team``: only its own teams."""
    return team.partnership_id == partnership.pk


def _check_own_team(partnership, team):
    if not team_is_managed_by(team, partnership):
        raise ValidationError(f"{team} is not a team of {partnership}.")


def grantable_teams(partnership):
    """Teams ``partnership`` may let work on its plan: current teams of other partnerships
    whose organisation is a current partner of ``partnership``, not granted already."""
    return (
        Team.objects.filter(
            ended_on__isnull=True,
            organisation__memberships__partnership=partnership,
            organisation__memberships__ended_on__isnull=True,
        )
        .exclude(partnership=partnership)
        .exclude(grants__partnership=partnership)
        .select_related("organisation")
        .distinct()
        .order_by("organisation__name", "name")
    )


@transaction.atomic
def team_grant_create(*, partnership, team, granted_by, note=""):
    """Let ``team`` (of another partnership) own and work on ``partnership``'s actions.
    Only ``partnership``'s admin calls this: access is given by the owner."""
    if team.partnership_id == partnership.pk:
        raise ValidationError(f"{team} is a team of {partnership} already.")
    if not grantable_teams(partnership).filter(pk=team.pk).exists():
        raise ValidationError(f"{team} cannot be given access: its organisation is not a current partner.")
    return TeamGrant.objects.create(partnership=partnership, team=team, granted_by=granted_by, note=note.strip())


@transaction.atomic
def team_grant_revoke(*, partnership, grant):
    """End ``grant`` at once: the team's people lose ``partnership``'s actions on their next page."""
    if grant.partnership_id != partnership.pk:
        raise ValidationError("This grant is another partnership's.")
    grant.delete()


def actions_owned_by_team(team):
    return ownership.provider().owned_by_team(team)


def withhold_action_texts(user, actions):
    """``actions`` as a list, marked for the ``action_text`` filter: the OFFICIAL-SENSITIVE
    texts ``user`` may not read are withheld (``partners.ownership``)."""
    return ownership.provider().withhold_texts(user, actions)


def open_actions_owned_by_organisation(partnership, organisation):
    """Open actions in ``partnership``'s plans owned by ``organisation`` or one of its teams."""
    return ownership.provider().open_owned_by_organisation(partnership, organisation)


@transaction.atomic
def team_create(*, partnership, organisation, name, email="", phone=""):
    """A team of ``organisation`` (a current partner) belonging to ``partnership``."""
    if not organisation.memberships.filter(partnership=partnership, ended_on__isnull=True).exists():
        raise ValidationError(f"{organisation} is not a current partner of {partnership}.")
    name = _clean_name(name)
    if Team.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError(f"{organisation} already has a team called “{name}”.")
    return Team.objects.create(organisation=organisation, partnership=partnership, name=name, email=email, phone=phone)


@transaction.atomic
def team_update(*, partnership, team, name, email="", phone=""):
    _check_own_team(partnership, team)
    name = _clean_name(name)
    if Team.objects.filter(organisation_id=team.organisation_id, name__iexact=name).exclude(pk=team.pk).exists():
        raise ValidationError(f"{team.organisation} already has a team called “{name}”.")
    team.name, team.email, team.phone = name, email, phone
    team.save()
    return team


@transaction.atomic
def team_end(*, partnership, team, ended_on):
    """End a team: it keeps its history and past actions, and is no longer offered for new ones."""
    _check_own_team(partnership, team)
    team.ended_on = ended_on
    team.save(update_fields=["ended_on"])
    return team


class OwnsActions(ValidationError):
    """Refusal to delete something that owns actions; ``actions`` lists them."""

    def __init__(self, message, actions):
        super().__init__(message)
        self.actions = actions


@transaction.atomic
def team_delete(*, partnership, team):
    """Delete a team entered by mistake. A team that owns actions is never deleted, only ended."""
    _check_own_team(partnership, team)
    owned = list(actions_owned_by_team(team))
    if owned:
        raise OwnsActions(
            f"{team} owns {len(owned)} action{'s' if len(owned) != 1 else ''}, so it cannot be deleted. "
            "Reassign them to another team, or end the team instead.",
            owned,
        )
    if team.members.exists():
        raise ValidationError(f"{team} still has people in it. Move them to another team first.")
    team.delete()


@transaction.atomic
def team_reassign_actions(*, partnership, team, to_team):
    """Move the actions ``team`` owns in ``partnership``'s plans that are not archived
    to ``to_team``.

    Archived plans are a record of the past, so their owners stay as they were; joint
    actions in other partnerships' plans are theirs to reassign. Returns the number moved.
    """
    if team.pk == to_team.pk:
        raise ValidationError("Choose a different team to take the actions.")
    if not teams_for_partnership(partnership).filter(pk=to_team.pk).exists():
        raise ValidationError(f"{to_team} is not a team of {partnership}.")
    return ownership.provider().move_team_actions(partnership=partnership, team=team, to_team=to_team)


@transaction.atomic
def organisation_reassign_actions(*, partnership, organisation, to_organisation):
    """Move the open actions ``organisation`` itself owns in ``partnership``'s plans that
    are not archived to ``to_organisation`` (a current partner). Actions its teams own
    are reassigned team by team. Returns the number moved."""
    if organisation.pk == to_organisation.pk:
        raise ValidationError("Choose a different organisation to take the actions.")
    if not Membership.objects.filter(
        partnership=partnership, organisation=to_organisation, ended_on__isnull=True
    ).exists():
        raise ValidationError(f"{to_organisation} is not a current partner of {partnership}.")
    return ownership.provider().move_organisation_actions(
        partnership=partnership, organisation=organisation, to_organisation=to_organisation
    )


# Contacts -------------------------------------------------------------------------


@transaction.atomic
def contact_save(
    *,
    partnership,
    contact=None,
    organisation=None,
    name,
    role="",
    email="",
    phone="",
    website="",
    team=None,
    is_public=False,
    order=0,
):
    """Add a contact of ``organisation`` to ``partnership``'s directory, or change ``contact``.

    The team, if any, must be the organisation's and not another partnership's.
    """
    if contact is None:
        contact = Contact(partnership=partnership, organisation=organisation)
    elif contact.partnership_id != partnership.pk:
        raise ValidationError(f"This contact is not one of {partnership}'s.")
    if team is not None and (
        team.organisation_id != contact.organisation_id or team.partnership_id not in (None, partnership.pk)
    ):
        raise ValidationError("The team must be one of this partnership's teams of the organisation chosen.")
    contact.name, contact.role, contact.email, contact.phone = name, role, email, phone
    contact.website, contact.team, contact.is_public, contact.order = website, team, is_public, order
    contact.save()
    return contact


@transaction.atomic
def contact_delete(*, partnership, contact):
    """Remove a contact from ``partnership``'s directory and contacts page."""
    if contact.partnership_id != partnership.pk:
        raise ValidationError(f"This contact is not one of {partnership}'s.")
    contact.delete()


@transaction.atomic
def contacts_publish(*, partnership, publish):
    """Publish (or withdraw) the partnership's contacts page for people not signed in."""
    partnership.contacts_public = publish
    partnership.save(update_fields=["contacts_public"])
    return partnership


# Governance groups ------------------------------------------------------------------


@transaction.atomic
def group_save(
    *,
    partnership,
    group=None,
    name,
    kind=GovernanceGroup.Kind.OTHER,
    abbreviation="",
    tier=None,
    description="",
    members=(),
):
    """Add a governance group led by ``partnership``, or change ``group``, which it must lead.

    The other partnerships taking part in a group are left as they are: only a site
    administrator sets them (in Django's admin), so no partnership writes into another's
    list of groups.
    """
    if group is None:
        group = GovernanceGroup(partnership=partnership)
    elif group.partnership_id != partnership.pk:
        raise ValidationError("Only the lead partnership's administrators may change this group.")
    name = _clean_name(name)
    if GovernanceGroup.objects.filter(partnership=partnership, name__iexact=name).exclude(pk=group.pk).exists():
        raise ValidationError(f"There is already a group called “{name}”.")
    group.name, group.kind, group.abbreviation = name, kind, abbreviation
    group.tier, group.description = tier, description
    group.save()
    group.members.set(members)
    return group


# People, roles and invitations -------------------------------------------------------


def people_in(partnership):
    """Users holding a role in ``partnership``, with their roles and teams loaded."""
    return (
        User.objects.filter(roles__partnership=partnership)
        .prefetch_related("roles", "teams__organisation")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


def _check_not_last_admin(partnership, user):
    """Refuse to leave a partnership without an administrator."""
    is_admin = Role.objects.filter(user=user, partnership=partnership, role=Role.Kind.ADMIN).exists()
    others = Role.objects.filter(partnership=partnership, role=Role.Kind.ADMIN, user__is_active=True).exclude(user=user)
    if is_admin and not others.exists():
        raise ValidationError(
            f"{user} is the only administrator of {partnership}. Make someone else administrator first."
        )


def _check_teams(partnership, teams):
    allowed = set(teams_for_partnership(partnership).values_list("pk", flat=True))
    foreign = [team for team in teams if team.pk not in allowed]
    if foreign:
        raise ValidationError(f"{foreign[0]} is not a team of {partnership}.")


@transaction.atomic
def invitation_create(*, partnership, email, role, teams=(), first_name="", last_name="", invited_by, site_url):
    """Invite ``email`` to ``partnership`` with a role and teams; email a one-time link.

    The link expires after INVITATION_DAYS days and works once; only a hash of the
    token is stored. Earlier unused invitations to the same address are withdrawn.
    Returns ``(invitation, raw_token)``.
    """
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email, roles__partnership=partnership).exists():
        raise ValidationError(f"{email} already has a role in {partnership}. Change it on their page instead.")
    _check_teams(partnership, teams)
    now = timezone.now()
    Invitation.objects.filter(
        partnership=partnership, email__iexact=email, accepted_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    raw, token_hash = Invitation.new_token()
    invitation = Invitation.objects.create(
        partnership=partnership,
        email=email,
        first_name=first_name,
        last_name=last_name,
        role=role,
        token_hash=token_hash,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=INVITATION_DAYS),
    )
    invitation.teams.set(teams)
    link = site_url.rstrip("/") + reverse("partners:invitation", args=[raw])
    context = {"invitation": invitation, "link": link, "days": INVITATION_DAYS, "site_name": settings.SITE_NAME}
    send_mail(
        subject=f"You are invited to {partnership.name}",
        message=render_to_string("partners/people_invitation_email.txt", context),
        from_email=None,
        recipient_list=[email],
    )
    return invitation, raw


def find_invitation(raw_token):
    """The invitation for a raw token from a link, usable or not, or None."""
    return Invitation.objects.select_related("partnership").filter(token_hash=Invitation.hash_token(raw_token)).first()


def _unique_username(email):
    base = email.split("@")[0][:140] or "user"
    username, n = base, 1
    while User.objects.filter(username__iexact=username).exists():
        n += 1
        username = f"{base}{n}"
    return username


@transaction.atomic
def invitation_accept(*, invitation, password=None, user=None):
    """Accept an invitation: create the person with their own ``password`` (or, for
    someone who already has an account, give the signed-in ``user`` the role).

    Refused once used or after expiry. The invitation row is locked so the link
    works once even when clicked twice at the same moment. Returns the user.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable():
        raise ValidationError("This invitation link has expired or has already been used. Ask for a new one.")
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError("An account with this email address exists already. Sign in to accept.")
        user = User(
            username=_unique_username(invitation.email),
            email=invitation.email,
            first_name=invitation.first_name,
            last_name=invitation.last_name,
        )
        user.set_password(password)
        user.save()
    elif user.email.lower() != invitation.email.lower():
        raise ValidationError("This invitation is for another email address.")
    teams = list(invitation.teams.all())
    granted = Role.objects.filter(user=user, partnership=invitation.partnership).first() or Role(
        user=user, partnership=invitation.partnership
    )
    granted.role = invitation.role
    granted._history_user = invitation.invited_by  # the person who chose this role, not the anonymous visitor
    granted._change_reason = f"Given the role {granted.get_role_display()}{_in_teams(teams)}, by invitation"
    granted.save()
    user.teams.add(*teams)
    invitation.accepted_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["accepted_at", "user"])
    user.forget_cached_access()
    return user


def _team_names(teams):
    return ", ".join(sorted(team.name for team in teams)) or "none"


def _in_teams(teams):
    return f" in {_team_names(teams)}" if teams else ""


@transaction.atomic
def role_set(*, partnership, user, role, teams):
    """Give ``user`` ``role`` in ``partnership`` and set which of the partnership's teams
    they are in. Teams of other partnerships are left exactly as they were."""
    _check_teams(partnership, teams)
    if role not in Role.Kind.values:
        raise ValidationError("Choose a role.")
    if role != Role.Kind.ADMIN:
        _check_not_last_admin(partnership, user)
    in_scope = set(teams_for_partnership(partnership).values_list("pk", flat=True))
    current_teams = [team for team in user.teams.all() if team.pk in in_scope]
    current = {team.pk for team in current_teams}
    wanted = {team.pk for team in teams}
    existing = Role.objects.filter(user=user, partnership=partnership).first()
    changes = []
    if existing is None:
        changes.append(f"Given the role {Role.Kind(role).label}{_in_teams(teams)}")
    elif existing.role != role:
        changes.append(f"Role changed from {existing.get_role_display()} to {Role.Kind(role).label}")
    if existing is not None and current != wanted:
        changes.append(f"Teams changed from {_team_names(current_teams)} to {_team_names(teams)}")
    if changes:  # one history line saying what changed; none when nothing did
        saved = existing or Role(user=user, partnership=partnership)
        saved.role = role
        saved._change_reason = ". ".join(changes)
        try:
            saved.save()
        except IntegrityError as error:  # pragma: no cover - the unique constraint guards a race
            raise ValidationError("The role could not be saved; try again.") from error
    if current - wanted:
        user.teams.remove(*(current - wanted))
    if wanted - current:
        user.teams.add(*(wanted - current))
    user.forget_cached_access()
    return user


@transaction.atomic
def role_remove(*, partnership, user):
    """Take away the user's role in ``partnership`` and their teams there. Returns the role
    they had and the teams they were taken out of (what an undo gives back)."""
    _check_not_last_admin(partnership, user)
    role = Role.objects.filter(user=user, partnership=partnership).first()
    if role is None:
        raise ValidationError(f"{user} has no role in {partnership}.")
    role.delete()
    in_scope = list(teams_for_partnership(partnership).filter(members=user))
    if in_scope:
        user.teams.remove(*in_scope)
    user.forget_cached_access()
    return role.role, in_scope


def end_sessions(user):
    """Delete every session of ``user`` from the session store, so they are signed out at once."""
    engine = import_module(settings.SESSION_ENGINE)
    store_class = engine.SessionStore
    if not hasattr(store_class, "get_model_class"):
        # Cache-only stores cannot be searched; Django still refuses inactive users on their next request.
        return 0
    model = store_class.get_model_class()
    ended = 0
    for session in model.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(store_class().decode(session.session_data).get(SESSION_KEY)) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def can_deactivate(*, partnership, user):
    """An admin may deactivate only people whose every role is in their own partnership."""
    if user.is_superuser:
        return False
    return not Role.objects.filter(user=user).exclude(partnership=partnership).exists()


@transaction.atomic
def user_deactivate(*, partnership, user, by):
    """Deactivate ``user`` and end their sessions at once. Refused for people who also
    hold a role in another partnership (remove their role here instead), for
    superusers, and for yourself."""
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate yourself.")
    if not can_deactivate(partnership=partnership, user=user):
        raise ValidationError(
            f"{user} also has a role in another partnership. Remove their role in {partnership} instead."
        )
    _check_not_last_admin(partnership, user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    end_sessions(user)
    return user


@transaction.atomic
def user_reactivate(*, partnership, user):
    if not can_deactivate(partnership=partnership, user=user):
        raise ValidationError(f"{user} also has a role in another partnership.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def reminder_preference_set(*, user, stale_digest):
    """Choose the routine digest of stale actions outside update rounds: weekly, or none."""
    preference, _ = ReminderPreference.objects.update_or_create(
        user=user, defaults={"stale_digest": stale_digest, "changed_at": timezone.now()}
    )
    return preference
