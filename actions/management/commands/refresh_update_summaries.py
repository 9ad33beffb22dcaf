"""Check or rebuild what each action keeps from its updates (last_update_on, rating_history).

    python manage.py refresh_update_summaries            rebuild every action's summary
    python manage.py refresh_update_summaries --check    report actions whose summary is wrong

The app keeps these right on every write; this is for after rows were changed behind
its back (SQL by hand, a restored table). --check exits with an error when any is wrong.
"""

from django.core.management.base import BaseCommand, CommandError

from actions.models import Action, update_summaries

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
                pk: (last, history)
                for pk, last, history in Action.objects.filter(pk__in=batch).values_list(
                    "pk", "last_update_on", "rating_history"
                )
            }
            wrong += [pk for pk, summary in update_summaries(batch).items() if stored.get(pk) != summary]
        if check:
            if wrong:
                shown = ", ".join(str(pk) for pk in wrong[:20]) + (" …" if len(wrong) > 20 else "")
                raise CommandError(
                    f"{len(wrong)} of {len(ids)} actions have a wrong summary of their updates (ids {shown})."
                    " Run refresh_update_summaries to rebuild them."
                )
            self.stdout.write(f"All {len(ids)} actions' summaries match their updates.")
            return
        for start in range(0, len(wrong), BATCH):
            Action.objects.filter(pk__in=wrong[start : start + BATCH]).refresh_update_summary()
        self.stdout.write(f"Rebuilt {len(wrong)} of {len(ids)} actions' summaries; the others were right.")
