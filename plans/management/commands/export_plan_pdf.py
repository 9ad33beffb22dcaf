"""Write a plan's PDF to a file: export_plan_pdf hertsmere-2019-2020 --output plan.pdf

Prints the number of pages, the seconds taken and the size. OFFICIAL-SENSITIVE updates
are left out unless --include-sensitive is given.
"""

import datetime
import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from partners.models import User
from plans.models import ActionPlan
from plans.pdf.data import plan_queryset
from plans.pdf.options import PdfOptions, parse_owner
from plans.pdf.render import render_plan


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from error


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("plan", help="The plan's slug, e.g. hertsmere-2019-2020")
        parser.add_argument("--output", "-o", required=True, help="The PDF file to write")
        parser.add_argument("--since", type=iso_date, help="Only updates since this date (YYYY-MM-DD)")
        parser.add_argument(
            "--meeting-mode", action="store_true", help="Show every update, mark what changed since --since"
        )
        parser.add_argument("--include-sensitive", action="store_true", help="Include OFFICIAL-SENSITIVE updates")
        parser.add_argument("--priority", type=int, help="Only this priority (its number)")
        parser.add_argument("--owner", default="", help="Only actions of this owner: team-<id>, org-<id> or group-<id>")
        parser.add_argument("--open-only", action="store_true", help="Leave out completed and discharged actions")
        parser.add_argument("--show-milestones", action="store_true", help="Print each action's milestones under it")
        # Used by the web app when it renders in a child process.
        parser.add_argument("--options-json", help="All options as JSON (overrides the flags)")
        parser.add_argument("--as-user", type=int, help="Render as this user id (what they may see)")
        parser.add_argument("--summary-json", help="Also write pages, marking and counts here as JSON")

    def handle(self, *args, **opts):
        try:
            plan = plan_queryset().get(slug=opts["plan"])
        except ActionPlan.DoesNotExist:
            raise CommandError(f"No plan with the slug {opts['plan']!r}.") from None
        if opts["options_json"]:
            options = PdfOptions.from_dict(json.loads(opts["options_json"]))
        else:
            if opts["owner"]:
                try:
                    parse_owner(opts["owner"])
                except ValueError as error:
                    raise CommandError(str(error)) from None
            if opts["meeting_mode"] and not opts["since"]:
                raise CommandError("--meeting-mode needs --since (the date of the last meeting).")
            options = PdfOptions(
                since=opts["since"],
                meeting_mode=opts["meeting_mode"],
                include_sensitive=opts["include_sensitive"],
                priority=opts["priority"],
                owner=opts["owner"],
                include_closed=not opts["open_only"],
                show_milestones=opts["show_milestones"],
            )
        if options.priority and not plan.priorities.filter(number=options.priority).exists():
            raise CommandError(f"The plan has no priority {options.priority}.")
        user = User.objects.get(pk=opts["as_user"]) if opts["as_user"] else None

        started = time.perf_counter()
        result = render_plan(plan, options, user=user)
        Path(opts["output"]).write_bytes(result.pdf)
        seconds = time.perf_counter() - started
        if opts["summary_json"]:
            Path(opts["summary_json"]).write_text(
                json.dumps(
                    {"pages": result.pages, "marking": result.marking, "restricted_count": result.restricted_count}
                )
            )
        self.stdout.write(
            f"Wrote {opts['output']}: {result.pages} pages in {seconds:.2f} s, {result.size / 1024:.0f} KiB"
            f" ({result.size} bytes), marked {result.marking}"
            + (
                f", {result.restricted_count} restricted update{'s' if result.restricted_count != 1 else ''} not shown"
                if result.restricted_count
                else ""
            )
        )
