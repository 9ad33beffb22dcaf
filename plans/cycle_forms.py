"""Forms of the yearly cycle: strategies, assessments, next year's plan, roll-over."""

from django import forms

from partners.fields import DateField
from partners.forms import DateInput

from .models import Priority, Strategy

LINES_HELP = "One per line, in order."


class StrategyForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Partnership Plan")
    start_year = forms.IntegerField(min_value=1998, max_value=2100, label="First year")
    end_year = forms.IntegerField(min_value=1998, max_value=2100, label="Last year")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    aims_text = forms.CharField(
        label="Strategic aims", widget=forms.Textarea(attrs={"rows": 5}), required=False, help_text=LINES_HELP
    )


class AssessmentForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Strategic Assessment")
    start_year = forms.IntegerField(min_value=1998, max_value=2100, label="First year")
    end_year = forms.IntegerField(min_value=1998, max_value=2100, label="Last year")
    published_on = DateField(required=False, widget=DateInput, label="Published on")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    top_risks_text = forms.CharField(
        label="Top risks", widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=LINES_HELP
    )
    emerging_risks_text = forms.CharField(
        label="Emerging risks",
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=LINES_HELP + " They become the numbered priorities of next year's plan.",
    )


class NewPlanForm(forms.Form):
    """Years, title and strategy; one editable priority field per emerging risk."""

    title = forms.CharField(max_length=200, initial="Community Safety Action Plan")
    start_year = forms.IntegerField(min_value=1998, max_value=2100, label="First year")
    end_year = forms.IntegerField(min_value=1998, max_value=2100, label="Last year")
    strategy = forms.ModelChoiceField(queryset=Strategy.objects.none(), required=False)

    def __init__(self, *args, assessment, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategy"].queryset = Strategy.objects.filter(partnership_id=assessment.partnership_id)
        self.risks = assessment.emerging_risks()
        for number, risk in enumerate(self.risks, start=1):
            self.fields[f"priority_{risk.pk}"] = forms.CharField(
                label=f"Priority {number}",
                initial=risk.text,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"From the emerging risk “{risk.text}”. Leave empty to leave it out.",
            )

    def clean(self):
        """``cycle.plan_create_from_assessment``'s arguments: the priority fields become
        ``priorities``, ``(risk, title)`` pairs in the assessment's order."""
        data = super().clean()
        data["priorities"] = [(risk, data.pop(f"priority_{risk.pk}", "")) for risk in self.risks]
        return data


class RollOverForm(forms.Form):
    """``cycle.plan_roll_over``'s choices: the plan to carry into, the open actions chosen and,
    for any of them, the new plan's priority to put it under (``placements``)."""

    target = forms.ModelChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose the plan to carry the actions into.",
            "invalid_choice": "Choose the plan to carry the actions into.",
        },
    )
    actions = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        error_messages={"invalid_choice": "Only open actions of this plan can be carried forward."},
    )

    def __init__(self, *args, targets, open_actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["actions"].queryset = open_actions
        self.open_actions = list(open_actions)
        priorities = Priority.objects.filter(plan__in=targets)
        for action in self.open_actions:
            self.fields[f"priority_{action.pk}"] = forms.ModelChoiceField(queryset=priorities, required=False)

    def clean(self):
        data = super().clean()
        placements = {}
        for action in self.open_actions:
            priority = data.pop(f"priority_{action.pk}", None)
            if priority is not None:
                placements[action.pk] = priority
        data["placements"] = placements
        return data

    def chosen(self):
        """The ids of the actions ticked: all open actions until the form is posted."""
        if not self.is_bound:
            return {action.pk for action in self.open_actions}
        return {int(value) for value in self.data.getlist("actions") if value.isdigit()}
