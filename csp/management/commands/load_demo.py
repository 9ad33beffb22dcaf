"""Create the fictional Exampleshire and Sampleton partnerships and the demo accounts.

Everything it creates is fictional and says so. Running it again keeps what is
already there and changes nothing; --reset deletes the fictional partnerships
and builds them again (the demo accounts' passwords are set again). The
password of the accounts is $DEMO_PASSWORD, or "exampleshire-demo-2026".
Refuses to run with DEBUG off unless --force is given.
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from csp.loaders.demo import demo_password, load_demo


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="Delete the fictional partnerships and build them again."
        )
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, reset=False, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real installation, so no demo accounts were created. "
                "Use --force if you really want the fictional demo here."
            )
        started = time.perf_counter()
        password = demo_password()
        result = load_demo(password=password, reset=reset)
        elapsed = time.perf_counter() - started
        if options["verbosity"] < 1:
            return
        for slug in result.created:
            self.stdout.write(self.style.SUCCESS(f"Created the fictional partnership '{slug}'."))
        for slug in result.kept:
            self.stdout.write(f"Kept the fictional partnership '{slug}' (already there; use --reset to rebuild).")
        self.stdout.write("")
        self.stdout.write("Demo accounts (fictional people):")
        rows = [("Username", "Role", "Password")]
        for username, roles, created in result.accounts:
            shown = password if created or reset else f"{password} (if not changed since: the account already existed)"
            rows.append((username, roles, shown))
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        for username, roles, shown in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {roles:<{widths[1]}}  {shown}")
        port = os.environ.get("PORT", "8000")
        self.stdout.write("")
        self.stdout.write(f"Sign in at http://127.0.0.1:{port}  ({elapsed:.1f} s)")
