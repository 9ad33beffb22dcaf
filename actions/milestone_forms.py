"""Forms of an action's milestones: add or change one, tick one off; and the "Keep this date"
confirmation shared with the action's own forms when its target date comes before a
milestone's due date (a warning the user may confirm, not a refusal)."""

from django import forms
from django.db.models import Max, Q
from django.utils import timezone

from partners.fields import DateField
from partners.models import Team
from partners.voice import Form

from .owners import owner_choices

TEXT_MAX = 2000


def keep_date_field():
    return forms.BooleanField(
        label="Keep this date",
        required=False,
        help_text="Tick to save the date even though it does not fit the milestones.",
    )


def last_milestone_due(action):
    """The latest due date of ``action``'s milestones, or None (one query; none for a new action)."""
    if action is None or not action.pk:
        return None
    return action.milestones.aggregate(last=Max("due_date"))["last"]


def warn_target_before_milestones(form, action, data):
    """On ``form`` (an action's form with ``target_date`` and ``keep_date``): unless "Keep this
    date" is ticked, warn when the target date is earlier than the last milestone's due date.
    Drops ``keep_date`` from ``data`` so the form's data can go to a service unchanged."""
    keep = data.pop("keep_date", False)
    target = data.get("target_date")
    if target is None or keep:
        return
    last = last_milestone_due(action)
    if last is not None and target < last:
        form.warns_about_date = True
        form.add_error(
            "target_date",
            f"Target date is earlier than the last milestone, due on {last:%-d %B %Y}. "
            "Change the date, or tick “Keep this date” to save it as it is",
        )


class MilestoneTeamField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class MilestoneForm(Form):
    """A milestone's text, due date and owner (the action's, unless a team or role is given).
    A due date after the action's target date is a warning the editor may confirm."""

    text = forms.CharField(
        label="Milestone",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="A dated step of the action, for example “Venue booked”.",
        error_messages={
            "required": "Enter the milestone",
            "max_length": f"Milestone must be {TEXT_MAX:,} characters or fewer",
        },
    )
    due_date = DateField(label="Due date")
    owner_team = MilestoneTeamField(
        label="Owning team (optional)",
        queryset=Team.objects.none(),
        required=False,
        empty_label="The action's owners",
        error_messages={"invalid_choice": "Choose a team of this partnership from the list"},
    )
    owner_role = forms.CharField(
        label="Named owner (optional)",
        max_length=200,
        required=False,
        help_text="A person or role, for example “DI Macbeth”.",
    )
    keep_date = keep_date_field()

    def __init__(self, *args, action, milestone=None, may_read_text=True, **kwargs):
        self.action = action
        self.warns_about_date = False
        super().__init__(*args, **kwargs)
        if not may_read_text:
            del self.fields["text"]
        teams = owner_choices(action.plan.partnership).teams
        if milestone is not None and milestone.owner_team_id:
            # A team that has since ended stays on the milestones it owned.
            teams = Team.objects.filter(Q(pk__in=teams.values("pk")) | Q(pk=milestone.owner_team_id)).order_by("name")
        self.fields["owner_team"].queryset = teams

    def clean(self):
        data = super().clean()
        keep = data.pop("keep_date", False)
        due, target = data.get("due_date"), self.action.target_date
        if due is not None and target is not None and due > target and not keep:
            self.warns_about_date = True
            self.add_error(
                "due_date",
                f"Due date is after the action's target date, {target:%-d %B %Y}. "
                "Change the date, or tick “Keep this date” to save it as it is",
            )
        return data


class MilestoneDoneForm(Form):
    """The date a milestone was done: today or earlier."""

    done_on = DateField(label="Date done", help_text="For example, 27/3/2026. Today or earlier.")

    def clean_done_on(self):
        done_on = self.cleaned_data["done_on"]
        today = timezone.localdate()
        if done_on > today:
            raise forms.ValidationError(f"Date done must be today or earlier (no later than {today:%-d %B %Y})")
        return done_on
