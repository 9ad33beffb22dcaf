"""Full-text search on SQLite (the embedded default): FTS5 indexes of the text of actions
and updates.

Each of ``actions_action`` and ``actions_actionupdate`` has an FTS5 table over its
``text`` (migration ``actions/0009_sqlite_fts``), an "external content" table keyed by
rowid = the row's id, so the text is stored once and ``snippet()`` reads it back. The
Porter stemmer (``tokenize='porter unicode61'``) matches words in any form ("referral"
finds "referrals") as PostgreSQL's English configuration does. Triggers on the base
tables keep the index in step with every writer: the services, the admin, ``bulk_create``,
``update()``, loaders and SQL by hand. A migration that rebuilds one of those tables on
SQLite (Django copies it into a new table) drops its triggers; ``ensure_triggers`` puts
them back after every ``migrate`` and rebuilds the index, and
``refresh_update_summaries --check`` reports an index out of step.

The search itself (``actions.search``) only asks this index for candidate ids, ranks
(``bm25``) and snippets: which rows a user may see is still decided by the same
querysets as on PostgreSQL.
"""

import re

from django.db import DatabaseError, transaction
from django.db.models import F, TextField
from django.db.models.expressions import RawSQL

# base table -> its FTS5 table
TABLES = {"actions_action": "actions_action_fts", "actions_actionupdate": "actions_actionupdate_fts"}
TRIGGER_KINDS = ("ai", "ad", "au")

# PostgreSQL's English stop words (snowball's list): ``websearch_to_tsquery`` drops them
# from a query, so "lighting in the underpass" needs neither "in" nor "the" to match.
_STOP_WORDS = """
i me my myself we our ours ourselves you your yours yourself yourselves he him his
himself she her hers herself it its itself they them their theirs themselves what which
who whom this that these those am is are was were be been being have has had having do
does did doing a an the and but if or because as until while of at by for with about
against between into through during before after above below to from up down in out on
off over under again further then once here there when where why how all any both each
few more most other some such no nor not only own same so than too very s t can will
just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# What unicode61 keeps as a token: letters and digits (an underscore separates).
TOKEN = re.compile(r"[^\W_]+")
# A term of the websearch syntax: an optional "-", then a "quoted phrase" (closed or
# not) or a run of anything but spaces and quotes.
TERM = re.compile(r'(-?)(?:"([^"]*)"?|([^\s"]+))')


def create_sql(table, fts):
    """The FTS5 table over ``table.text`` and the three triggers that keep it in step."""
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"text, content='{table}', content_rowid='id', tokenize='porter unicode61')",
        *trigger_sql(table, fts),
    ]


def trigger_sql(table, fts):
    insert = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text);"  # noqa: S608 - table names are constants
    # An external-content index forgets a row only when told the text it indexed.
    delete = f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text);"  # noqa: S608 - table names are constants
    return [
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF id, text ON {table} BEGIN {delete} {insert} END",
    ]


def _schema_names(connection):
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        return {name for (name,) in cursor.fetchall()}


def missing_parts(connection):
    """{fts table: [what is missing: the table itself or trigger names]} (SQLite)."""
    names = _schema_names(connection)
    missing = {}
    for fts in TABLES.values():
        parts = [fts] if fts not in names else []
        parts += [f"{fts}_{kind}" for kind in TRIGGER_KINDS if f"{fts}_{kind}" not in names]
        if parts:
            missing[fts] = parts
    return missing


def ensure_triggers(connection):
    """Put back the triggers a rebuilt base table lost, and rebuild its index (writes may
    have been missed in between). Does nothing before the migration made the FTS tables
    or after it was reversed. Returns the FTS tables rebuilt."""
    if connection.vendor != "sqlite":
        return []
    names = _schema_names(connection)
    rebuilt = []
    for table, fts in TABLES.items():
        if fts not in names or table not in names:
            continue
        if all(f"{fts}_{kind}" in names for kind in TRIGGER_KINDS):
            continue
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            for statement in trigger_sql(table, fts):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608 - table names are constants
        rebuilt.append(fts)
    return rebuilt


def out_of_step(connection):
    """The FTS tables whose index does not match their base table's text (SQLite):
    missing, without a trigger, or failing FTS5's integrity check against the content."""
    missing = missing_parts(connection)
    wrong = [fts for fts in TABLES.values() if fts in missing]
    for fts in TABLES.values():
        if fts in missing:
            continue
        try:
            # rank = 1: also compare the index with the external content table.
            with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('integrity-check', 1)")  # noqa: S608 - table names are constants
        except DatabaseError:
            wrong.append(fts)
    return wrong


def rebuild(connection, tables):
    """Recreate what is missing of ``tables`` (FTS table names) and rebuild their index
    from the base tables' text."""
    by_fts = {fts: table for table, fts in TABLES.items()}
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for fts in tables:
            for statement in create_sql(by_fts[fts], fts):
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")  # noqa: S608 - table names are constants


def match_expression(text):
    """The FTS5 query for what a person typed, read as PostgreSQL's ``websearch_to_tsquery``
    reads it, or None when nothing is left to look for.

    Words are all required; a "quoted phrase" matches those words in a row; ``-word``
    (or ``-"a phrase"``) excludes; ``or`` between terms gives either. Stop words are
    dropped outside quotes. Every term is reduced to its letters and digits and quoted,
    so nothing typed can be read as FTS5 syntax (``*``, ``:``, ``NEAR(``, ``AND``...).
    Unlike PostgreSQL, a group of only excluded words matches nothing.
    """
    groups, current = [], ([], [])
    for minus, phrase, word in TERM.findall(text or ""):
        if word and not minus and word.lower() == "or":
            groups.append(current)
            current = ([], [])
            continue
        tokens = [token.lower() for token in TOKEN.findall(phrase or word)]
        if not phrase:
            tokens = [token for token in tokens if token not in STOP_WORDS]
        if tokens:
            current[1 if minus else 0].append('"' + " ".join(tokens) + '"')
    groups.append(current)
    clauses = [
        "(" + " AND ".join(wanted) + ")" + "".join(f" NOT {term}" for term in unwanted)
        for wanted, unwanted in groups
        if wanted
    ]
    return " OR ".join(f"({clause})" for clause in clauses) or None


def ranked_half(queryset, fts, kind, *, day, owner, match):
    """(SQL, parameters) of (kind, pk, rank, day, owner) rows: the rows of ``queryset``
    (already narrowed to what the user may read) that the FTS table matches, ranked by
    ``bm25`` (negated: higher is better, as ``ts_rank``).

    The index is read first (CROSS JOIN keeps it the outer loop: looked up row by row
    from the base table it would run the full-text query once a row) and each hit is
    joined to the queryset by id.
    """
    rows = queryset.annotate(hit_pk=F("pk"), hit_day=day, hit_owner=owner)
    sql, params = rows.values_list("hit_pk", "hit_day", "hit_owner").order_by().query.sql_with_params()
    return (
        f'SELECT \'{kind}\' AS "kind", "m"."hit_pk" AS "pk", -bm25({fts}) AS "rank",'  # noqa: S608 - names are constants
        f' "m"."hit_day" AS "day", "m"."hit_owner" AS "owner"'
        f' FROM {fts} CROSS JOIN ({sql}) AS "m" ON "m"."hit_pk" = {fts}.rowid WHERE {fts} MATCH %s',
        [*params, match],
    )


def snippet(table, match, *, open_mark, close_mark):
    """An expression for a page's few rows of ``table``: the FTS5 snippet of the row's
    text around the words found, the words between the two marks (raw text: escape it)."""
    fts = TABLES[table]
    return RawSQL(  # noqa: S611 - the text is a parameter
        f"SELECT snippet({fts}, 0, %s, %s, %s, 32) FROM {fts}"  # noqa: S608 - names are constants
        f' WHERE {fts} MATCH %s AND {fts}.rowid = "{table}"."id"',
        [open_mark, close_mark, "…", match],
        output_field=TextField(),
    )
