"""Stored full-text vectors for search on PostgreSQL (actions.search): nothing on SQLite.

Each of ``actions_action`` and ``actions_actionupdate`` gets a ``search_vector``
column that PostgreSQL computes itself (``GENERATED ALWAYS AS ... STORED``) from
``text``, so every writer (services, imports, the admin, raw SQL) keeps it right
without code. A GIN index on it finds matches; ``ts_rank`` reads the stored vector
instead of parsing every matching text again (the main cost of a broad search).
The expression indexes of 0003 are replaced. ``fastupdate`` is off: new notes go
straight into the index (people write them one at a time) instead of a pending
list that every search would scan until the next vacuum. The columns are not in the model
state: ``actions.search.StoredVector`` reads them on PostgreSQL only.
"""

from django.db import migrations

TABLES = [
    ("actions_actionupdate", "actionupdate_text_fts", "actionupdate_search_vector"),
    ("actions_action", "action_text_fts", "action_search_vector"),
]
VECTOR = "to_tsvector('english'::regconfig, COALESCE(text, ''::text))"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, old_index, index in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin (search_vector) WITH (fastupdate = off)"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {old_index}")
        schema_editor.execute(f"ANALYZE {table}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, old_index, index in TABLES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {old_index} ON {table} USING gin ({VECTOR})")
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("actions", "0003_search_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
