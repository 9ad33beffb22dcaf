import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0002_team_grant"),
    ]

    operations = [
        migrations.AlterField(
            model_name="team",
            name="partnership",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="teams", to="partners.partnership"
            ),
        ),
    ]
