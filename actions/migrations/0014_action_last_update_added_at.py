from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def fill_added_at(apps, schema_editor):
    """When each action's newest live update was added, as refresh_update_summary keeps it
    from now on: one UPDATE with a correlated subquery."""
    Action = apps.get_model("actions", "Action")
    ActionUpdate = apps.get_model("actions", "ActionUpdate")
    newest = (
        ActionUpdate.objects.filter(action_id=OuterRef("pk"), is_deleted=False)
        .order_by()
        .values("action_id")
        .annotate(added=Max("created_at"))
        .values("added")
    )
    Action.objects.update(last_update_added_at=Subquery(newest))


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0013_update_suggested_rag_and_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="last_update_added_at",
            field=models.DateTimeField(
                blank=True,
                editable=False,
                help_text="When the newest update that is not deleted was added.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_added_at, migrations.RunPython.noop, elidable=True),
    ]
