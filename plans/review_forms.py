"""Forms of the review pages: a review, its readers, a recommendation (asking for each CLEAR
part without requiring it), a progress note, evidence, and carrying into a plan."""

from django import forms

from partners.fields import DateField
from partners.models import Organisation, User
from partners.voice import Form

from .models import Issue, Recommendation, Review, ReviewKind, ReviewMarking

TEXTAREA = {"rows": 3}

# Evidence documents: what a partner sends as proof (a policy, minutes, a training record).
EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension -> the bytes such a file starts with.
EVIDENCE_TYPES = {
    ".pdf": (b"%PDF-",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".odt": (b"PK\x03\x04",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
}


class ReviewForm(Form):
    reference = forms.CharField(max_length=40, label="Reference", help_text="For example, DHR 2025/03.")
    kind = forms.ModelChoiceField(
        queryset=ReviewKind.objects.none(),
        label="Kind of review",
        error_messages={"required": "Choose the kind of review"},
    )
    title = forms.CharField(
        max_length=300, required=False, label="Title", help_text="Anonymised, for example “Adult A”."
    )
    chair = forms.CharField(max_length=200, required=False, label="Independent chair")
    status = forms.ChoiceField(choices=Review.Status.choices, label="Status")
    notified_on = DateField(required=False, label="Notified on")
    commissioned_on = DateField(required=False, label="Commissioned on")
    submitted_to_home_office_on = DateField(required=False, label="Sent to the Home Office quality-assurance panel on")
    published_on = DateField(required=False, label="Published on")
    marking = forms.ChoiceField(
        choices=ReviewMarking.choices,
        initial=ReviewMarking.OFFICIAL_SENSITIVE,
        label="Protective marking",
        widget=forms.RadioSelect,
        help_text="OFFICIAL-SENSITIVE: only administrators and the readers you name see the details. "
        "OFFICIAL: every member of the partnership does.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].queryset = ReviewKind.objects.offered_to(partnership)


class ReadersForm(Form):
    readers = forms.ModelMultipleChoiceField(
        queryset=User.objects.none(),
        required=False,
        label="Who may see the review's details",
        widget=forms.CheckboxSelectMultiple,
        help_text="Administrators always may. Chairs and officers only when named here.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readers"].queryset = User.objects.filter(roles__partnership=partnership).order_by(
            "first_name", "last_name", "username"
        )


class RecommendationForm(Form):
    agency = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label="Agency responsible (assigned)",
        error_messages={"required": "Choose the agency responsible"},
    )
    text = forms.CharField(label="What it asks", widget=forms.Textarea(attrs=TEXTAREA))
    due_date = DateField(required=False, label="Due date")
    case_for_change = forms.CharField(
        required=False,
        label="Case for change (optional)",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What the review found that makes this necessary.",
    )
    learning = forms.CharField(
        required=False,
        label="Learning (optional)",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What practitioners should learn from it.",
    )
    evidence_base = forms.CharField(
        required=False,
        label="Evidence base (optional)",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Research or practice it rests on.",
    )
    status = forms.ChoiceField(choices=Recommendation.Status.choices, label="Status")
    reason = forms.CharField(
        required=False,
        label="Reason",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Required when the recommendation is not accepted.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organisation.objects.current_partners(partnership)

    def clean(self):
        data = super().clean()
        if data.get("status") == Recommendation.Status.NOT_ACCEPTED and not data.get("reason", "").strip():
            self.add_error("reason", "Enter the reason the recommendation was not accepted")
        return data


class NoteForm(Form):
    date = DateField(label="Date", error_messages={"required": "Enter the date of the note"})
    text = forms.CharField(label="What has happened", widget=forms.Textarea(attrs=TEXTAREA))
    marking = forms.ChoiceField(
        choices=ReviewMarking.choices,
        initial=ReviewMarking.OFFICIAL_SENSITIVE,
        label="Protective marking",
        widget=forms.RadioSelect,
    )


class EvidenceForm(Form):
    note = forms.CharField(
        required=False,
        label="Evidence of completion",
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What was done and where the proof is.",
    )
    file = forms.FileField(
        required=False,
        label="Document (optional)",
        help_text="PDF, Word, Excel, OpenDocument, PNG or JPEG; at most 10 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload:
            return None
        extension = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EVIDENCE_TYPES:
            raise forms.ValidationError("The document must be a PDF, Word, Excel, OpenDocument, PNG or JPEG file")
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError("The document must be 10 MB or smaller")
        head = upload.read(16)
        upload.seek(0)
        if not head.startswith(EVIDENCE_TYPES[extension]):
            raise forms.ValidationError(f"The document is not a {extension[1:].upper()} file")
        return upload

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("note", "").strip() and not data.get("file"):
            raise forms.ValidationError("Describe the evidence or attach a document")
        return data


class CarryForm(Form):
    issue = forms.ModelChoiceField(
        queryset=Issue.objects.none(),
        label="Priority and issue",
        error_messages={"required": "Choose the priority and issue the action goes under"},
    )
    marking = forms.ChoiceField(
        choices=ReviewMarking.choices,
        label="Protective marking of the action",
        widget=forms.RadioSelect,
        help_text="Marked like the review unless you choose OFFICIAL.",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        issues = (
            Issue.objects.filter(priority__plan__partnership=partnership)
            .exclude(priority__plan__status="archived")
            .select_related("priority__plan__partnership")
            .order_by("-priority__plan__start_year", "priority__number", "order", "id")
        )
        self.fields["issue"].queryset = issues
        self.fields["issue"].label_from_instance = lambda issue: (
            f"{issue.priority.plan.years}: {issue.priority.number}. {issue.priority.title[:60]} – {issue.title[:60]}"
        )
