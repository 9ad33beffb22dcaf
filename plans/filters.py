"""The plan page's filters. The URL is a contract other pages link to:

    /plans/<slug>/?owner=team-<id>|org-<id>|group-<id>&rag=<rag>&status=<status>
                   &stale=1&overdue=1&priority=<number>&q=<text>

``rag`` and ``status`` may repeat. Unknown values are reported in the error summary and ignored.
"""

from datetime import timedelta
from urllib.parse import urlencode

from django import forms
from django.db.models import Q
from django.utils import timezone

from actions.models import Action, Rag, Status
from partners.voice import Form


class PlanFilterForm(Form):
    owner = forms.ChoiceField(
        label="Owner", required=False, error_messages={"invalid_choice": "Select an owner from the list"}
    )
    rag = forms.MultipleChoiceField(
        label="RAG rating",
        choices=Rag.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select RAG ratings from the list"},
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Select statuses from the list"},
    )
    stale = forms.BooleanField(label="Needs an update", required=False)
    overdue = forms.BooleanField(label="Past its target date", required=False)
    priority = forms.TypedChoiceField(
        label="Priority",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Select a priority from the list"},
    )
    q = forms.CharField(label="Search actions", required=False, max_length=200)

    def __init__(self, data, *, owners, priorities):
        super().__init__(data)
        self.fields["owner"].choices = [("", "Any owner"), *owners]
        self.fields["priority"].choices = [("", "All priorities")] + [
            (str(p.number), f"{p.number}. {p.title[:60]}") for p in priorities
        ]

    def is_filtering(self):
        return any(self.cleaned_data.get(name) for name in self.fields)

    def clean_owner(self):
        return self.cleaned_data["owner"]

    def active_filters(self):
        """The filters in force, each as (label, query string without it), for removable tags.

        Only valid values count: an unknown one is in the error summary and is dropped here."""
        data = getattr(self, "cleaned_data", {})
        chosen = []  # (name, value, label) in the form's order
        for name in self.fields:
            value = data.get(name)
            if not value:
                continue
            field = self.fields[name]
            if name in ("rag", "status"):
                labels = dict(field.choices)
                chosen += [(name, item, f"{field.label}: {labels[item]}") for item in value]
            elif name in ("stale", "overdue"):
                chosen.append((name, "1", field.label))
            elif name == "q":
                chosen.append((name, value, f"{field.label}: “{value}”"))
            else:  # owner, priority: the label of the chosen option
                label = dict(field.choices)[str(value)]
                chosen.append((name, str(value), f"{field.label}: {label}"))
        return [
            (label, urlencode([(n, v) for n, v, _ in chosen if (n, v) != (name, value)]))
            for name, value, label in chosen
        ]


def _stale_q(today, interval_days):
    cutoff = today - timedelta(days=interval_days)
    return Q(status=Status.OPEN) & (
        Q(last_update_on__lt=cutoff) | Q(last_update_on__isnull=True, created_at__date__lt=cutoff)
    )


def apply_filters(queryset, data, *, interval_days, today=None):
    """Narrow an action queryset by the cleaned filter data."""
    today = today or timezone.localdate()
    owner = data.get("owner")
    if owner:
        kind, _, pk = owner.partition("-")
        relation = {"team": "owner_teams", "org": "owner_organisations", "group": "owner_groups"}[kind]
        queryset = queryset.filter(pk__in=Action.objects.filter(**{relation: int(pk)}).values("pk"))
    if data.get("rag"):
        queryset = queryset.filter(rag__in=data["rag"])
    if data.get("status"):
        queryset = queryset.filter(status__in=data["status"])
    if data.get("stale"):
        queryset = queryset.filter(_stale_q(today, interval_days))
    if data.get("overdue"):
        queryset = queryset.filter(status=Status.OPEN, target_date__lt=today)
    if data.get("priority"):
        queryset = queryset.filter(issue__priority__number=data["priority"])
    if data.get("q"):
        text = data["q"].strip()
        matching = Action.objects.filter(
            Q(text__icontains=text)
            | Q(issue__title__icontains=text)
            | Q(owner_role__icontains=text)
            | Q(owner_label__icontains=text)
            | Q(reference__iexact=text)
            | Q(owner_teams__name__icontains=text)
            | Q(owner_organisations__name__icontains=text)
        ).values("pk")
        queryset = queryset.filter(pk__in=matching)
    return queryset
