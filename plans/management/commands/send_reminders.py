"""Send what is due now: close update rounds past their deadline (freezing their packs), then
send the round digests, the notices of frozen packs, the weekly digests of stale actions and
the reminders of statutory duties to their owners.

Safe to run as often as you like (every few minutes from cron or a systemd timer, or from
the task scheduler): each email is recorded before it is sent, so it never goes twice, even
when two copies run at once. ``--dry-run`` lists what would be sent and sends nothing.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from plans.reminders import send_due


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would be sent; send nothing.")

    def handle(self, *args, dry_run=False, **options):
        report = send_due(now=timezone.now(), dry_run=dry_run)
        verb = "Would close" if dry_run else "Closed"
        for update_round in report.closed:
            self.stdout.write(
                f"{verb} {update_round} (deadline {timezone.localtime(update_round.deadline):%d/%m/%Y %H:%M})"
            )
        for email in report.sent:
            if dry_run or options["verbosity"] > 1:
                self.stdout.write(f"{'Would send' if dry_run else 'Sent'} to {email.user.email}: {email.subject}")
        for email, why in report.skipped:
            if options["verbosity"] > 1:
                self.stdout.write(f"Skipped {email.key} to {email.user.email}: {why}")
        for email in report.failed:
            self.stderr.write(f"Failed to send {email.key} to {email.user.email}; it will be tried again.")
        count, people = len(report.sent), report.people
        prefix = "Would send" if dry_run else "Sent"
        self.stdout.write(
            f"{prefix} {count} email{'s' if count != 1 else ''} to {people} {'person' if people == 1 else 'people'}"
        )
