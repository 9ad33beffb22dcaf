"""Export a plan as XLSX (Actions and Updates sheets) or CSV (FILE for actions, FILE-updates.csv for updates).

The command line sees everything, OFFICIAL-SENSITIVE notes included, unless --as-user names
someone whose access should apply.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.models import User
from plans.models import ActionPlan
from plans.transfer import columns as c
from plans.transfer.export import export_rows, milestone_rows, write_csv, write_xlsx


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. hertsmere-2019-2020.")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument("--as-user", help="Export what this username may see (leaves out sensitive notes).")

    def handle(self, *args, plan, format, output, as_user=None, **options):
        try:
            plan = ActionPlan.objects.select_related("partnership").get(slug=plan)
        except ActionPlan.DoesNotExist:
            raise CommandError(f"No plan called {plan}.") from None
        if as_user:
            try:
                user = User.objects.get(username=as_user)
            except User.DoesNotExist:
                raise CommandError(f"No user called {as_user}.") from None
        else:
            user = User(is_superuser=True, username="command line")
        action_rows, update_rows = export_rows(plan, user)
        path = Path(output)
        if format == "xlsx":
            with path.open("wb") as stream:
                write_xlsx(action_rows, update_rows, stream, milestone_rows(plan, user))
            written = [path]
        else:
            updates_path = updates_csv_path(path)
            with path.open("w", encoding="utf-8-sig", newline="") as stream:
                write_csv(c.ACTION_COLUMNS, action_rows, stream)
            with updates_path.open("w", encoding="utf-8-sig", newline="") as stream:
                write_csv(c.UPDATE_COLUMNS, update_rows, stream)
            written = [path, updates_path]
        self.stdout.write(
            f"Wrote {len(action_rows)} actions and {len(update_rows)} updates to {', '.join(map(str, written))}"
        )


def updates_csv_path(path):
    """plan.csv -> plan-updates.csv: the second file of a CSV export."""
    return path.with_name(f"{path.stem}-updates{path.suffix or '.csv'}")
