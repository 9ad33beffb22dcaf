"""Forms of the yearly cycle: strategies, assessments, next year's plan, roll-over."""

from django import forms

from csp.forms import DateField
from partners.forms import DateInput

from .models import Strategy

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

    def priorities(self):
        return [(risk, self.cleaned_data.get(f"priority_{risk.pk}", "")) for risk in self.risks]
