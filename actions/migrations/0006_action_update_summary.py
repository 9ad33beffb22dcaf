from collections import defaultdict

from django.db import migrations, models


def fill_summaries(apps, schema_editor):
    """Every action's summary of its live updates (the date of the latest, and its rating at
    the end of each month in which an update changed it), as refresh_update_summary keeps
    them from now on. The rule is copied here so this migration never changes."""
    Action = apps.get_model("actions", "Action")
    ActionUpdate = apps.get_model("actions", "ActionUpdate")
    updates = defaultdict(list)
    rows = (
        ActionUpdate.objects.filter(is_deleted=False)
        .order_by("action_id", "date", "order", "id")
        .values_list("action_id", "date", "rag")
    )
    for action_id, day, rag in rows.iterator(chunk_size=5000):
        updates[action_id].append((day, rag))
    changed = []
    for action_id, notes in updates.items():
        history = []
        for day, rag in notes:
            month = day.year * 12 + day.month - 1
            if history and history[-1][0] == month:
                history[-1][1] = rag  # the month's last note gives its end-of-month rating
            else:
                history.append([month, rag])
        kept = []
        for month, rag in history:
            if not kept or kept[-1][1] != rag:
                kept.append([month, rag])
        changed.append(Action(pk=action_id, last_update_on=notes[-1][0], rating_history=kept))
    Action.objects.bulk_update(changed, ["last_update_on", "rating_history"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0005_update_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="action",
            name="last_update_on",
            field=models.DateField(
                blank=True, editable=False, help_text="The date of the latest update that is not deleted.", null=True
            ),
        ),
        migrations.AddField(
            model_name="action",
            name="rating_history",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text=(
                    "[[month number, rating], ...]: the rating at the end of each month in which an update changed it."
                ),
            ),
        ),
        migrations.RunPython(fill_summaries, migrations.RunPython.noop, elidable=True),
    ]
