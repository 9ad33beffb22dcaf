"""Search across the actions and updates a user may see.

On PostgreSQL: full-text search (``websearch`` syntax, English stemming) ranked by
``ts_rank`` with highlighted snippets from ``ts_headline``. On SQLite: the same syntax
read into an FTS5 query (``actions.fts``: Porter stemming), ranked by ``bm25`` with
snippets from ``snippet()``; the index gives candidate ids only, joined to the same
querysets.

Restricted (OFFICIAL-SENSITIVE) updates are filtered out in SQL by the rule of
``ActionUpdate.objects.readable_by`` (``models.readable_update_filter``), so they
never reach a result or a snippet. The words of an OFFICIAL-SENSITIVE action's text
match only for those who may read it (``models.readable_text_filter``, the same rule),
and a result shows its text (as title or snippet) only to them.
"""

import datetime
import re

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import (
    BooleanField,
    CharField,
    DateField,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from partners.lookups import array_literal
from partners.models import Role, person_name
from plans.models import plan_full_title

from . import fts
from .models import (
    WITHHELD_TEXT,
    Action,
    ActionUpdate,
    Marking,
    note_author,
    owner_filter,
    readable_text_filter,
    readable_text_ids,
    readable_update_filter,
)

OPEN_MARK, CLOSE_MARK = "\ue000", "\ue001"
SNIPPET_CHARS = 220


def is_postgres():
    return connection.vendor == "postgresql"


# PostgreSQL: a person who sees at most this many actions (one partnership has 100 - 200)
# has their notes read action by action, through the ``(action_id, ...)`` indexes, and every
# match among them ranked: the work grows with what they see, not with the installation.
FEW_ACTIONS = 1000
# PostgreSQL: for someone who sees more (a county or national user, a superuser), each half
# (notes, actions) keeps only its newest matches, by id (most recently added first), before
# ranking: the full-text index finds them, and ranking all of an installation's matches
# (300,000 notes for a common word at national size) would take seconds.
NEWEST_MATCHES = 500


def _scope(user, actions):
    """(the actions to search in, the filter on their updates the user may read, few).

    The actions are given as a subquery or, on PostgreSQL, as a list of ids:

    - On PostgreSQL the visible actions are read once, as (id, partnership) pairs, at
      most ``FEW_ACTIONS`` + 1 of them. When they are that few ("few" is true) the search
      queries filter by that list of ids, read through the indexes on the updates'
      ``action_id``, with the restricted-update rule of ``readable_update_filter`` applied
      with the partnerships already known: every update of an action in a partnership
      where the user is chair or admin, otherwise only OFFICIAL ones or those of actions
      owned by one of the user's teams (``owner_filter``).
    - Otherwise (more actions, a superuser, or SQLite) the actions stay a subquery, which
      PostgreSQL hashes once. Someone who belongs to no team and is chair or admin in
      every partnership where they hold a role (a chair, a county community safety unit)
      may read every update of them: no filter at all; anyone else's updates are
      filtered by ``readable_update_filter``.

    Same rows as ``Action.objects.visible_to`` and ``ActionUpdate.objects.readable_by``.
    """
    subquery = actions.order_by().values("pk")
    if user.is_superuser:
        return subquery, Q(), False
    senior = user.partnership_ids(Role.Kind.CHAIR, Role.Kind.ADMIN)
    reads_all = not user.team_ids() and user.partnership_ids() <= senior
    if not is_postgres():
        return subquery, Q() if reads_all else readable_update_filter(user), False
    visible = list(actions.order_by().values_list("pk", "issue__priority__plan__partnership_id")[: FEW_ACTIONS + 1])
    if len(visible) > FEW_ACTIONS:
        return subquery, Q() if reads_all else readable_update_filter(user), False
    action_ids = sorted({pk for pk, _ in visible})
    not_senior = sorted({pk for pk, partnership_id in visible if partnership_id not in senior})
    if reads_all or not not_senior:
        return action_ids, Q(), True
    owning_team = owner_filter(user, action="action_id", teams_only=True)
    return action_ids, Q(marking=Marking.OFFICIAL) | ~Q(InIds("action_id", not_senior)) | owning_team, True


class InIds(Func):
    """``field = ANY(%s)`` with the ids as one array parameter (PostgreSQL).

    A list of two thousand ids through ``__in`` costs Django a parameter each to
    build and bind; one array costs one, and PostgreSQL hashes it.
    """

    output_field = BooleanField()

    def __init__(self, field, ids, *, indexed=False):
        super().__init__(F(field))
        self.ids, self.indexed = list(ids), indexed

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        # Typed as the column (psycopg would send small ids as int2[]). ``indexed``: the ids
        # are few (``FEW_ACTIONS``) and are where the rows are read from. Otherwise they only
        # narrow what another index found, and are kept off the id index ("+ 0").
        db_type = self.source_expressions[0].output_field.db_type(connection)
        column = column if self.indexed else f"({column} + 0)"
        return f"{column} = ANY(%s::{db_type}[])", [*params, array_literal(self.ids)]


def _among(field, action_ids):
    """A filter: ``field`` is one of ``action_ids`` (a list of few ids, read through the
    index on ``field``, or a subquery)."""
    if isinstance(action_ids, list):
        return Q(InIds(field, action_ids, indexed=True))
    return Q(**{f"{field}__in": action_ids})


def _query(text):
    return SearchQuery(text, search_type="websearch", config="english")


class StoredVector(Expression):
    """The ``search_vector`` column of the query's own table (``Action`` or ``ActionUpdate``).

    PostgreSQL computes that column from ``text`` (migration 0004, a generated column with
    a GIN index), so matching uses the index and ``ts_rank`` reads the stored vector
    instead of parsing every matching text again. It is not a model field (SQLite has no
    such column), so this expression names it on the base table of the query it is in.
    """

    output_field = SearchVectorField()

    def as_sql(self, compiler, connection):
        alias = compiler.query.get_initial_alias()
        return f"{compiler.quote_name(alias)}.search_vector", []


def _vector():
    return StoredVector()


class Matches(Func):
    """``vector @@ query`` written as the function behind the operator (``ts_match_vq``): the
    same test, which no index serves, so PostgreSQL reads the rows some other way (the few
    visible actions' ids) and tests each as it is read."""

    function = "ts_match_vq"
    output_field = BooleanField()


class Results:
    """Search rows for a ``Paginator``: slices of the ranked union of matching updates and
    actions.

    Given the page the view will ask for (``prime``), the first ``count()`` on PostgreSQL
    runs that page's query with a window count over all the matches, so one query ranks,
    counts and returns the page: ``ranked`` is the union of every match, each row with the
    action it belongs to ("owner"), and the filter to the actions the user may see, applied
    once above the union (in each half it was worked out twice). Without it, or when that
    page is past the end, the two matching sets are counted on their own (far cheaper
    than ranking them) and pages are sliced from ``rows``.
    """

    ORDER = 'ORDER BY "rank" DESC, "day" DESC, "kind" ASC, "pk" DESC'

    def __init__(self, plain, ranked=None, *, bound=None):
        self._plain, self.ranked = plain, ranked  # plain() -> (rows, counted), built when needed
        self.bound = bound  # each half kept at most this many matches (``NEWEST_MATCHES``), or None
        self._total, self._window, self._page, self._built = None, None, None, None
        self._halves = ()  # how many rows each half has, once counted

    @property
    def capped(self):
        """Whether a half had more matches than it kept (``bound``): older ones are left out."""
        self.count()
        return self.bound is not None and any(count >= self.bound for count in self._halves)

    @property
    def rows(self):
        return self._plain_parts()[0]

    @property
    def counted(self):
        return self._plain_parts()[1]

    def _plain_parts(self):
        if self._built is None:
            self._built = self._plain()
        return self._built

    def prime(self, offset, limit):
        self._window = (offset, limit)

    def _page_with_total(self, offset, limit):
        union, visible, params = self.ranked
        # The SQL Django compiled, its parameters kept apart.
        query = (
            'SELECT "kind", "pk", "rank", "day", COUNT(*) OVER (),'  # noqa: S608
            " COUNT(*) FILTER (WHERE \"kind\" = 'update') OVER ()"
            f' FROM ({union}) AS "hits"'
            f" WHERE {visible} {self.ORDER} LIMIT %s OFFSET %s"
        )
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(query, [*params, limit, offset])
            fetched = cursor.fetchall()
        rows = [(*row[:3], _date(row[3])) for row in fetched]
        return rows, (fetched[0][4] if fetched else None), (fetched[0][5] if fetched else 0)

    def count(self):
        if self._total is None and self._window is not None and self.ranked is not None:
            offset, limit = self._window
            rows, total, updates = self._page_with_total(offset, limit)
            if total is not None or offset == 0:
                self._total, self._page = total or 0, (offset, limit, rows)
                self._halves = (updates, self._total - updates)
        if self._total is None:
            self._halves = tuple(queryset.count() for queryset in self.counted)
            self._total = sum(self._halves)
        return self._total

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice) and self._page is not None:
            offset, limit, rows = self._page
            start, stop = index.start or 0, index.stop
            if start == offset and stop is not None and offset <= stop <= offset + limit:
                return rows[: stop - offset]
        return self.rows[index]


def _union(updates, matching_actions, *, owner=False):
    """(kind, pk, rank, day) rows of both, and with ``owner`` the action each belongs to."""
    names = ["kind", "pk", "rank", "day", *(["owner"] if owner else [])]
    update_rows = updates.annotate(kind=Value("update", output_field=CharField()), day=F("date"))
    action_rows = matching_actions.annotate(
        kind=Value("action", output_field=CharField()), day=Cast("created_at", DateField())
    )
    if owner:
        update_rows = update_rows.annotate(owner=F("action_id"))
        action_rows = action_rows.annotate(owner=F("id"))
    union = update_rows.values_list(*names).order_by().union(action_rows.values_list(*names).order_by(), all=True)
    return union.order_by()


def _visible_sql(action_ids):
    """The filter on the ranked union's "owner" column, as (SQL, parameters)."""
    if isinstance(action_ids, list):
        # Few ids: PostgreSQL pushes this into each half of the union, where the indexes on
        # the notes' ``action_id`` (and the actions' ids) read only the visible actions' rows.
        db_type = Action._meta.pk.db_type(connection)
        return f'"owner" = ANY(%s::{db_type}[])', [array_literal(action_ids)]
    sql, params = action_ids.query.sql_with_params()
    return f'"owner" IN ({sql})', list(params)


def search(user, actions, *, text="", date_from=None, date_to=None):
    """``Results`` of (kind, pk, rank, day) rows, best first: "action" and "update" rows.

    ``actions`` is the already filtered queryset of actions the user may see.
    """
    action_ids, readable, few = _scope(user, actions)
    # Everything but which actions the user may see: that is added to each half below,
    # and once above the union for the ranked query.
    updates = ActionUpdate.objects.live().filter(readable)
    matching_actions = Action.objects.all()
    if date_from:
        updates = updates.filter(date__gte=date_from)
    if date_to:
        updates = updates.filter(date__lte=date_to)
    if date_from or date_to:
        in_range = ActionUpdate.objects.live().filter(action=OuterRef("pk"))
        if date_from:
            in_range = in_range.filter(date__gte=date_from)
        if date_to:
            in_range = in_range.filter(date__lte=date_to)
        matching_actions = matching_actions.filter(Exists(in_range))
    text = (text or "").strip()
    if text and readable:
        # Not one who reads every text of the actions they see: a sensitive action's
        # words match only where its text is readable (its updates have their own rule).
        matching_actions = matching_actions.filter(readable_text_filter(user))
    if text and not is_postgres():
        return _sqlite_results(updates, matching_actions, action_ids, text)
    if text:
        query = _query(text)
        if few:
            # Read through the indexes on the few actions' ids, each of their rows matched as
            # it is read: the full-text index would find the installation's every match first.
            updates = updates.filter(Q(Matches(_vector(), query)))
            matching_actions = matching_actions.filter(Q(Matches(_vector(), query)))
        else:
            updates = updates.alias(match=_vector()).filter(match=query)
            matching_actions = matching_actions.alias(match=_vector()).filter(match=query)
        rank = SearchRank(_vector(), query)
    else:
        rank = Value(0.0, output_field=FloatField())
    if is_postgres() and not few:
        # The actions half is the visible actions themselves (``actions``, the view's queryset),
        # so each matching action read is checked where it stands, not against a list of
        # every visible action's id (30,000 for a county user at national size).
        return _newest_results(updates, matching_actions & actions, action_ids, rank)

    def plain():
        scoped_updates = updates.filter(_among("action_id", action_ids))
        scoped_actions = matching_actions.filter(_among("id", action_ids))
        rows = _union(scoped_updates.annotate(rank=rank), scoped_actions.annotate(rank=rank))
        return rows.order_by("-rank", "-day", "kind", "-pk"), [scoped_updates, scoped_actions]

    ranked = None
    if is_postgres():
        union_sql, union_params = _union(
            updates.annotate(rank=rank), matching_actions.annotate(rank=rank), owner=True
        ).query.sql_with_params()
        visible, visible_params = _visible_sql(action_ids)
        ranked = (union_sql, visible, [*union_params, *visible_params])
    return Results(plain, ranked)


def _newest_results(updates, matching_actions, action_ids, rank):
    """``Results`` for someone who sees many actions (PostgreSQL): each half (``updates``,
    every filter but the visible actions applied, then scoped to the visible actions,
    ``action_ids``, a subquery; ``matching_actions``, already among the visible actions)
    keeps its ``NEWEST_MATCHES`` most recently added rows (by id), ranked as they are read;
    the union of the two is ranked.

    PostgreSQL chooses how to find them: from the full-text index (a rare word: its few
    matches, then the newest of them) or the id index read from the end (a common word:
    it stops at the last one needed); either way it checks and ranks the rows it keeps,
    not the installation's every match.
    """
    halves = []
    for queryset, kind, day, owner in (
        (updates.filter(action_id__in=action_ids), "update", F("date"), F("action_id")),
        (matching_actions, "action", Cast("created_at", DateField()), F("id")),
    ):
        rows = queryset.annotate(kind=Value(kind, output_field=CharField()), rank=rank, day=day, owner=owner)
        rows = rows.values_list("kind", "pk", "rank", "day", "owner").order_by("-pk")[:NEWEST_MATCHES]
        sql, params = rows.query.sql_with_params()
        halves.append((f"({sql})", "TRUE", list(params)))
    (update_sql, _, update_params), (action_sql, _, action_params) = halves
    ranked = (f"{update_sql} UNION ALL {action_sql}", "TRUE", [*update_params, *action_params])
    rows = RankedRows(ranked)
    return Results(lambda: (rows, [RankedRows(half) for half in halves]), ranked, bound=NEWEST_MATCHES)


def _sqlite_results(updates, matching_actions, action_ids, text):
    """``Results`` of a full-text search on SQLite: the same two halves (``updates`` and
    ``matching_actions``, every filter but the actions the user may see already applied),
    each joined to the rows its FTS5 table matches and ranked by ``bm25``; the visible
    actions filter the union, as in PostgreSQL's ranked query."""
    match = fts.match_expression(text)
    if match is None:  # only stop words or punctuation: PostgreSQL finds nothing either
        return Results(lambda: ([], []))
    update_sql, update_params = fts.ranked_half(
        updates, fts.TABLES["actions_actionupdate"], "update", day=F("date"), owner=F("action_id"), match=match
    )
    action_sql, action_params = fts.ranked_half(
        matching_actions,
        fts.TABLES["actions_action"],
        "action",
        day=Cast("created_at", DateField()),
        owner=F("pk"),
        match=match,
    )
    visible, visible_params = _visible_sql(action_ids)
    ranked = (f"{update_sql} UNION ALL {action_sql}", visible, [*update_params, *action_params, *visible_params])
    rows = RankedRows(ranked)
    return Results(lambda: (rows, [rows]), ranked)


class RankedRows:
    """The rows of a ranked union read by SQL, in slices (``Results.rows``) and counted
    (``Results.counted``): SQLite's ranking needs a join to the FTS5 table that a queryset
    cannot express."""

    def __init__(self, ranked):
        self.ranked = ranked

    def _select(self, columns, tail="", tail_params=()):
        union, visible, params = self.ranked
        query = f'SELECT {columns} FROM ({union}) AS "hits" WHERE {visible}{tail}'  # noqa: S608 - compiled SQL
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(query, [*params, *tail_params])
            return cursor.fetchall()

    def count(self):
        return self._select("COUNT(*)")[0][0]

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start = index.start or 0
        limit = max(0, index.stop - start) if index.stop is not None else None if is_postgres() else -1
        rows = self._select('"kind", "pk", "rank", "day"', f" {Results.ORDER} LIMIT %s OFFSET %s", [limit, start])
        return [(kind, pk, rank, _date(day)) for kind, pk, rank, day in rows]

    def __iter__(self):
        return iter(self[0:None])


def _date(value):
    """A date read by raw SQL on SQLite comes back as its ISO text."""
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


# What a result shows (the results template), read as plain values: {name: path}.
ACTION_VALUES = {
    "action_text": "text",
    "action_marking": "marking",
    "action_rag": "rag",
    "priority_number": "issue__priority__number",
    "plan_title": "issue__priority__plan__title",
    "plan_start": "issue__priority__plan__start_year",
    "plan_end": "issue__priority__plan__end_year",
    "partnership": "issue__priority__plan__partnership__short_name",
}
UPDATE_VALUES = {
    "text": "text",
    "date": "date",
    "marking": "marking",
    "author_name": "author_name",
    "author_username": "author__username",
    "author_first_name": "author__first_name",
    "author_last_name": "author__last_name",
    "action_id": "action_id",
    **{name: f"action__{path}" for name, path in ACTION_VALUES.items()},
}


def _values(queryset, names, *extra):
    """``queryset.values()`` with each path under its name (fields keep their own)."""
    fields = [path for name, path in names.items() if name == path]
    renamed = {name: F(path) for name, path in names.items() if name != path}
    return queryset.values(*extra, *fields, **renamed)


def author_display(row):
    """``ActionUpdate.author_display`` of a row read as plain values."""
    user = row["author_username"] and person_name(
        row["author_first_name"], row["author_last_name"], row["author_username"]
    )
    return note_author(row["author_name"], user_name=user)


def load_page(rows, *, user, text=""):
    """What one page of ``search`` rows shows, in order, without model instances: dicts
    with the action's text and rating, its plan and priority, an update's date, author
    and marking, the link to the action and a safe snippet. An OFFICIAL-SENSITIVE
    action's text ``user`` may not read is replaced by the placeholder."""
    update_ids = [pk for kind, pk, *_ in rows if kind == "update"]
    action_ids = [pk for kind, pk, *_ in rows if kind == "action"]
    # No ORDER BY (the rows are put in order below): the models' default orderings would
    # join up to the partnership to sort twenty rows.
    updates = ActionUpdate.objects.filter(pk__in=update_ids).order_by()
    actions = Action.objects.filter(pk__in=action_ids).order_by()
    text = (text or "").strip()
    match = fts.match_expression(text) if text and not is_postgres() else None
    headlines = bool(text) and (is_postgres() or match is not None)
    extra = ["pk"]
    if match is not None:
        snippet = {"open_mark": OPEN_MARK, "close_mark": CLOSE_MARK}
        updates = updates.annotate(headline=fts.snippet("actions_actionupdate", match, **snippet))
        actions = actions.annotate(headline=fts.snippet("actions_action", match, **snippet))
        extra.append("headline")
    elif headlines:
        headline = SearchHeadline(
            "text",
            _query(text),
            config="english",
            start_sel=OPEN_MARK,
            stop_sel=CLOSE_MARK,
            max_words=40,
            min_words=20,
        )
        updates = updates.annotate(headline=headline)
        actions = actions.annotate(headline=headline)
        extra.append("headline")
    updates = {row["pk"]: row for row in _values(updates, UPDATE_VALUES, *extra)} if update_ids else {}
    actions = {row["pk"]: row for row in _values(actions, ACTION_VALUES, *extra)} if action_ids else {}
    for row in actions.values():
        row.update(text=row["action_text"], action_id=row["pk"])
    sensitive = {
        row["action_id"]
        for row in [*updates.values(), *actions.values()]
        if row["action_marking"] == Marking.OFFICIAL_SENSITIVE
    }
    withheld = sensitive - readable_text_ids(user, sensitive)
    for row in [*updates.values(), *actions.values()]:
        row["text_withheld"] = row["action_id"] in withheld
        if row["text_withheld"]:
            row["action_text"] = WITHHELD_TEXT
    for row in actions.values():
        if row["text_withheld"]:
            row["text"], row["headline"] = WITHHELD_TEXT, WITHHELD_TEXT
    marker = 987654321
    url_pattern = reverse("actions:detail", args=[marker])
    results = []
    for kind, pk, rank, day in rows:
        row = updates.get(pk) if kind == "update" else actions.get(pk)
        if row is None:
            continue
        title = plan_full_title(row["partnership"], row["plan_title"], row["plan_start"], row["plan_end"])
        results.append(
            {
                **row,
                "kind": kind,
                "url": url_pattern.replace(str(marker), str(row["action_id"])),  # reversed once, not once a row
                "snippet": marked_headline(row["headline"]) if headlines else python_snippet(row["text"], text),
                "rank": rank,
                "day": day,
                "plan_full_title": title,
                "author": author_display(row) if kind == "update" else "",
                "is_sensitive": row.get("marking") == Marking.OFFICIAL_SENSITIVE,
            }
        )
    return results


def marked_headline(headline):
    """Escape a ``ts_headline`` result, then turn its private-use markers into ``<mark>``."""
    escaped = escape(headline or "")
    if escaped.count(OPEN_MARK) != escaped.count(CLOSE_MARK):
        return escaped.replace(OPEN_MARK, "").replace(CLOSE_MARK, "")
    return mark_safe(escaped.replace(OPEN_MARK, "<mark>").replace(CLOSE_MARK, "</mark>"))  # noqa: S308 - escaped above


def python_snippet(body, text):
    """A window of ``body`` around the first match of ``text``, escaped, with matches marked."""
    body = body or ""
    if not text:
        return body[:SNIPPET_CHARS] + ("…" if len(body) > SNIPPET_CHARS else "")
    found = body.casefold().find(text.casefold())
    start = max(0, found - SNIPPET_CHARS // 3) if found >= 0 else 0
    window = body[start : start + SNIPPET_CHARS]
    pieces = re.split(f"({re.escape(text)})", window, flags=re.IGNORECASE)
    html = "".join(f"<mark>{escape(p)}</mark>" if i % 2 else escape(p) for i, p in enumerate(pieces))
    prefix = "…" if start else ""
    suffix = "…" if start + SNIPPET_CHARS < len(body) else ""
    return mark_safe(prefix + html + suffix)  # noqa: S308 - every piece escaped above
