"""Full-text search on SQLite (actions.fts, actions.search): nothing on PostgreSQL.

An FTS5 table over the text of each of ``actions_action`` and ``actions_actionupdate``
("external content": rowid = the row's id, the text stays in the base table), Porter
stemming, and triggers on the base table that keep the index in step with every writer.
The index is built from the rows already there. No model state changes. The SQL is
written out here (not imported) so this migration stays what it was when applied.
"""

from django.db import migrations

TABLES = [("actions_action", "actions_action_fts"), ("actions_actionupdate", "actions_actionupdate_fts")]


def statements(table, fts):
    insert = f"INSERT INTO {fts}(rowid, text) VALUES (new.id, new.text);"
    delete = f"INSERT INTO {fts}({fts}, rowid, text) VALUES ('delete', old.id, old.text);"
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
        f"text, content='{table}', content_rowid='id', tokenize='porter unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF id, text ON {table} BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for table, fts in TABLES:
        for statement in statements(table, fts):
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for _, fts in TABLES:
        for kind in ("ai", "ad", "au"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {fts}_{kind}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {fts}")


class Migration(migrations.Migration):
    dependencies = [("actions", "0008_action_measures")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
