"""An index on ``ActionUpdate.created_at`` on PostgreSQL: nothing on SQLite.

The county view shows each plan's last activity, the newest live update of the
plan. With this index PostgreSQL reads the updates newest first and stops at the
plan's first one, instead of taking the maximum over every update of every plan.
Like 0003 and 0004 it is not in the model state.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS actionupdate_created_at ON actions_actionupdate (created_at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS actionupdate_created_at")


class Migration(migrations.Migration):
    dependencies = [("actions", "0004_search_vector")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
