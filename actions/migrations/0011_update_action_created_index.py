"""An index on ``ActionUpdate (action, created_at)`` on PostgreSQL: nothing on SQLite.

The county view's last activity of a plan is now the newest of its actions' newest
updates, each read from the end of this index (one short probe per action), instead
of reading every update of the installation newest first until one of the plan's
turns up (0005's index), which grows with the number of plans: 8 ms a plan with
300 partnerships. Like 0003 to 0005 it is not in the model state.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS actionupdate_action_created ON actions_actionupdate (action_id, created_at)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS actionupdate_action_created")


class Migration(migrations.Migration):
    dependencies = [("actions", "0010_action_marking")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
