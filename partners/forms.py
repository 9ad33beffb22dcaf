"""Forms of the partner directory, people and governance groups (rendered with crispy-forms-gds)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.utils import timezone

from .fields import DATE_HINT, DateField
from .models import GovernanceGroup, Membership, Organisation, Partnership, Role, Team
from .services import find_organisation, grantable_teams, teams_for_partnership
from .voice import Form


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.organisation.name})"


class MembershipForm(Form):
    """A membership's own fields, as ``services.membership_update`` takes them."""

    type = forms.ChoiceField(label="Kind of partner", choices=Membership.Type.choices, widget=forms.RadioSelect)
    started_on = DateField(label="Joined on", required=False)
    note = forms.CharField(required=False, max_length=200, help_text="As the partnership describes it.")


class MembershipAddForm(MembershipForm):
    """A new partner: one of the public partners (organisations that are a current partner of
    some partnership, named without saying which) or a new organisation by name. Organisations
    that are nobody's current partner stay unnamed and cannot be chosen by id."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="An organisation already known",
        help_text="Partners of community safety partnerships on this site. Choose one, or give the name of a "
        "new organisation below.",
    )
    new_name = forms.CharField(label="Or a new organisation's name", required=False, max_length=200)
    sector = forms.ChoiceField(choices=Organisation.Sector.choices, initial=Organisation.Sector.OTHER)
    website = forms.CharField(required=False, max_length=200, help_text="For a new organisation.")
    replaces = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label="Replaces a current partner",
        help_text="For example an Integrated Care Board replacing a Clinical Commissioning Group.",
    )

    field_order = ["organisation", "new_name", "sector", "website", "type", "started_on", "note", "replaces"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partners_here = Organisation.objects.current_partners(partnership)
        self.fields["organisation"].queryset = (
            Organisation.objects.current_partners().exclude(pk__in=self.partners_here.values("pk")).order_by("name")
        )
        current = Membership.objects.filter(partnership=partnership, ended_on__isnull=True)
        self.fields["replaces"].queryset = current.select_related("organisation").order_by("organisation__name")
        self.fields["replaces"].label_from_instance = lambda m: m.organisation.name

    def clean(self):
        """``services.membership_add``'s arguments: an ``organisation`` or a ``new_organisation``."""
        data = super().clean()
        new = {"name": data.pop("new_name", ""), "sector": data.pop("sector", None), "website": data.pop("website", "")}
        if self.has_error("organisation"):
            return data
        if bool(data.get("organisation")) == bool(new["name"]):
            raise forms.ValidationError(
                "Choose an existing organisation or give the name of a new one (one of the two)."
            )
        if data.get("organisation"):
            data["new_organisation"] = None
        elif (known := find_organisation(new["name"])) is not None:
            raise forms.ValidationError(self._known_name_message(known))
        else:
            data["new_organisation"] = new
        return data

    def _known_name_message(self, known):
        """Where an organisation of that name can be chosen, if anywhere, naming no partnership."""
        if self.fields["organisation"].queryset.filter(pk=known.pk).exists():
            return f"An organisation called “{known.name}” already exists: choose it from the list above."
        if self.partners_here.filter(pk=known.pk).exists():
            return f"An organisation called “{known.name}” already exists and is a current partner here."
        return (
            f"An organisation called “{known.name}” already exists but is not a current partner of any "
            "partnership, so it cannot be added here. Ask a site administrator."
        )


class MembershipEndForm(Form):
    ended_on = DateField(
        label="Left on",
        initial=timezone.localdate,
        error_messages={"required": "Enter the date it left the partnership"},
    )
    replaced_by = forms.ModelChoiceField(
        queryset=Membership.objects.none(), required=False, label="Replaced by (optional)"
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["replaced_by"].queryset = (
            Membership.objects.filter(partnership_id=membership.partnership_id, ended_on__isnull=True)
            .exclude(pk=membership.pk)
            .select_related("organisation")
            .order_by("organisation__name")
        )
        self.fields["replaced_by"].label_from_instance = lambda m: m.organisation.name


# The forms below edit an existing object through its service, so they are plain forms
# filled from it (``model_to_dict``): a ModelForm would change the object while validating.


class OrganisationForm(Form):
    name = forms.CharField(max_length=200)
    sector = forms.ChoiceField(choices=Organisation.Sector.choices, initial=Organisation.Sector.OTHER)
    website = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    description = forms.CharField(widget=forms.Textarea, required=False)
    ended_on = DateField(
        label="Ceased to exist on (optional)",
        required=False,
        help_text=f"{DATE_HINT}. For a body that was abolished, such as a Clinical Commissioning Group. "
        "It is then no longer offered as an owner of actions; the actions it owned keep its name.",
    )


class PartnershipSettingsForm(Form):
    chairs_may_author = forms.BooleanField(
        label="Chairs may add and edit actions",
        required=False,
        help_text="Otherwise only administrators add, move and close actions and decide officers' proposals; "
        "chairs add review comments.",
    )
    two_factor_for_everyone = forms.BooleanField(
        label="Everyone must use two-factor authentication",
        required=False,
        help_text="Officers too sign in with a code from an authenticator app, from their next sign-in. "
        "Administrators and chairs must always, where the installation requires it.",
    )
    # The suggested rating's thresholds and the roll-up rule (docs/suggested-rag.md). Left
    # empty, a setting keeps its value.
    suggest_red_milestones = forms.IntegerField(
        label=Partnership._meta.get_field("suggest_red_milestones").verbose_name.capitalize(),
        required=False,
        min_value=1,
        max_value=100,
        help_text=Partnership._meta.get_field("suggest_red_milestones").help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    suggest_red_days_late = forms.IntegerField(
        label=Partnership._meta.get_field("suggest_red_days_late").verbose_name.capitalize(),
        required=False,
        min_value=1,
        max_value=365,
        help_text=Partnership._meta.get_field("suggest_red_days_late").help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    suggest_target_near_days = forms.IntegerField(
        label=Partnership._meta.get_field("suggest_target_near_days").verbose_name.capitalize(),
        required=False,
        min_value=1,
        max_value=365,
        help_text=Partnership._meta.get_field("suggest_target_near_days").help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )
    rollup_rule = forms.ChoiceField(
        label=Partnership._meta.get_field("rollup_rule").verbose_name,
        choices=Partnership.RollupRule.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text=Partnership._meta.get_field("rollup_rule").help_text,
    )
    duty_reminder_days = forms.IntegerField(
        label=Partnership._meta.get_field("duty_reminder_days").verbose_name,
        required=False,
        min_value=1,
        max_value=90,
        help_text=Partnership._meta.get_field("duty_reminder_days").help_text,
        widget=forms.NumberInput(attrs={"class": "govuk-input--width-3"}),
    )


class TeamForm(Form):
    name = forms.CharField(max_length=200)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)


class TeamEndForm(Form):
    ended_on = DateField(
        label="Team ended on",
        initial=timezone.localdate,
        error_messages={"required": "Enter the date the team ended"},
    )


class ReassignForm(Form):
    to_team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        label="Give the actions to",
        error_messages={"required": "Choose the team to give the actions to"},
    )

    def __init__(self, *args, partnership, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = teams_for_partnership(partnership).exclude(pk=team.pk)
        self.fields["to_team"].label_from_instance = lambda t: f"{t.name} ({t.organisation.name})"


class OrganisationReassignForm(Form):
    to_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Give its own open actions to",
        error_messages={"required": "Choose the organisation to give its open actions to"},
    )

    def __init__(self, *args, membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_organisation"].queryset = (
            Organisation.objects.filter(
                memberships__partnership_id=membership.partnership_id, memberships__ended_on__isnull=True
            )
            .exclude(pk=membership.organisation_id)
            .distinct()
            .order_by("name")
        )


class ContactForm(Form):
    name = forms.CharField(max_length=200)
    role = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=40, required=False)
    website = forms.CharField(max_length=200, required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.none(), required=False)
    is_public = forms.BooleanField(required=False, label="Show on the published contacts page")
    order = forms.IntegerField(min_value=0, initial=0)

    def __init__(self, *args, organisation, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        # The organisation's teams in this partnership only: a shared organisation's teams
        # elsewhere are another partnership's to name.
        self.fields["team"].queryset = (
            Team.objects.filter(organisation=organisation)
            .filter(Q(partnership=partnership) | Q(partnership__isnull=True))
            .order_by("name")
        )


class InvitationForm(Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.Kind.choices, widget=forms.RadioSelect, initial=Role.Kind.OFFICER)
    teams = TeamChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_for_partnership(partnership)


class RoleForm(Form):
    role = forms.ChoiceField(choices=Role.Kind.choices, widget=forms.RadioSelect)
    teams = TeamChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_for_partnership(partnership)


class AcceptInvitationForm(Form):
    password1 = forms.CharField(
        label="Choose a password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter a password"},
    )
    password2 = forms.CharField(
        label="Type the password again",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "Enter the password again"},
    )

    def __init__(self, *args, invitation, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = invitation

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "The two passwords do not match.")
        elif data.get("password1"):
            from .models import User

            probe = User(
                email=self.invitation.email, first_name=self.invitation.first_name, last_name=self.invitation.last_name
            )
            try:
                validate_password(data["password1"], probe)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class GroupForm(Form):
    """A governance group led by ``partnership``. The other partnerships of a group that spans
    several are set by a site administrator only, so this form never names them."""

    name = forms.CharField(max_length=200)
    abbreviation = forms.CharField(max_length=20, required=False)
    kind = forms.ChoiceField(choices=GovernanceGroup.Kind.choices, initial=GovernanceGroup.Kind.OTHER)
    tier = forms.IntegerField(
        min_value=0, max_value=32767, required=False, help_text="1 = strategic, higher = operational."
    )
    description = forms.CharField(widget=forms.Textarea, required=False)
    members = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, partnership, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_ids = {partnership.pk}
        if group is not None:
            partnership_ids |= set(group.partnerships.values_list("pk", flat=True))
        self.fields["members"].queryset = (
            Organisation.objects.filter(
                Q(memberships__partnership_id__in=partnership_ids, memberships__ended_on__isnull=True)
                | Q(pk__in=group.members.values("pk") if group is not None else [])
            )
            .distinct()
            .order_by("name")
        )


class TeamGrantForm(Form):
    """Let a team of another partnership work on this partnership's plan: its cleaned data
    are ``services.team_grant_create``'s arguments."""

    team = forms.ModelChoiceField(
        queryset=Team.objects.none(),
        empty_label="Choose a team",
        error_messages={"required": "Choose the team", "invalid_choice": "Choose one of the teams listed"},
        help_text="Teams of other partnerships whose organisation is one of your current partners.",
    )
    note = forms.CharField(
        max_length=200, required=False, help_text="Why, for example 'joint youth panel action'.", label="Note"
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = grantable_teams(partnership)
        self.fields["team"].label_from_instance = lambda team: f"{team.name} ({team.organisation.name})"


class AuthenticatorCodeForm(Form):
    """A 6-digit code from an authenticator app."""

    code = forms.CharField(
        label="Code from your authenticator app",
        max_length=12,
        help_text="The 6-digit code the app shows now, for example 123456.",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-10",
            }
        ),
    )

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "").replace("-", "")
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError("Enter the 6-digit code, numbers only.")
        return code


class RecoveryCodeForm(Form):
    code = forms.CharField(
        label="Recovery code",
        max_length=20,
        help_text="One of the codes you saved when you set up your authenticator, for example abcde-fghij.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "class": "govuk-input--width-20"}),
    )


class ReminderPreferenceForm(Form):
    """``services.reminder_preference_set``'s choice."""

    stale_digest = forms.ChoiceField(
        label="Email me a summary of my actions that need an update",
        choices=[("weekly", "Weekly, on Monday morning"), ("none", "Never")],
        widget=forms.RadioSelect,
        help_text="Requests for updates before a meeting are part of the job and are always sent.",
    )
