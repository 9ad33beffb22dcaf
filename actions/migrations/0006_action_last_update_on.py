from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery


def fill_last_update_on(apps, schema_editor):
    """Set every action's date of its latest live update (the figure pages read from now on)."""
    Action = apps.get_model("actions", "Action")
    ActionUpdate = apps.get_model("actions", "ActionUpdate")
    latest = (
        ActionUpdate.objects.filter(action=OuterRef("pk"), is_deleted=False)
        .order_by()
        .values("action")
        .annotate(latest=Max("date"))
        .values("latest")
    )
    Action.objects.update(last_update_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_update_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="last_update_on",
            field=models.DateField(
                blank=True,
                editable=False,
                help_text="The date of the latest update that is not deleted: kept by refresh_last_update().",
                null=True,
            ),
        ),
        migrations.RunPython(fill_last_update_on, migrations.RunPython.noop, elidable=True),
    ]
