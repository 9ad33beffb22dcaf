"""Partnerships, partner organisations, memberships, teams, people and roles.

Words: a *partnership* is a Community Safety Partnership (CSP). "RAG" in this
module always means the Responsible Authorities Group, a governance group;
the Red/Amber/Green rating lives in ``actions.models.Rag``.
"""

import hashlib
import re
import secrets
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from simple_history.models import HistoricalRecords


def normalise_name(name):
    """Names compared case- and space-insensitively: " Hertsmere  SNT" == "hertsmere snt"."""
    return re.sub(r"\s+", " ", name or "").strip().casefold()


class PartnershipQuerySet(models.QuerySet):
    def for_user(self, user):
        """Partnerships in which the user holds a role."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(roles__user=user).distinct()


class Partnership(models.Model):
    """A Community Safety Partnership of one district (e.g. Hertsmere CSP)."""

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, help_text="Used in page headers, e.g. 'Hertsmere'.")
    slug = models.SlugField(max_length=60, unique=True)
    area = models.CharField(max_length=120, blank=True, help_text="Borough or district covered.")
    website = models.URLField(blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    update_interval_days = models.PositiveSmallIntegerField(
        default=42,
        help_text="An action needs an update when nothing was added for longer than this (days).",
    )
    contacts_public = models.BooleanField(
        default=False, help_text="Publish the contacts page to people who are not signed in."
    )
    is_fictional = models.BooleanField(default=False, help_text="Demo data: not a real partnership.")
    chairs_may_author = models.BooleanField(
        "Chairs may add and edit actions",
        default=False,
        help_text="Some chairs write the plan themselves; otherwise only administrators add and edit actions.",
    )
    two_factor_for_everyone = models.BooleanField(
        "Everyone must use two-factor authentication",
        default=False,
        help_text=(
            "Officers too must sign in with a code from an authenticator app. "
            "Administrators and chairs must always, when the installation requires it."
        ),
    )

    # Thresholds of the suggested rating (actions/suggestion.py, docs/suggested-rag.md).
    suggest_red_milestones = models.PositiveSmallIntegerField(
        "Overdue milestones that suggest Red",
        default=3,
        help_text="One overdue milestone suggests Amber; this many suggest Red.",
    )
    suggest_red_days_late = models.PositiveSmallIntegerField(
        "Days a milestone is late before it suggests Red",
        default=28,
        help_text="A milestone more than this many days late suggests Red.",
    )
    suggest_target_near_days = models.PositiveSmallIntegerField(
        "Days before the target date that suggest Amber",
        default=28,
        help_text="An open action whose target date is this close (or closer) suggests Amber; a passed one, Red.",
    )

    # The statutory calendar (plans/calendar_models.py, docs/statutory-calendar.md).
    duty_reminder_days = models.PositiveSmallIntegerField(
        "Days before a duty's date its owner is reminded",
        default=14,
        help_text="The owner of each statutory duty not done is emailed once, this many days before its date.",
    )

    class RollupRule(models.TextChoices):
        WORST = "worst", "Worst of the actions' ratings"
        MAJORITY = "majority", "The rating most actions have (the worse one on a tie)"

    rollup_rule = models.CharField(
        "Derived rating of issues, priorities and the plan",
        max_length=10,
        choices=RollupRule,
        default=RollupRule.WORST,
        help_text="Always shown as derived, never stored as a rating.",
    )

    history = HistoricalRecords()
    objects = PartnershipQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(update_interval_days__gte=1), name="partnership_update_interval_positive"
            ),
            models.CheckConstraint(
                condition=Q(suggest_red_milestones__gte=1)
                & Q(suggest_red_days_late__gte=1)
                & Q(suggest_target_near_days__gte=1),
                name="partnership_suggest_thresholds_positive",
            ),
            models.CheckConstraint(
                condition=Q(rollup_rule__in=["worst", "majority"]), name="partnership_rollup_rule_valid"
            ),
            models.CheckConstraint(
                condition=Q(duty_reminder_days__gte=1) & Q(duty_reminder_days__lte=90),
                name="partnership_duty_reminder_days_in_range",
            ),
        ]

    def __str__(self):
        return self.name


class OrganisationQuerySet(models.QuerySet):
    def current_partners(self, partnership=None):
        """Organisations with a current membership of ``partnership``, or of any partnership.

        Without ``partnership`` these are the public partners: the only organisations whose
        names an admin of another partnership may see and choose.
        """
        memberships = Membership.objects.filter(ended_on__isnull=True)
        if partnership is not None:
            memberships = memberships.filter(partnership=partnership)
        return self.filter(pk__in=memberships.values("organisation_id"))


class Organisation(models.Model):
    """A partner organisation: a council, police force, fire service, charity, housing association..."""

    class Sector(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"
        PCC = "pcc", "Police and Crime Commissioner"
        HOUSING = "housing", "Housing"
        EDUCATION = "education", "Education"
        VOLUNTARY = "voluntary", "Voluntary and community"
        BUSINESS = "business", "Business"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector, default=Sector.OTHER)
    description = models.TextField(blank=True)
    website = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    ended_on = models.DateField(
        null=True, blank=True, help_text="The day the organisation ceased to exist, e.g. when it was abolished."
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            # "Hertsmere SNT" and "hertsmere snt" are one organisation. Whitespace is
            # normalised by the services before saving; case here.
            models.UniqueConstraint(Lower("name"), name="organisation_name_unique_ci"),
        ]

    def __str__(self):
        return self.name


class Membership(models.Model):
    """An organisation's membership of a partnership over a period.

    Memberships change: a Clinical Commissioning Group became an Integrated Care
    Board, so the CCG's membership ends and ``replaced_by`` points to the ICB's.
    """

    class Type(models.TextChoices):
        STATUTORY = "statutory", "Statutory responsible authority"
        CO_OPTED = "co_opted", "Co-opted"
        NON_STATUTORY = "non_statutory", "Non-statutory partner"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    type = models.CharField(max_length=20, choices=Type)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces")
    note = models.CharField(
        max_length=200, blank=True, help_text="As the partnership describes it, e.g. 'co-operating body'."
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "type", "order", "organisation__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="membership_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(type__in=["statutory", "co_opted", "non_statutory"]), name="membership_type_valid"
            ),
            models.UniqueConstraint(
                fields=["partnership", "organisation"],
                condition=Q(ended_on__isnull=True),
                name="membership_one_current_per_organisation",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.partnership} ({self.get_type_display()})"

    @property
    def is_current(self):
        return self.ended_on is None or self.ended_on >= timezone.localdate()


class Team(models.Model):
    """A team within an organisation, e.g. "Hertsmere SNT" of Hertfordshire Constabulary.

    Every team belongs to one partnership, whose admin creates it and puts people in
    it. It works on another partnership's actions only when that partnership granted
    it (``TeamGrant``): an organisation is shared (the county police partners every
    district), a team is not.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    ended_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "organisation", name="team_name_unique_in_organisation"),
        ]

    def __str__(self):
        return self.name


class TeamGrant(models.Model):
    """The owning partnership lets a team of another partnership work on its actions.

    Only ``partnership``'s admin creates or revokes it: access across partnerships is
    data the owner wrote, never inferred from an organisation both partner with.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="team_grants")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="grants")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=200, blank=True, help_text="Why, e.g. 'joint youth panel action'.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "team__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "team"], name="team_grant_one_per_team"),
        ]

    def __str__(self):
        return f"{self.team} works on {self.partnership}'s plan"


class OwnerScope(NamedTuple):
    """The user's teams that may own actions of one partnership, and their organisations."""

    team_ids: frozenset
    organisation_ids: frozenset


class Contact(models.Model):
    """A contact: a person, a desk or a phone line, as on a partnership's contacts page."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="contacts")
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts"
    )
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    website = models.CharField(max_length=200, blank=True)
    is_public = models.BooleanField(default=False, help_text="Shown on the published contacts page.")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order", "name"]

    def __str__(self):
        return self.name


class GovernanceGroup(models.Model):
    """A governance group: the Responsible Authorities Group (RAG), a Joint Action Group (JAG),
    MARRG, a domestic-abuse forum. Some span partnerships ("Welwyn Hatfield, St Albans and
    Hertsmere DA Fora", the Tri-CSP youth panel): ``partnerships`` lists all of them.
    """

    class Kind(models.TextChoices):
        RAG = "rag", "Responsible Authorities Group"
        RAOG = "raog", "Responsible Authorities Officers Group"
        JAG = "jag", "Joint Action Group"
        CSAG = "csag", "Community Safety Action Group"
        MARRG = "marrg", "Multi-Agency Risk Reduction Group"
        DA_FORUM = "da_forum", "Domestic abuse forum"
        PANEL = "panel", "Panel"
        BOARD = "board", "Board"
        PARTNERSHIP = "partnership", "Partnership"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="governance_groups", help_text="The lead partnership."
    )
    partnerships = models.ManyToManyField(
        Partnership, blank=True, related_name="shared_governance_groups", help_text="Other partnerships taking part."
    )
    name = models.CharField(max_length=200)
    abbreviation = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OTHER)
    tier = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 = strategic, higher = operational.")
    description = models.TextField(blank=True)
    members = models.ManyToManyField(Organisation, blank=True, related_name="governance_groups")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[members, partnerships])

    class Meta:
        ordering = ["partnership", "order", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), "partnership", name="governance_group_name_unique"),
        ]

    def __str__(self):
        return self.name


def person_name(first_name, last_name, username):
    """How a user is named on pages (``str(user)``): full name, else username."""
    return f"{first_name} {last_name}".strip() or username


class RoleHeld(NamedTuple):
    """A role the signed-in user holds (what ``User._roles`` gives): where, and which."""

    partnership_id: int
    role: str


class User(AbstractUser):
    """A person who signs in. Belongs to teams; holds a role per partnership (``Role``)."""

    job_title = models.CharField(max_length=200, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="members")
    two_factor_reset_at = models.DateTimeField(
        null=True, blank=True, help_text="When an administrator last removed this person's second factor."
    )

    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["first_name", "last_name", "username"]

    def __str__(self):
        return person_name(self.first_name, self.last_name, self.username)

    def role_in(self, partnership):
        """This user's role in a partnership, or None (from the roles read once a request)."""
        partnership_id = getattr(partnership, "pk", partnership)
        for role in self._roles():
            if role.partnership_id == partnership_id:
                return role.role
        return None

    def partnership_ids(self, *roles):
        """The partnerships where the user holds a role (one of ``roles``, when given)."""
        return {held.partnership_id for held in self._roles() if not roles or held.role in roles}

    def _roles(self):
        """The partnerships where the user holds a role, as (partnership_id, role) pairs."""
        if getattr(self, "_role_cache", None) is None:
            self._load_access()
        return self._role_cache

    def team_ids(self):
        if getattr(self, "_team_id_cache", None) is None:
            self._load_access()
        return self._team_id_cache

    def owner_scopes(self):
        """{partnership id: OwnerScope}: for each partnership, the user's teams that count
        as owners of its actions (its own teams and the teams it granted) and their
        organisations. ``actions.access`` builds the one owner rule on this."""
        if getattr(self, "_owner_scope_cache", None) is None:
            self._load_access()
        return self._owner_scope_cache

    def _load_access(self):
        """The user's roles, teams and grants, in one query: nearly every page asks for them."""
        kind = models.CharField()
        number = models.BigIntegerField()
        roles = (
            Role.objects.filter(user=self)
            .annotate(
                held=models.Value("role", output_field=kind),
                no_organisation=models.Value(None, output_field=number),
                no_partnership=models.Value(None, output_field=number),
            )
            .values_list("held", "partnership_id", "role", "no_organisation", "no_partnership")
            .order_by()
        )
        teams = (
            User.teams.through.objects.filter(user=self)
            .annotate(held=models.Value("team", output_field=kind), no_role=models.Value("", output_field=kind))
            .values_list("held", "team_id", "no_role", "team__organisation_id", "team__partnership_id")
            .order_by()
        )
        grants = (
            TeamGrant.objects.filter(team__members=self)
            .annotate(held=models.Value("grant", output_field=kind), no_role=models.Value("", output_field=kind))
            .values_list("held", "team_id", "no_role", "team__organisation_id", "partnership_id")
            .order_by()
        )
        rows = list(roles.union(teams, grants, all=True))
        self._role_cache = [RoleHeld(pk, role) for held, pk, role, _, _ in rows if held == "role"]
        self._team_id_cache = {pk for held, pk, _, _, _ in rows if held == "team"}
        scopes = {}
        for held, team_id, _, organisation_id, partnership_id in rows:
            if held != "role":
                teams_there, organisations_there = scopes.setdefault(partnership_id, (set(), set()))
                teams_there.add(team_id)
                organisations_there.add(organisation_id)
        self._owner_scope_cache = {
            pk: OwnerScope(frozenset(team_ids), frozenset(organisation_ids))
            for pk, (team_ids, organisation_ids) in scopes.items()
        }

    def forget_cached_access(self):
        for name in ("_role_cache", "_team_id_cache", "_owner_scope_cache"):
            self.__dict__.pop(name, None)


class Role(models.Model):
    """A person's role in one partnership."""

    class Kind(models.TextChoices):
        OFFICER = "officer", "Officer"
        CHAIR = "chair", "Chair or reviewer"
        ADMIN = "admin", "Partnership administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=10, choices=Kind)

    # The reason says what changed ("Teams changed from X to Y"): teams are not fields of the role.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["partnership", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership"], name="role_one_per_partnership"),
            models.CheckConstraint(condition=Q(role__in=["officer", "chair", "admin"]), name="role_kind_valid"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}, {self.partnership}"


def _hash_token(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class Invitation(models.Model):
    """An invitation to join a partnership: a one-time link, stored only as a hash."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    first_name = models.CharField(max_length=150, blank=True)
    last_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=10, choices=Role.Kind)
    teams = models.ManyToManyField(Team, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation for {self.email} to {self.partnership}"

    @staticmethod
    def new_token():
        raw = secrets.token_urlsafe(32)
        return raw, _hash_token(raw)

    @staticmethod
    def hash_token(raw):
        return _hash_token(raw)

    def is_usable(self):
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal token for the analyst feed; only its hash is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, help_text="The first characters, to tell tokens apart.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def new_token():
        raw = "csp_" + secrets.token_urlsafe(32)
        return raw, raw[:10], _hash_token(raw)

    @staticmethod
    def hash_token(raw):
        return _hash_token(raw)

    @property
    def is_active(self):
        return self.revoked_at is None


class RecoveryCode(models.Model):
    """A one-time code to sign in without the authenticator app; only a salted hash is kept."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    salt = models.CharField(max_length=32)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Recovery code of {self.user} ({'used' if self.used_at else 'unused'})"

    @staticmethod
    def hash_code(salt, raw):
        """Codes are random (50 bits), so a salted SHA-256 is enough; normalised first:
        case, spaces and dashes do not matter when a person types one."""
        normal = re.sub(r"[\s-]", "", raw or "").lower()
        return hashlib.sha256(f"{salt}:{normal}".encode()).hexdigest()


class UserSession(models.Model):
    """One signed-in browser of a person, so they can see and end their sessions
    (written when they sign in; the session itself lives in Django's session store)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    user_agent = models.CharField(max_length=200, blank=True)
    ip_address = models.CharField(max_length=64, blank=True, help_text="Shortened: the network, not the machine.")
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen_at"]

    def __str__(self):
        return f"Session of {self.user} since {self.created_at:%Y-%m-%d %H:%M}"


class ReminderPreference(models.Model):
    """A person's choice of routine email outside update rounds (round requests are part of
    the job and always sent)."""

    class Digest(models.TextChoices):
        WEEKLY = "weekly", "Weekly: my actions that need an update"
        NONE = "none", "None"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    stale_digest = models.CharField(max_length=10, choices=Digest, default=Digest.WEEKLY)
    changed_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stale_digest__in=["weekly", "none"]), name="reminder_digest_valid")
        ]

    def __str__(self):
        return f"{self.user}: {self.get_stale_digest_display()}"

    @classmethod
    def digest_for(cls, user):
        """The user's choice; weekly until they choose."""
        pref = cls.objects.filter(user=user).first()
        return pref.stale_digest if pref else cls.Digest.WEEKLY


def email_domain(email):
    """The part after the last @, lower case; "" for no address."""
    return email.rpartition("@")[2].strip().lower() if "@" in (email or "") else ""


class SsoDomainQuerySet(models.QuerySet):
    def trusts(self, email):
        domain = email_domain(email)
        return bool(domain) and self.filter(domain=domain).exists()


class SsoDomain(models.Model):
    """An email domain the installation's identity provider is trusted for (single sign-on).

    Installation-wide, like the provider itself (docs/single-sign-on.md): a person whose
    verified email is in none of these domains cannot sign in by single sign-on.
    """

    domain = models.CharField(
        max_length=253,
        unique=True,
        help_text="Exactly the part after @, e.g. hertsmere.gov.uk (sub-domains are separate entries).",
    )
    note = models.CharField(max_length=200, blank=True, help_text="Whose domain, e.g. 'Hertsmere Borough Council'.")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    objects = SsoDomainQuerySet.as_manager()

    class Meta:
        ordering = ["domain"]
        verbose_name = "single sign-on domain"
        constraints = [
            models.CheckConstraint(
                condition=Q(domain=Lower("domain")) & ~Q(domain="") & ~Q(domain__contains="@"),
                name="sso_domain_lower_case_without_at",
            )
        ]

    def __str__(self):
        return self.domain


class SsoIdentity(models.Model):
    """The identity provider's subject (``sub``) a person was matched to on their first SSO sign-in.

    Later sign-ins are matched by it, not by email, so an address the provider hands to
    someone else later does not open this account.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity")
    issuer = models.CharField(max_length=500)
    subject = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "single sign-on identity"
        verbose_name_plural = "single sign-on identities"
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique_subject")]

    def __str__(self):
        return f"{self.user} ({self.subject})"
