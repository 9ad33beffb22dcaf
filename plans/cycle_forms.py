"""Forms of the yearly cycle: strategies, assessments, next year's plan, roll-over."""

from django import forms

from partners.fields import DateField
from partners.voice import Form

from . import cycle
from .models import Strategy

SAME = "same"

LINES_HELP = "One per line, in order."


class StrategyForm(Form):
    title = forms.CharField(max_length=200, initial="Partnership Plan")
    start_year = forms.IntegerField(min_value=1998, max_value=2100, label="First year")
    end_year = forms.IntegerField(min_value=1998, max_value=2100, label="Last year")
    summary = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    aims_text = forms.CharField(
        label="Strategic aims", widget=forms.Textarea(attrs={"rows": 5}), required=False, help_text=LINES_HELP
    )


class AssessmentForm(Form):
    title = forms.CharField(max_length=200, initial="Strategic Assessment")
    start_year = forms.IntegerField(min_value=1998, max_value=2100, label="First year")
    end_year = forms.IntegerField(min_value=1998, max_value=2100, label="Last year")
    published_on = DateField(required=False, label="Published on")
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


class NewPlanForm(Form):
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


class RollOverForm(Form):
    """``cycle.plan_roll_over``'s arguments: the plan to carry into (``target``), the open
    actions chosen, where each source issue's actions go (``mapping``, one field per issue,
    by default the priority and issue of the same titles) and whether to archive the plan.
    Step one shows it; the confirmation page carries it in hidden fields and it is
    validated again there."""

    target = forms.ModelChoiceField(
        queryset=None,
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose the plan to carry the actions into.",
            "invalid_choice": "Choose the plan to carry the actions into.",
        },
    )
    actions = forms.ModelMultipleChoiceField(
        queryset=None,
        error_messages={
            "required": "Choose at least one action to carry forward.",
            "invalid_choice": "Only open actions of this plan can be carried forward.",
        },
    )
    archive = forms.BooleanField(required=False)

    def __init__(self, *args, targets, target, open_actions, carriable, **kwargs):
        """``open_actions`` are listed on step one; ``carriable`` (the open ones and those
        carried already) may be posted, so that a second submission is told what was
        carried rather than refused."""
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets
        self.fields["actions"].queryset = carriable
        self.open_actions = list(open_actions)
        self.target_plan = target
        priorities = cycle.target_priorities_of(target) if target else []
        self.choices = {SAME: None}
        grouped = []
        for priority in priorities:
            options = [
                (f"p{priority.pk}", f"Under priority {priority.number}, in an issue of the same title, made if missing")
            ]
            self.choices[f"p{priority.pk}"] = priority
            for issue in priority.issues.all():
                options.append((f"i{issue.pk}", str(issue)))
                self.choices[f"i{issue.pk}"] = issue
            grouped.append((f"{priority.number}. {priority.title}", options))
        self.source_issues = list({action.issue_id: action.issue for action in self.open_actions}.values())
        for issue in self.source_issues:
            same = f"The same priority and issue (“{issue.priority.title}”, “{issue}”), made if missing"
            self.fields[f"issue_{issue.pk}"] = forms.ChoiceField(
                label=f"Where the actions of “{issue}” go",
                choices=[(SAME, same), *grouped],
                initial=self._default(issue, priorities),
                # Left out, an issue's actions go where the default would put them.
                required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}),
                error_messages={"invalid_choice": "Choose a priority or an issue of the plan the actions go into."},
            )

    def _default(self, issue, priorities):
        """The key of the issue of the same title, or of the priority of the same title."""
        place = cycle.placement_for(issue, None, priorities)
        if place.issue is not None:
            return f"i{place.issue.pk}"
        return f"p{place.priority.pk}" if place.priority is not None else SAME

    def clean(self):
        data = super().clean()
        data["mapping"] = {}
        for issue in self.source_issues:
            key = data.pop(f"issue_{issue.pk}", "") or SAME
            data["mapping"][issue.pk] = self.choices[key]
        return data

    def mapping_fields(self):
        return [self[f"issue_{issue.pk}"] for issue in self.source_issues]

    def groups(self):
        """Step one's rows: each source issue with its mapping field and its open actions,
        ticked (all of them until the form is posted)."""
        chosen = {action.pk for action in self.open_actions}
        if self.is_bound:
            chosen = {int(value) for value in self.data.getlist("actions") if value.isdigit()}
        rows = []
        for issue in self.source_issues:
            actions = [(a, a.pk in chosen) for a in self.open_actions if a.issue_id == issue.pk]
            rows.append({"issue": issue, "field": self[f"issue_{issue.pk}"], "actions": actions})
        return rows
