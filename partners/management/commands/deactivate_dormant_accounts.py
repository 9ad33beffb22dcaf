"""Deactivate the accounts nobody signed in to for a long time (settings DORMANT_AFTER_DAYS +
DEACTIVATE_AFTER_DORMANT_DAYS), end their sessions and tell their partnerships' administrators.
Safe to run as often as you like (e.g. daily from the scheduler): done accounts are skipped."""

from django.core.management.base import BaseCommand

from partners import services, twofactor


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args, **options):
        people = twofactor.deactivate_dormant(end_sessions=services.end_sessions)
        for person in people:
            self.stdout.write(f"Deactivated {person.get_username()} (last signed in {person.last_login or 'never'})")
        self.stdout.write(f"{len(people)} dormant account(s) deactivated.")
