"""Full-text search indexes on PostgreSQL (actions.search): nothing on SQLite.

The expression matches what ``SearchVector("text", config="english")`` compiles
to, so the planner uses the index. No model state changes.
"""

from django.db import migrations

INDEXES = [
    ("actions_actionupdate", "actionupdate_text_fts"),
    ("actions_action", "action_text_fts"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            "USING gin (to_tsvector('english'::regconfig, COALESCE(text, ''::text)))"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _, name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("actions", "0002_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
