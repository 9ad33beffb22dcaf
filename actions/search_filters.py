"""The filters of the search page (django-filter), limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import CharField, Value

from partners.models import GovernanceGroup, Membership, Team
from plans.access import plans_for_user

from .models import Rag, Status


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search for", method="keep")
    plan = django_filters.ModelChoiceFilter(
        label="Plan", field_name="issue__priority__plan", queryset=None, empty_label="All plans"
    )
    priority = django_filters.NumberFilter(label="Priority number", field_name="issue__priority__number", min_value=1)
    owner = django_filters.ChoiceFilter(label="Owner", method="filter_owner", empty_label="Any owner")
    rag = django_filters.MultipleChoiceFilter(
        label="RAG rating now", choices=Rag.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    date_from = django_filters.DateFilter(
        label="Updates dated from", method="keep", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="Updates dated to", method="keep", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_ids = user.partnership_ids() if not user.is_superuser else None
        plans = plans_for_user(user).select_related("partnership").order_by("partnership__name", "-start_year")
        self.filters["plan"].queryset = plans
        teams = Team.objects.all()
        groups = GovernanceGroup.objects.all()
        members = Membership.objects.all()
        if partnership_ids is not None:
            teams = teams.filter(partnership_id__in=partnership_ids)
            groups = groups.filter(partnership_id__in=partnership_ids)
            members = members.filter(partnership_id__in=partnership_ids)
        # The three kinds of owner in one query: teams, partner organisations, groups.
        kind = CharField()
        owners = (
            teams.annotate(owner_kind=Value("team", output_field=kind))
            .values_list("owner_kind", "pk", "name")
            .order_by()
            .union(
                members.annotate(owner_kind=Value("org", output_field=kind))
                .values_list("owner_kind", "organisation_id", "organisation__name")
                .order_by(),
                groups.annotate(owner_kind=Value("group", output_field=kind))
                .values_list("owner_kind", "pk", "name")
                .order_by(),
            )
        )
        order = {"team": 0, "org": 1, "group": 2}
        self.filters["owner"].extra["choices"] = [
            (f"{kind}-{pk}", name) for kind, pk, name in sorted(set(owners), key=lambda o: (order[o[0]], o[2], o[1]))
        ]

    def keep(self, queryset, name, value):
        """Used by the view, not on actions: the text and the update dates."""
        return queryset

    def filter_owner(self, queryset, name, value):
        kind, _, pk = value.partition("-")
        field = {"team": "owner_teams", "org": "owner_organisations", "group": "owner_groups"}.get(kind)
        if field is None or not pk.isdigit():
            return queryset.none()
        return queryset.filter(**{field: int(pk)})
