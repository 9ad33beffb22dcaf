"""Forms of the officer workflow: adding and correcting updates, editing an action."""

from django import forms
from django.db.models import F
from django.utils import timezone

from partners.fields import DateField
from partners.models import GovernanceGroup, Organisation, Team
from partners.voice import Form

from .measures import measures_for_plan
from .milestone_forms import keep_date_field, warn_target_before_milestones
from .models import PROPOSAL_STATUSES, Marking, PerformanceMeasure, Rag, Status
from .owners import owner_choices

TEXT_MAX = 10_000

# The status change an update may carry: an officer completes an action or discharges it from the plan.
STATUS_CHOICES = [
    ("", "No change"),
    (Status.COMPLETED, "Completed"),
    (Status.DISCHARGED, "Discharged from the plan"),
]


class UpdateDateField(DateField):
    default_error_messages = {
        "required": "Enter the date of the update",
    }

    def __init__(self, **kwargs):
        super().__init__(label="Date of update", **kwargs)


def _text_field(label, empty_message):
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": empty_message,
            "max_length": f"{label} must be {TEXT_MAX:,} characters or fewer",
        },
    )


class UpdateForm(Form):
    """An officer's dated progress note, with the RAG rating and an optional status change."""

    date = UpdateDateField(help_text="For example, 27/3/2026. It can be earlier than today, never later.")
    text = _text_field("What has happened", "Enter what has happened")
    rag = forms.ChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select a RAG rating", "invalid_choice": "Select a RAG rating from the list"},
    )
    status = forms.ChoiceField(
        label="Status",
        choices=STATUS_CHOICES,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Select a status from the list"},
    )
    status_reason = forms.CharField(
        label="Why is it discharged from the plan?",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    marking = forms.ChoiceField(
        label="Protective marking",
        choices=Marking.choices,
        widget=forms.RadioSelect,
        initial=Marking.OFFICIAL,
        help_text="OFFICIAL-SENSITIVE updates are shown only to the owning teams, the chair and administrators.",
        error_messages={"required": "Select a protective marking", "invalid_choice": "Select a protective marking"},
    )

    rating_reason = forms.CharField(
        label="Why is your rating different from the suggestion?",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="A sentence is enough. The chair sees it with the update.",
    )

    def __init__(self, *args, action, latest_allowed=None, suggestion=None, **kwargs):
        self.action = action
        self.latest_allowed = latest_allowed
        self.suggestion = suggestion  # actions.suggestion.Suggestion, or None (nothing to suggest)
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate().strftime("%d/%m/%Y"))
        kwargs["initial"].setdefault("rag", action.rag)
        kwargs["initial"].setdefault("status", "")
        kwargs["initial"].setdefault("marking", Marking.OFFICIAL)
        super().__init__(*args, **kwargs)
        # The app suggests only when the facts say something (Amber or Red), and then asks a reason
        # of an owner who rates otherwise. With no fact to go on it suggests nothing: an owner's
        # cautious Amber is never made to explain itself against a Green nobody reasoned.
        self.asks_reason = bool(suggestion and suggestion.reasons)
        if suggestion is not None:
            self.fields["rag"].help_text = (
                f"Suggested: {suggestion.summary}. The rating is yours to give."
                if self.asks_reason
                else "No suggestion: nothing the app knows is overdue or near. The rating is yours to give."
            )
        if not self.asks_reason:
            del self.fields["rating_reason"]
        else:
            self.fields["rating_reason"].help_text = (
                f"Only when you choose a rating other than {suggestion.label}. "
                "A sentence is enough; the chair sees it with the update."
            )

    def clean_date(self):
        date = self.cleaned_data["date"]
        latest = self.latest_allowed or timezone.localdate()
        if date > latest:
            raise forms.ValidationError(
                f"Date of update must be today or in the past (no later than {latest:%d/%m/%Y})"
            )
        if date.year < 1998:
            raise forms.ValidationError("Date of update must be after 1998")
        return date

    def clean_status(self):
        # "No change" is no status for services.action_add_update.
        return self.cleaned_data["status"] or None

    def clean(self):
        data = super().clean()
        if data.get("status") == Status.DISCHARGED and not (data.get("status_reason") or "").strip():
            self.add_error("status_reason", "Enter why the action is discharged from the plan")
        # The owner rates; when they rate otherwise than suggested, they say why (never refused).
        # An update that closes the action needs no reason: the suggestion is about open actions.
        data["suggested_rag"] = self.suggestion.rag if self.asks_reason else ""
        closes = bool(data.get("status"))
        departs = bool(self.asks_reason and data.get("rag") and data["rag"] != self.suggestion.rag and not closes)
        data["rating_reason"] = (data.get("rating_reason") or "").strip() if departs else ""
        if departs and not data["rating_reason"]:
            self.add_error(
                "rating_reason",
                f"Enter why your rating is different from the suggested {self.suggestion.label}",
            )
        return data


class ReviewForm(Form):
    """A chair's or reviewer's review comment: no rating, no status."""

    date = UpdateDateField(help_text="For example, 27/3/2026. It can be earlier than today, never later.")
    text = _text_field("Review comment", "Enter your review comment")
    marking = UpdateForm.base_fields["marking"]

    def __init__(self, *args, action, **kwargs):
        self.action = action
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("date", timezone.localdate().strftime("%d/%m/%Y"))
        kwargs["initial"].setdefault("marking", Marking.OFFICIAL)
        super().__init__(*args, **kwargs)

    clean_date = UpdateForm.clean_date
    latest_allowed = None


class UpdateEditForm(Form):
    """Correcting an update: its date, text, rating and marking."""

    date = UpdateDateField(help_text="For example, 27/3/2026. No later than the day it was written.")
    text = _text_field("What has happened", "Enter what has happened")
    rag = UpdateForm.base_fields["rag"]
    marking = UpdateForm.base_fields["marking"]
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)  # services.update_version

    def __init__(self, *args, update, **kwargs):
        self.update = update
        self.latest_allowed = update.written_on
        super().__init__(*args, **kwargs)
        if update.is_review:
            # A review comment never rates the action, so correcting one cannot either.
            del self.fields["rag"]
            self.fields["text"].label = "Review comment"
            self.fields["text"].error_messages["required"] = "Enter your review comment"

    clean_date = UpdateForm.clean_date

    def clean(self):
        data = super().clean()
        if self.update.is_review:
            data["rag"] = self.update.rag  # services.update_edit keeps a review's (absent) rating
        return data


class OwnerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MeasureChoiceField(forms.ModelMultipleChoiceField):
    """The measures an action contributes to: those of its plan (``measure_choices``)."""

    def __init__(self, **kwargs):
        super().__init__(
            label="Measures it contributes to (optional)",
            queryset=PerformanceMeasure.objects.none(),
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"invalid_choice": "Select measures of this plan from the list"},
            **kwargs,
        )

    def label_from_instance(self, obj):
        if obj.priority_id:
            return f"{obj.name} (priority {obj.priority.number})"
        return f"{obj.name} (strategic aim)"


def measure_choices(plan):
    """The measures an action of ``plan`` may contribute to: those on the plan's priorities and
    on the aims of its partnership's strategy for the plan (``measures_for_plan``), the
    priorities' first."""
    return measures_for_plan(plan).order_by(F("priority__number").asc(nulls_last=True), "order", "id")


def offer_measures(form, plan):
    """Offer the plan's measures on ``form``; a plan without any is not asked about them."""
    choices = measure_choices(plan)
    if choices.exists():
        form.fields["measures"].queryset = choices
    else:
        del form.fields["measures"]


def marking_field():
    """The marking of an action's text. Left out of a post, it is OFFICIAL for a new action
    and stays as it is on an edit (``clean_marking``); an unknown value is refused."""
    return forms.ChoiceField(
        label="Protective marking of the action's text",
        choices=Marking.choices,
        widget=forms.RadioSelect,
        initial=Marking.OFFICIAL,
        required=False,
        help_text=(
            "OFFICIAL-SENSITIVE text is shown only to the owning teams, the chair and administrators; "
            "everyone else sees that it is withheld."
        ),
        error_messages={"required": "Select a protective marking", "invalid_choice": "Select a protective marking"},
    )


class ActionEditForm(Form):
    """The action itself: text, its marking, owners and target date. ``version`` carries the
    optimistic lock. An editor who may not read the action's sensitive text (an owner
    through their organisation only) is not offered its text or marking."""

    text = forms.CharField(
        label="Action",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter the action",
            "max_length": f"Action must be {TEXT_MAX:,} characters or fewer",
        },
    )
    marking = marking_field()
    owner_teams = OwnerChoiceField(
        label="Owning teams", queryset=Team.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    owner_organisations = OwnerChoiceField(
        label="Owning organisations",
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_groups = OwnerChoiceField(
        label="Owning governance groups",
        queryset=GovernanceGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner_role = forms.CharField(
        label="Named owner (optional)",
        max_length=200,
        required=False,
        help_text="A person or role, e.g. 'Sgt Vaughan'.",
    )
    measures = MeasureChoiceField()
    target_date = DateField(
        label="Target date (optional)",
        required=False,
        error_messages={
            "out_of_range": "Target date must be between %(earliest)s and %(latest)s",
        },
    )
    keep_date = keep_date_field()  # asked only when the target date comes before a milestone
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        widget=forms.RadioSelect,
        help_text="Only partnership administrators change this here, for example to reopen an action.",
        error_messages={"required": "Select a status", "invalid_choice": "Select a status from the list"},
    )
    status_reason = forms.CharField(
        label="Reason for the status",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, action, may_change_status=False, may_read_text=True, **kwargs):
        self.action = action
        self.warns_about_date = False
        super().__init__(*args, **kwargs)
        if not may_read_text:
            del self.fields["text"]
            del self.fields["marking"]
        if not may_change_status:
            del self.fields["status"]
            del self.fields["status_reason"]
        else:
            # Proposals are decided on their own page (actions.authoring), not by a status here.
            self.fields["status"].choices = [
                (value, label)
                for value, label in Status.choices
                if value not in PROPOSAL_STATUSES or value == action.status
            ]
        choices = owner_choices(action.plan.partnership, keep=action)
        self.fields["owner_teams"].queryset = choices.teams
        self.fields["owner_organisations"].queryset = choices.organisations
        self.fields["owner_groups"].queryset = choices.groups
        offer_measures(self, action.plan)

    def clean_marking(self):
        return self.cleaned_data.get("marking") or None  # services.action_edit keeps it

    def clean(self):
        data = super().clean()
        owners = ("owner_teams", "owner_organisations", "owner_groups")
        no_owner = not (any(data.get(name) for name in owners) or data.get("owner_role"))
        if no_owner and all(name in data for name in owners):
            self.add_error("owner_teams", "Select at least one owning team, organisation or group, or name an owner")
        warn_target_before_milestones(self, self.action, data)
        return data
