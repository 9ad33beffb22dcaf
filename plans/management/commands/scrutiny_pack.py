"""Write a plan year's scrutiny pack to a file:
scrutiny_pack hertsmere hertsmere-2019-2020 --output scrutiny.pdf

The pack the council's crime and disorder scrutiny committee receives: the plan summary (RAG
by priority and over time), measures against targets, reviews and duties. It is OFFICIAL:
no OFFICIAL-SENSITIVE text is ever printed. Prints the number of pages, the seconds taken
and the size.
"""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans.models import ActionPlan
from plans.pdf.scrutiny import ScrutinyOptions, render_scrutiny, scrutiny_plan_queryset

from .export_plan_pdf import iso_date


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="The partnership's slug, e.g. hertsmere")
        parser.add_argument("plan", help="The plan's slug, e.g. hertsmere-2019-2020")
        parser.add_argument("--output", "-o", required=True, help="The PDF file to write")
        parser.add_argument("--committee-title", default="", help="The committee the pack is for")
        parser.add_argument("--committee-date", type=iso_date, help="The date the committee meets (YYYY-MM-DD)")
        # Used by the task worker when it renders in a child process.
        parser.add_argument("--options-json", help="All options as JSON (overrides the flags)")
        parser.add_argument("--summary-json", help="Also write pages and marking here as JSON")

    def handle(self, *args, **opts):
        try:
            plan = scrutiny_plan_queryset().get(slug=opts["plan"], partnership__slug=opts["partnership"])
        except ActionPlan.DoesNotExist:
            raise CommandError(
                f"The partnership {opts['partnership']!r} has no plan with the slug {opts['plan']!r}."
            ) from None
        if opts["options_json"]:
            options = ScrutinyOptions.from_dict(json.loads(opts["options_json"]))
        else:
            options = ScrutinyOptions(committee_title=opts["committee_title"], committee_date=opts["committee_date"])
        started = time.perf_counter()
        result = render_scrutiny(plan, options)
        Path(opts["output"]).write_bytes(result.pdf)
        seconds = time.perf_counter() - started
        if opts["summary_json"]:
            Path(opts["summary_json"]).write_text(json.dumps({"pages": result.pages, "marking": result.marking}))
        self.stdout.write(
            f"Wrote {opts['output']}: {result.pages} pages in {seconds:.2f} s, {result.size / 1024:.0f} KiB"
            f" ({result.size} bytes), marked {result.marking}"
        )
