"""Forms of writing the plan's actions; each one's cleaned data are its service's keyword
arguments (``actions.authoring``)."""

from django import forms

from partners.fields import DateField
from partners.models import GovernanceGroup
from partners.voice import Form
from plans.models import Issue

from .authoring import CLOSING_STATUSES
from .forms import TEXT_MAX, ActionEditForm, MeasureChoiceField, OwnerChoiceField, offer_measures
from .models import Rag, Status
from .owners import owner_choices


class IssueChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.priority.number}. {obj.priority.title} – {obj}"


def _issue_field(label="Issue"):
    return IssueChoiceField(
        label=label,
        queryset=Issue.objects.none(),
        empty_label="Choose an issue",
        error_messages={"required": "Choose an issue", "invalid_choice": "Choose an issue from the list"},
    )


def plan_issues(plan):
    return Issue.objects.filter(priority__plan=plan).select_related("priority").order_by("priority__number", "order")


def _reason_field(label, required_message):
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": required_message, "max_length": "The reason must be 2,000 characters or fewer"},
    )


class ActionNewForm(Form):
    """A new action of ``plan``: its issue, text, owners, target date, and an optional first update."""

    issue = _issue_field()
    text = ActionEditForm.base_fields["text"]
    owner_teams = ActionEditForm.base_fields["owner_teams"]
    owner_organisations = ActionEditForm.base_fields["owner_organisations"]
    owner_groups = OwnerChoiceField(
        label="Owning governance groups",
        queryset=GovernanceGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_role = ActionEditForm.base_fields["owner_role"]
    measures = MeasureChoiceField()
    target_date = DateField(
        label="Target date (optional)",
        required=False,
    )
    first_update = forms.CharField(
        label="First update (optional)",
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What has happened so far, if anything. It is dated today.",
        error_messages={"max_length": f"First update must be {TEXT_MAX:,} characters or fewer"},
    )
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        required=False,
        widget=forms.RadioSelect,
        help_text="Given with the first update.",
        error_messages={"invalid_choice": "Select a RAG rating from the list"},
    )

    def __init__(self, *args, plan, issues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = issues if issues is not None else plan_issues(plan)
        choices = owner_choices(plan.partnership)
        self.fields["owner_teams"].queryset = choices.teams
        self.fields["owner_organisations"].queryset = choices.organisations
        self.fields["owner_groups"].queryset = choices.groups
        offer_measures(self, plan)

    def clean(self):
        data = super().clean()
        owners = ("owner_teams", "owner_organisations", "owner_groups", "owner_role")
        if all(name in data for name in owners) and not any(data[name] for name in owners):
            self.add_error("owner_teams", "Select at least one owning team, organisation or group, or name an owner")
        if data.get("rag") and not data.get("first_update"):
            self.add_error("first_update", "Enter the first update, or leave the RAG rating unselected")
        return data


class ActionProposeForm(ActionNewForm):
    """An officer's proposal: the action without a first update, under an issue their team works on."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["first_update"]
        del self.fields["rag"]


class ActionMoveForm(Form):
    issue = _issue_field("Move to")

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issue"].queryset = plan_issues(action.plan).exclude(pk=action.issue_id)


class ActionCloseForm(Form):
    status = forms.ChoiceField(
        label="How is it closed?",
        choices=[(value, label) for value, label in Status.choices if value in CLOSING_STATUSES],
        widget=forms.RadioSelect,
        error_messages={"required": "Select how the action is closed", "invalid_choice": "Select from the list"},
    )
    reason = _reason_field("Reason", "Enter why the action is closed")


class ActionReopenForm(Form):
    reason = _reason_field("Why is it reopened?", "Enter why the action is reopened")


class ProposalDecideForm(Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("accept", "Accept: add it to the plan"), ("reject", "Reject it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select accept or reject", "invalid_choice": "Select accept or reject"},
    )
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you reject it; the officer who proposed it sees it.",
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("reason", "").strip():
            self.add_error("reason", "Enter why the proposal is rejected")
        return data
