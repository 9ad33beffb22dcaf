"""The form of a bulk change on the plan page (``actions.bulk``): which change, with its choices."""

from django import forms

from partners.fields import DateField
from partners.models import GovernanceGroup, Organisation, Team
from partners.voice import Form
from plans.models import Issue

from .bulk import CLOSING_STATUSES, Change, OwnerMode
from .forms import OwnerChoiceField
from .owners import owner_choices


class IssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.priority.number}. {obj.title or '(no issue given)'}"


# The fields each change needs; the others are dropped so that cleaned_data are
# ``bulk_preview``'s and ``bulk_change``'s keyword arguments.
FIELDS_OF = {
    Change.OWNERS: ("owner_mode", "owner_teams", "owner_organisations", "owner_groups"),
    Change.ISSUE: ("issue",),
    Change.TARGET_DATE: ("target_date",),
    Change.CLOSE: ("status", "status_reason"),
}


class BulkChangeForm(Form):
    change = forms.ChoiceField(
        label="What do you want to change?",
        choices=Change.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what to change", "invalid_choice": "Select what to change"},
    )
    owner_mode = forms.ChoiceField(
        label="New owners",
        choices=OwnerMode.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select whether to replace or add owners"},
    )
    owner_teams = OwnerChoiceField(
        label="Teams", queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    owner_organisations = OwnerChoiceField(
        label="Organisations", queryset=Organisation.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    owner_groups = OwnerChoiceField(
        label="Governance groups",
        queryset=GovernanceGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    issue = IssueChoiceField(
        label="Issue to move them to",
        queryset=Issue.objects.none(),
        required=False,
        empty_label="Select an issue",
        error_messages={"invalid_choice": "Select an issue of this plan"},
    )
    target_date = DateField(
        label="New target date",
        required=False,
        error_messages={
            "invalid": "Target date must be a real date, like 27/3/2026",
            "out_of_range": "Target date must be between %(earliest)s and %(latest)s",
        },
    )
    status = forms.ChoiceField(
        label="Close as",
        choices=CLOSING_STATUSES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select how the actions are closed"},
    )
    status_reason = forms.CharField(
        label="Reason", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        choices = owner_choices(plan.partnership)
        self.fields["owner_teams"].queryset = choices.teams
        self.fields["owner_organisations"].queryset = choices.organisations
        self.fields["owner_groups"].queryset = choices.groups
        self.fields["issue"].queryset = (
            Issue.objects.filter(priority__plan=plan)
            .select_related("priority")
            .order_by("priority__number", "order", "pk")
        )

    def clean(self):
        data = super().clean()
        change = data.get("change")
        if change == Change.OWNERS:
            if not data.get("owner_mode"):
                self.add_error("owner_mode", "Select whether to replace or add owners")
            if not (data.get("owner_teams") or data.get("owner_organisations") or data.get("owner_groups")):
                self.add_error("owner_teams", "Select at least one team, organisation or governance group")
        elif change == Change.ISSUE and not data.get("issue") and "issue" not in self.errors:
            self.add_error("issue", "Select the issue to move the actions to")
        elif change == Change.TARGET_DATE and not data.get("target_date") and "target_date" not in self.errors:
            self.add_error("target_date", "Enter the new target date")
        elif change == Change.CLOSE:
            if not data.get("status") and "status" not in self.errors:
                self.add_error("status", "Select how the actions are closed")
            if not (data.get("status_reason") or "").strip():
                self.add_error("status_reason", "Enter why the actions are closed")
        if change in FIELDS_OF:
            return {"change": change, **{name: data.get(name) for name in FIELDS_OF[change]}}
        return data

    def carried(self):
        """(name, value) of what was chosen, for the confirmation page to send on as hidden inputs."""
        names = ["change", *FIELDS_OF[self.cleaned_data["change"]]]
        return [(name, value) for name in names for value in self.data.getlist(name)]
