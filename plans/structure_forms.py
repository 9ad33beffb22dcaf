"""Forms of the plan's structure: priorities and issues. Their cleaned data are the
keyword arguments of ``structure_services``."""

from django import forms

from partners.voice import Form

from .models import Priority


def _one_line(text):
    return " ".join((text or "").split())


class PriorityForm(Form):
    title = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        error_messages={"required": "Enter the priority's title"},
    )
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="Optional: what the partnership means to achieve under this priority.",
    )

    def clean_title(self):
        title = _one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Enter the priority's title")
        return title


class IssueForm(Form):
    title = forms.CharField(
        label="Issue",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text="The problem or objective that its actions address.",
        error_messages={"required": "Enter the issue"},
    )

    def clean_title(self):
        title = _one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError("Enter the issue")
        return title


class IssueMoveForm(Form):
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        label="Move to priority",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose a priority", "invalid_choice": "Choose a priority of this plan"},
    )

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = (
            Priority.objects.filter(plan_id=issue.priority.plan_id).exclude(pk=issue.priority_id).order_by("number")
        )
