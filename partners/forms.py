"""Forms of the partner directory, people and governance groups (rendered with crispy-forms-gds)."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.db.models import Q
from django.utils import timezone

from csp.forms import DateField

from .models import Contact, GovernanceGroup, Membership, Organisation, Partnership, Role, Team
from .services import teams_for_partnership


class DateInput(forms.DateInput):
    input_type = "date"


class TeamChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, team):
        return f"{team.name} ({team.organisation.name})"


class MembershipAddForm(forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        required=False,
        label="An organisation already known",
        help_text="Choose one, or give the name of a new organisation below.",
    )
    new_name = forms.CharField(label="Or a new organisation's name", required=False, max_length=200)
    sector = forms.ChoiceField(choices=Organisation.Sector.choices, initial=Organisation.Sector.OTHER)
    website = forms.CharField(required=False, max_length=200, help_text="For a new organisation.")
    type = forms.ChoiceField(label="Kind of partner", choices=Membership.Type.choices, widget=forms.RadioSelect)
    started_on = DateField(label="Joined on", required=False, widget=DateInput)
    note = forms.CharField(required=False, max_length=200, help_text="As the partnership describes it.")
    replaces = forms.ModelChoiceField(
        queryset=Membership.objects.none(),
        required=False,
        label="Replaces a current partner",
        help_text="For example an Integrated Care Board replacing a Clinical Commissioning Group.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        current = Membership.objects.filter(partnership=partnership, ended_on__isnull=True)
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            pk__in=current.values("organisation_id")
        ).order_by("name")
        self.fields["replaces"].queryset = current.select_related("organisation").order_by("organisation__name")
        self.fields["replaces"].label_from_instance = lambda m: m.organisation.name

    def clean(self):
        data = super().clean()
        if bool(data.get("organisation")) == bool((data.get("new_name") or "").strip()):
            raise forms.ValidationError(
                "Choose an existing organisation or give the name of a new one (one of the two)."
            )
        return data


class MembershipEditForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["type", "started_on", "note"]
        labels = {"type": "Kind of partner", "started_on": "Joined on"}
        widgets = {"type": forms.RadioSelect, "started_on": DateInput}
        field_classes = {"started_on": DateField}


class MembershipEndForm(forms.Form):
    ended_on = DateField(label="Left on", widget=DateInput, initial=timezone.localdate)
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


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "website", "email", "phone", "description"]


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "email", "phone"]


class TeamEndForm(forms.Form):
    ended_on = DateField(label="Team ended on", widget=DateInput, initial=timezone.localdate)


class ReassignForm(forms.Form):
    to_team = forms.ModelChoiceField(queryset=Team.objects.none(), label="Give the actions to")

    def __init__(self, *args, partnership, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_team"].queryset = teams_for_partnership(partnership).exclude(pk=team.pk)
        self.fields["to_team"].label_from_instance = lambda t: f"{t.name} ({t.organisation.name})"


class OrganisationReassignForm(forms.Form):
    to_organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Give its own open actions to")

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


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "website", "team", "is_public", "order"]
        labels = {"is_public": "Show on the published contacts page"}

    def __init__(self, *args, organisation, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(organisation=organisation).order_by("name")
        self.fields["team"].required = False


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Email address")
    first_name = forms.CharField(max_length=150, required=False)
    last_name = forms.CharField(max_length=150, required=False)
    role = forms.ChoiceField(choices=Role.Kind.choices, widget=forms.RadioSelect, initial=Role.Kind.OFFICER)
    teams = TeamChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_for_partnership(partnership)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.Kind.choices, widget=forms.RadioSelect)
    teams = TeamChoiceField(queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teams"].queryset = teams_for_partnership(partnership)


class AcceptInvitationForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label="Type the password again", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
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


class GroupForm(forms.ModelForm):
    members = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    partnerships = forms.ModelMultipleChoiceField(
        queryset=Partnership.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Other partnerships taking part",
    )

    class Meta:
        model = GovernanceGroup
        fields = ["name", "abbreviation", "kind", "tier", "description", "members", "partnerships"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_ids = {partnership.pk}
        if self.instance.pk:
            partnership_ids |= set(self.instance.partnerships.values_list("pk", flat=True))
        self.fields["members"].queryset = (
            Organisation.objects.filter(
                Q(memberships__partnership_id__in=partnership_ids, memberships__ended_on__isnull=True)
                | Q(pk__in=self.instance.members.values("pk") if self.instance.pk else [])
            )
            .distinct()
            .order_by("name")
        )
        self.fields["partnerships"].queryset = Partnership.objects.exclude(pk=partnership.pk).order_by("name")
