"""``field__among=[ids]``: ``field IN (...)`` with the list as ONE array parameter on PostgreSQL.

A county user's queries name the partnerships they see: 300 at national size, several
times in one query (``Action.objects.visible_to``, the draft rule, the sensitive-text rule,
the search form's lists). Written ``IN (%s, %s, ...)`` that was 1,816 parameters for
Django to compile and quote and for PostgreSQL to parse: 15 - 40 ms before the query ran.
``= ANY(%s::bigint[])`` is one parameter, whatever the number of partnerships, and the
same plan. Elsewhere (SQLite) it is ``IN``, unchanged. Registered on integer and foreign
key fields by ``PartnersConfig.ready``; meant for lists of ids, not subqueries.
"""

from collections.abc import Iterator

from django.core.exceptions import EmptyResultSet
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In


class AmongMixin:
    lookup_name = "among"

    def get_prep_lookup(self):
        # Ids already: Django would otherwise normalise and prepare each of them, one call
        # after another per id (2,400 calls for a county user's search page at national
        # size, a few milliseconds), to arrive at the same integers.
        if self.rhs_is_direct_value() and not isinstance(self.rhs, Iterator):
            values = list(self.rhs)
            if all(type(value) is int for value in values):
                return values
        return super().get_prep_lookup()

    def as_postgresql(self, compiler, connection):
        db_type = self.lhs.output_field.db_type(connection)
        if not self.rhs_is_direct_value() or not db_type:
            return self.as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = sorted({value for value in self.rhs if value is not None})  # the same SQL for the same ids
        if not values:
            raise EmptyResultSet  # as ``IN ()``: Django leaves the clause (or the query) out
        # Typed as the column: psycopg would send small ids as a smallint array.
        return f"{lhs} = ANY(%s::{db_type}[])", [*lhs_params, array_literal(values)]


def array_literal(values):
    """The array as PostgreSQL writes it (``{1,2,3}``) when every value is an int, else the
    list: psycopg dumps a list element by element (a regular expression each), which for a
    county user's 300 partnerships, named in several clauses of a query, adds up."""
    if all(type(value) is int for value in values):
        return "{" + ",".join(map(str, values)) + "}"
    return values


class Among(AmongMixin, In):
    pass


class RelatedAmong(AmongMixin, RelatedIn):
    pass


def register():
    from django.db.models import ForeignObject, IntegerField

    IntegerField.register_lookup(Among)
    ForeignObject.register_lookup(RelatedAmong)
