"""Import a plan from XLSX, CSV (FILE plus FILE-updates.csv if present) or a Word action plan (.docx).

Prints the preview (what will be created and changed, and every problem by sheet, row and
column), then saves everything in one transaction, or nothing: with --dry-run, or when
there is any error, nothing is saved and the exit status is non-zero on error.
Use --create (with --partnership) to create the plan named by --plan.
"""

import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.models import Partnership
from plans.models import ActionPlan
from plans.transfer.importer import apply_import, plan_import
from plans.transfer.parse_table import parse_upload
from plans.transfer.rows import FileRefused

from .export_plan import updates_csv_path


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--plan", required=True, help="The plan's slug, e.g. hertsmere-2019-2020.")
        parser.add_argument("--updates", help="The CSV of updates (default: FILE-updates.csv when it exists).")
        parser.add_argument("--dry-run", action="store_true", help="Print the preview; save nothing.")
        parser.add_argument("--create", action="store_true", help="Create the plan (needs --partnership).")
        parser.add_argument("--partnership", help="The partnership's slug, for --create.")
        parser.add_argument("--title", default="Community Safety Action Plan", help="The new plan's title.")
        parser.add_argument("--years", help="The new plan's years, e.g. 2019-2020 (default: from the slug).")

    def handle(self, *args, file, plan, updates=None, dry_run=False, create=False, partnership=None, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"No file {file}.")
        content = path.read_bytes()
        updates_content, updates_name = None, ""
        updates_path = Path(updates) if updates else updates_csv_path(path)
        if path.suffix.lower() == ".csv" and updates_path.exists():
            updates_content, updates_name = updates_path.read_bytes(), updates_path.name
        elif updates:
            raise CommandError(f"No file {updates}.")
        target, new_plan, owner = self._target(plan, create, partnership, options)
        try:
            parsed = parse_upload(content, path.name, updates_content=updates_content, updates_filename=updates_name)
        except FileRefused as refused:
            raise CommandError(str(refused)) from None
        result = plan_import(parsed, plan=target, partnership=owner, new_plan=new_plan)
        for line in result.summary_lines():
            self.stdout.write(line)
        for problem in result.warnings:
            self.stdout.write(f"Warning: {problem}")
        for problem in result.errors:
            self.stderr.write(f"Error: {problem}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} problem(s) found; nothing was saved.")
        if dry_run:
            self.stdout.write("Dry run: nothing was saved.")
            return
        if not result.has_changes:
            self.stdout.write("Nothing to import: everything in the file is already in the plan.")
            return

        def progress(done, total):
            sys.stderr.write(f"\rSaving {done}/{total}")
            if done == total:
                sys.stderr.write("\n")

        saved = apply_import(result, user=None, progress=progress if options.get("verbosity", 1) else None)
        self.stdout.write(self.style.SUCCESS(f"Imported into {saved.slug}."))

    def _target(self, slug, create, partnership_slug, options):
        if not create:
            try:
                return ActionPlan.objects.select_related("partnership").get(slug=slug), None, None
            except ActionPlan.DoesNotExist:
                raise CommandError(f"No plan called {slug}. Use --create --partnership <slug> to create it.") from None
        if not partnership_slug:
            raise CommandError("--create needs --partnership <slug>.")
        try:
            partnership = Partnership.objects.get(slug=partnership_slug)
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership called {partnership_slug}.") from None
        years = options.get("years") or slug
        match = re.search(r"(\d{4})\D+(\d{4})$", years) or re.search(r"(\d{4})$", years)
        if not match:
            raise CommandError("Give the years with --years 2019-2020 (or end the slug with them).")
        start = int(match[1])
        end = int(match[2]) if match.lastindex == 2 else start
        return None, {"title": options["title"], "start_year": start, "end_year": end, "slug": slug}, partnership
