"""Check or rebuild what each action keeps from its updates and, on SQLite, the search index.

What an action keeps: last_update_on, rating_history and last_update_added_at; the index is
SQLite's full-text index of actions and updates.

    python manage.py refresh_update_summaries            rebuild what is wrong
    python manage.py refresh_update_summaries --check    report what is wrong

The app keeps these right on every write (the search index by triggers, actions.fts);
this is for after rows were changed behind its back (SQL by hand, a restored table, a
trigger lost). --check exits with an error when any is wrong. PostgreSQL computes its
search vectors itself: there is no index to check there.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from actions import fts
from actions.models import SUMMARY_FIELDS, Action, update_summaries

BATCH = 1000


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report wrong summaries; change nothing.")

    def handle(self, *args, check=False, **options):
        ids = list(Action.objects.order_by("pk").values_list("pk", flat=True))
        wrong = []
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            stored = {
                pk: tuple(summary)
                for pk, *summary in Action.objects.filter(pk__in=batch).values_list("pk", *SUMMARY_FIELDS)
            }
            wrong += [pk for pk, summary in update_summaries(batch).items() if stored.get(pk) != summary]
        stale_indexes = fts.out_of_step(connection) if connection.vendor == "sqlite" else []
        if check:
            problems = []
            if wrong:
                shown = ", ".join(str(pk) for pk in wrong[:20]) + (" …" if len(wrong) > 20 else "")
                problems.append(
                    f"{len(wrong)} of {len(ids)} actions have a wrong summary of their updates (ids {shown})."
                )
            if stale_indexes:
                problems.append(f"The search index does not match the text of {', '.join(stale_indexes)}.")
            if problems:
                raise CommandError(" ".join(problems) + " Run refresh_update_summaries to rebuild them.")
            self.stdout.write(f"All {len(ids)} actions' summaries match their updates.")
            if connection.vendor == "sqlite":
                self.stdout.write("The search index matches the text of actions and updates.")
            return
        for start in range(0, len(wrong), BATCH):
            Action.objects.filter(pk__in=wrong[start : start + BATCH]).refresh_update_summary()
        self.stdout.write(f"Rebuilt {len(wrong)} of {len(ids)} actions' summaries; the others were right.")
        if stale_indexes:
            fts.rebuild(connection, stale_indexes)
            self.stdout.write(f"Rebuilt the search index of {', '.join(stale_indexes)}: it did not match their text.")
        elif connection.vendor == "sqlite":
            self.stdout.write("The search index matched the text of actions and updates.")
