"""The filters of the search page (django-filter), limited to what the user may see.

The plan and owner filters are lists (``<select>``) for someone who sees up to
``SELECT_MAX`` plans or owners. Past that (a county or national user: 300 plans and
1,800 owners at national size) a list is no help to anyone and costs the page a quarter
of its time, so each becomes a text input matched server-side against the names the
user may see (``plan_name``, ``owner_name``), and the results say which plans or owners
the words matched.
"""

import django_filters
from django import forms
from django.db import connection
from django.db.models import CharField, Exists, F, IntegerField, OuterRef, Q, Value

from partners.fields import DateField
from partners.models import GovernanceGroup, Membership, Team
from partners.voice import Form
from plans.models import ActionPlan, plan_full_title

from .models import Action, Rag, Status

PRIORITY_MAX = 32767  # Priority.number is a PositiveSmallIntegerField
# Past this many plans or owners, the filter is a text input instead of a list.
SELECT_MAX = 200
# The matched plans or owners the results name; past that, "and N more".
NAMES_SHOWN = 10
OWNER_KINDS = {"team": "team", "org": "organisation", "group": "group", "person": "person"}


class DateFilter(django_filters.DateFilter):
    field_class = DateField


class SearchFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Search for", method="keep")
    plan = django_filters.ModelChoiceFilter(
        label="Plan", field_name="issue__priority__plan", queryset=None, empty_label="All plans"
    )
    plan_name = django_filters.CharFilter(
        label="Plan", method="filter_plan_name", help_text="Partnership or plan name", max_length=200
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
    owner_name = django_filters.CharFilter(
        label="Owner", method="filter_owner_name", help_text="Team, organisation or person name", max_length=200
    )
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
        self.user = user
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
        # Where the text inputs look for names: what the lists would offer.
        self._scopes = {"plans": plans, "team": teams, "org": members, "group": groups}
        # The plans and the three kinds of owner (teams, partner organisations, groups)
        # in one query, as (kind, id, name, partnership, its short name, years) rows; on
        # PostgreSQL each kind at most SELECT_MAX + 1 rows, enough to know a list is too long.
        bound = (
            slice(None, SELECT_MAX + 1) if connection.features.supports_slicing_ordering_in_compound else slice(None)
        )
        parts = [
            _choice_rows(plans, "plan", "title", partnership="partnership__name", short_name="partnership__short_name"),
            _choice_rows(teams, "team", "name"),
            _choice_rows(members, "org", "organisation__name", pk="organisation_id").distinct(),
            _choice_rows(groups, "group", "name"),
        ]
        first, *others = [part[bound] for part in parts]
        rows = first.union(*others).order_by()
        plans, owners = [], set()
        for kind, pk, name, partnership, short_name, start_year, end_year in rows:
            if kind == "plan":
                plans.append((partnership, -start_year, pk, plan_full_title(short_name, name, start_year, end_year)))
            else:
                owners.add((kind, pk, name))
        # A text input for plans or owners when there are too many for a list; only the
        # field shown is read (a stray value of the other is ignored).
        self.plans_as_text = len(plans) > SELECT_MAX
        self.owners_as_text = len(owners) > SELECT_MAX
        del self.filters["plan_name" if not self.plans_as_text else "plan"]
        del self.filters["owner_name" if not self.owners_as_text else "owner"]
        # The plans as the plan list orders them, by partnership and newest first.
        self.plan_choices = [] if self.plans_as_text else [(pk, label) for *_, pk, label in sorted(plans)]
        if not self.owners_as_text:
            order = {"team": 0, "org": 1, "group": 2}
            self.filters["owner"].extra["choices"] = [
                (f"{kind}-{pk}", name) for kind, pk, name in sorted(owners, key=lambda o: (order[o[0]], o[2], o[1]))
            ]
        # What a typed plan or owner name matched, once the form is valid: [(kind, name)],
        # and as the results show it (``_named``).
        self.matched_plans = self.matched_owners = self.plan_named = self.owner_named = None

    def is_valid(self):
        """Valid, and each name typed in ``plan_name`` or ``owner_name`` matches something
        the user may see: the matches are kept (``matched_plans``, ``matched_owners``) for
        the results to name, and a name that matches nothing is reported on its field."""
        if not super().is_valid():
            return False
        data = self.form.cleaned_data
        plan_text, owner_text = (data.get("plan_name") or "").strip(), (data.get("owner_name") or "").strip()
        if (plan_text or owner_text) and self.matched_plans is None and self.matched_owners is None:
            self.matched_plans, self.matched_owners = self._matches(plan_text, owner_text)
            self.plan_named, self.owner_named = (
                _named(self.matched_plans, plan_text),
                _named(self.matched_owners, owner_text),
            )
        if plan_text and not self.matched_plans:
            self.form.add_error(
                "plan_name",
                f"No plan you can see has “{plan_text}” in its name or its partnership’s name: "
                "enter part of a plan or partnership name, or leave Plan empty",
            )
        if owner_text and not self.matched_owners:
            self.form.add_error(
                "owner_name",
                f"No team, organisation or person you can see has “{owner_text}” in their name: "
                "enter part of an owner’s name, or leave Owner empty",
            )
        return not self.form.errors

    def _matches(self, plan_text, owner_text):
        """([("plan", title)], [(kind, name)]) of the plans and owners whose names contain
        the texts: in one query, each kind at most ``NAMES_SHOWN`` + 1 rows on PostgreSQL
        (enough to say "and more"), distinct names."""
        text = CharField()
        parts = []
        if plan_text:
            parts.append(
                self._plans_named(plan_text)
                .annotate(
                    match_kind=Value("plan", output_field=text),
                    match_short=F("partnership__short_name"),
                    match_start=F("start_year"),
                    match_end=F("end_year"),
                )
                .values_list("match_kind", "title", "match_short", "match_start", "match_end")
            )
        if owner_text:
            no_text, no_year = Value("", output_field=text), Value(0, output_field=IntegerField())
            names = {"team": "name", "org": "organisation__name", "group": "name"}
            for kind, scope in self._owner_scopes(owner_text).items():
                parts.append(
                    scope.annotate(
                        match_kind=Value(kind, output_field=text),
                        match_name=F(names[kind]),
                        match_short=no_text,
                        match_start=no_year,
                        match_end=no_year,
                    )
                    .values_list("match_kind", "match_name", "match_short", "match_start", "match_end")
                    .distinct()
                )
            people = self.queryset.filter(owner_role__icontains=owner_text)  # the visible, agreed actions searched
            parts.append(
                people.annotate(
                    match_kind=Value("person", output_field=text),
                    match_short=no_text,
                    match_start=no_year,
                    match_end=no_year,
                )
                .values_list("match_kind", "owner_role", "match_short", "match_start", "match_end")
                .distinct()
            )
        bound = (
            slice(None, NAMES_SHOWN + 1) if connection.features.supports_slicing_ordering_in_compound else slice(None)
        )
        first, *others = [part.order_by()[bound] for part in parts]
        order = {kind: n for n, kind in enumerate(["plan", *OWNER_KINDS])}
        rows = sorted(set(first.union(*others).order_by() if others else first), key=lambda r: (order[r[0]], *r[1:]))
        plans = [
            ("plan", plan_full_title(short, title, start, end))
            for kind, title, short, start, end in rows
            if kind == "plan"
        ]
        owners = [(OWNER_KINDS[kind], name) for kind, name, *_ in rows if kind != "plan"]
        return plans, owners

    def _plans_named(self, text):
        named = (
            Q(title__icontains=text) | Q(partnership__name__icontains=text) | Q(partnership__short_name__icontains=text)
        )
        return self._scopes["plans"].filter(named)

    def _owner_scopes(self, text):
        """The teams, partner organisations (memberships) and groups the owner list would offer
        whose names contain ``text``."""
        return {
            "team": self._scopes["team"].filter(name__icontains=text),
            "org": self._scopes["org"].filter(organisation__name__icontains=text),
            "group": self._scopes["group"].filter(name__icontains=text),
        }

    def keep(self, queryset, name, value):
        """Used by the view, not on actions: the text and the update dates."""
        return queryset

    def filter_owner(self, queryset, name, value):
        kind, _, pk = value.partition("-")
        field = {"team": "owner_teams", "org": "owner_organisations", "group": "owner_groups"}.get(kind)
        if field is None or not pk.isdigit():
            return queryset.none()
        return queryset.filter(**{field: int(pk)})

    def filter_plan_name(self, queryset, name, value):
        """Actions of the plans the words name (``_plans_named``)."""
        value = value.strip()
        return queryset.filter(issue__priority__plan__in=self._plans_named(value).values("pk")) if value else queryset

    def filter_owner_name(self, queryset, name, value):
        """Actions owned by a team, organisation or group whose name contains the words
        (among those the owner list would offer), or naming a person or role that does."""
        value = value.strip()
        if not value:
            return queryset
        owners = self._owner_scopes(value)
        through = {"team": Action.owner_teams.through, "org": Action.owner_organisations.through}
        named = Q(owner_role__icontains=value)
        named |= Exists(through["team"].objects.filter(action_id=OuterRef("pk"), team__in=owners["team"].values("pk")))
        named |= Exists(
            through["org"].objects.filter(
                action_id=OuterRef("pk"), organisation__in=owners["org"].values("organisation_id")
            )
        )
        named |= Exists(
            Action.owner_groups.through.objects.filter(
                action_id=OuterRef("pk"), governancegroup__in=owners["group"].values("pk")
            )
        )
        return queryset.filter(named)


def _named(matches, text):
    """What the results say a typed plan or owner name matched: the first ``NAMES_SHOWN``
    (kind, name) pairs, and whether there are more (not counted: on PostgreSQL each kind
    is read only as far as ``NAMES_SHOWN`` + 1)."""
    if not matches:
        return None
    return {"text": text, "names": matches[:NAMES_SHOWN], "more": len(matches) > NAMES_SHOWN}


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
