"""``field__among=[ids]`` (partners.lookups): the rows of ``__in``, with one array parameter on PostgreSQL."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from partners.lookups import array_literal
from plans.models import ActionPlan
from tests import factories as f


def _sql(queryset):
    sql, params = queryset.query.sql_with_params()
    return sql, params


def test_among_finds_what_in_finds(partnership, other_partnership, plan):
    other = f.PlanFactory(partnership=other_partnership, start_year=2030, end_year=2031, slug="otherton-2030")
    wanted = {partnership.pk, other_partnership.pk + 1000}
    among = set(ActionPlan.objects.filter(partnership_id__among=wanted))
    assert among == set(ActionPlan.objects.filter(partnership_id__in=wanted)) == {plan}
    assert other not in among


def test_among_follows_relations_to_a_foreign_key(action, partnership):
    found = Action.objects.filter(issue__priority__plan__partnership_id__among={partnership.pk})
    assert list(found) == [action]


def test_among_nothing_finds_nothing_without_a_query(db):
    with CaptureQueriesContext(connection) as ctx:
        assert list(ActionPlan.objects.filter(partnership_id__among=[])) == []
    assert ctx.captured_queries == []


def test_among_is_one_array_parameter_on_postgresql_and_in_elsewhere(db):
    ids = set(range(1, 301))
    sql, params = _sql(ActionPlan.objects.filter(partnership_id__among=ids))
    if connection.vendor == "postgresql":
        assert '"partnership_id" = ANY(%s::bigint[])' in sql
        assert params == ("{" + ",".join(map(str, sorted(ids))) + "}",)  # PostgreSQL's array text
    else:
        assert '"partnership_id" IN (' in sql and len(params) == 300


def test_among_takes_model_instances_as_in_does(partnership, other_partnership, plan):
    # Not ids: Django's own preparation turns them into their keys.
    found = ActionPlan.objects.filter(partnership__among=[partnership, other_partnership])
    assert list(found) == [plan]


def test_among_does_not_prepare_ids_one_by_one(db, monkeypatch, partnership, plan):
    """A list of ints is used as it is: Django's per-value preparation (several calls per id,
    2,400 for a county user's search page at national size) is not run for them."""

    def refuse(self):
        raise AssertionError("prepared value by value")

    monkeypatch.setattr("django.db.models.fields.related_lookups.RelatedIn.get_prep_lookup", refuse)
    monkeypatch.setattr("django.db.models.lookups.In.get_prep_lookup", refuse)
    assert list(ActionPlan.objects.filter(partnership_id__among=set(range(1, 301)) | {partnership.pk})) == [plan]


def test_array_literal_only_for_ints():
    assert array_literal([3, 1, 20]) == "{3,1,20}"
    assert array_literal(["1}", 2]) == ["1}", 2]  # anything else is left to psycopg to quote
    assert array_literal([True, 2]) == [True, 2]
