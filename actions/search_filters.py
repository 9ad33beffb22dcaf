"""The filters of the search page (django-filter), limited to what the user may see."""

import django_filters
from django import forms
from django.db.models import CharField, F, IntegerField, Value

from partners.fields import DateField
from partners.models import GovernanceGroup, Membership, Team
from partners.voice import Form
from plans.models import ActionPlan, plan_full_title

from .models import Rag, Status

PRIORITY_MAX = 32767  # Priority.number is a PositiveSmallIntegerField


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search for", method="keep")
    plan = django_filters.ModelChoiceFilter(
        label="Plan", field_name="issue__priority__plan", queryset=None, empty_label="All plans"
    )
    priority = django_filters.NumberFilter(
        label="Priority number",
        field_name="issue__priority__number",
        min_value=1,
        max_value=PRIORITY_MAX,  # past the column's range the query cannot be compiled
        error_messages={
            "min_value": f"Priority number must be between 1 and {PRIORITY_MAX}",
            "max_value": f"Priority number must be between 1 and {PRIORITY_MAX}",
        },
    )
    owner = django_filters.ChoiceFilter(label="Owner", method="filter_owner", empty_label="Any owner")
    rag = django_filters.MultipleChoiceFilter(
        label="RAG rating now", choices=Rag.choices, widget=forms.CheckboxSelectMultiple
    )
    status = django_filters.MultipleChoiceFilter(
        label="Status", choices=Status.choices, widget=forms.CheckboxSelectMultiple
    )
    date_from = DateFilter(label="Updates dated from", method="keep")
    date_to = DateFilter(label="Updates dated to", method="keep")

    class Meta:
        form = Form

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partnership_ids = user.partnership_ids() if not user.is_superuser else None
        plans = ActionPlan.objects.for_user(user)
        self.filters["plan"].queryset = plans
        teams = Team.objects.all()
        groups = GovernanceGroup.objects.all()
        members = Membership.objects.all()
        if partnership_ids is not None:
            teams = teams.filter(partnership_id__among=partnership_ids)
            groups = groups.filter(partnership_id__among=partnership_ids)
            members = members.filter(partnership_id__among=partnership_ids)
        # The plans and the three kinds of owner (teams, partner organisations, groups)
        # in one query, as (kind, id, name, partnership, its short name, years) rows.
        rows = _choice_rows(
            plans, "plan", "title", partnership="partnership__name", short_name="partnership__short_name"
        )
        rows = rows.union(
            _choice_rows(teams, "team", "name"),
            _choice_rows(members, "org", "organisation__name", pk="organisation_id"),
            _choice_rows(groups, "group", "name"),
        ).order_by()
        plans, owners = [], set()
        for kind, pk, name, partnership, short_name, start_year, end_year in rows:
            if kind == "plan":
                plans.append((partnership, -start_year, pk, plan_full_title(short_name, name, start_year, end_year)))
            else:
                owners.add((kind, pk, name))
        # The plans as the plan list orders them, by partnership and newest first.
        self.plan_choices = [(pk, label) for *_, pk, label in sorted(plans)]
        order = {"team": 0, "org": 1, "group": 2}
        self.filters["owner"].extra["choices"] = [
            (f"{kind}-{pk}", name) for kind, pk, name in sorted(owners, key=lambda o: (order[o[0]], o[2], o[1]))
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


def _choice_rows(queryset, kind, name, *, pk="pk", partnership=None, short_name=None):
    """(kind, id, name, partnership name, short name, start year, end year) rows of a choice,
    the plan-only columns empty for owners, so that every kind fits one union."""
    text, number = CharField(), IntegerField()
    plan = partnership is not None
    return (
        queryset.annotate(
            choice_kind=Value(kind, output_field=text),
            choice_name=F(name),
            choice_partnership=F(partnership) if plan else Value("", output_field=text),
            choice_short_name=F(short_name) if plan else Value("", output_field=text),
            choice_start=F("start_year") if plan else Value(0, output_field=number),
            choice_end=F("end_year") if plan else Value(0, output_field=number),
        )
        .values_list(
            "choice_kind",
            pk,
            "choice_name",
            "choice_partnership",
            "choice_short_name",
            "choice_start",
            "choice_end",
        )
        .order_by()
    )
