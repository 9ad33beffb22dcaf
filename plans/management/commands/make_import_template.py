"""Write the import template (XLSX and the two CSV files) into docs/templates/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from plans.transfer.template import template_csvs, template_xlsx


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--folder", default=str(Path(settings.BASE_DIR) / "docs" / "templates"))

    def handle(self, *args, folder, **options):
        target = Path(folder)
        target.mkdir(parents=True, exist_ok=True)
        (target / "action-plan-template.xlsx").write_bytes(template_xlsx())
        actions, updates = template_csvs()
        (target / "action-plan-template.csv").write_text(actions, encoding="utf-8")
        (target / "action-plan-template-updates.csv").write_text(updates, encoding="utf-8")
        self.stdout.write(f"Wrote the template to {target}")
