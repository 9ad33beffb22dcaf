"""Load (or top up) the real partnerships from fixtures/*.json: Hertsmere, Dacorum and St Albans.

Safe to run again: rows are found by natural keys and only missing ones are
created; nothing that exists is changed or deleted, so notes, ratings and
edits added in the app since the last load are kept. Everything is loaded in
one transaction. See docs/seed-data.md for what is transcribed from which seed.
"""

from django.core.management.base import BaseCommand, CommandError

from csp.loaders.seed import SeedError, fixture_paths, load_seed


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", help="Fixture files to load (default: every fixtures/*.json, loaded together)."
        )

    def handle(self, *args, paths=(), verbosity=1, **options):
        try:
            report = load_seed(paths=list(paths) or fixture_paths())
        except (SeedError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        if verbosity < 1:
            return
        if not report.total:
            self.stdout.write("Seed data already loaded: nothing to add.")
            return
        self.stdout.write(self.style.SUCCESS(f"Loaded {report.total} rows from the seed fixtures."))
        if verbosity > 1:
            for line in report.lines():
                self.stdout.write(f"  {line}")
