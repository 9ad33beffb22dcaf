"""Benchmark the plan PDF: python tests/benchmarks/bench_pdf.py (or `make bench-pdf`).

Renders the Hertsmere 2019-2020 plan (when `load_seed` is available) and a generated
plan of 500 actions with 10 updates each, and for each the "floor": a bare WeasyPrint
render of the same rows as a plain HTML table with no app code. Each render runs in its
own child process so its peak memory (max RSS) is its own; "worker MB" is the largest
worker process of a parallel render (PDF_PARALLEL_MIN_ACTIONS), two of which run at once.
Prints a table; asserts nothing.

Uses a throwaway SQLite database in a temporary folder unless BENCH_DATABASE_URL is set.
Options: --actions N (default 500), --updates N (default 10), --skip-floor.
"""

import argparse
import datetime
import html
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")

GENERATED_SLUG = "benchshire-2025-2026"
WORDS = [
    "Partners",
    "met",
    "at",
    "the",
    "community",
    "centre",
    "to",
    "review",
    "the",
    "youth",
    "engagement",
    "programme",
    "and",
    "agreed",
    "next",
    "steps",
    "for",
    "schools,",
    "housing",
    "officers",
    "and",
    "the",
    "safer",
    "neighbourhood",
    "team,",
    "with",
    "referrals",
    "up",
    "on",
    "the",
    "last",
    "quarter",
    "and",
    "two",
    "new",
    "venues",
    "booked",
    "for",
    "the",
    "spring",
    "sessions",
]


def setup_django(database_url):
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()


def build_generated_plan(actions, updates):
    """A fictional plan: 5 priorities, 10 issues each, ``actions`` actions, ``updates`` notes each."""
    from actions.models import Action, ActionUpdate, Rag
    from partners.models import Organisation, Partnership, Team
    from plans.models import ActionPlan, Issue, Priority

    partnership = Partnership.objects.create(
        name="Benchshire Community Safety Partnership", short_name="Benchshire", slug="benchshire", is_fictional=True
    )
    organisation = Organisation.objects.create(name="Benchshire Borough Council")
    teams = [
        Team.objects.create(organisation=organisation, partnership=partnership, name=f"Team {n}") for n in range(5)
    ]
    plan = ActionPlan.objects.create(partnership=partnership, slug=GENERATED_SLUG, start_year=2025, end_year=2026)
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, number=n + 1, title=f"Priority {n + 1}: reduce harm from crime and anti-social behaviour")
        for n in range(5)
    )
    issues = Issue.objects.bulk_create(
        Issue(
            priority=priorities[n // 10],
            title=f"Issue {n + 1}: a problem the partnership is tackling together",
            order=n,
        )
        for n in range(50)
    )
    rags = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE, Rag.NOT_RATED]
    rows = Action.objects.bulk_create(
        Action(
            issue=issues[n * len(issues) // actions],
            text=f"Action {n + 1}: arrange events and workshops with partners across the borough",
            order=n,
            rag=rags[n % 5],
            reference=f"B-{n:06d}",
        )
        for n in range(actions)
    )
    Action.owner_teams.through.objects.bulk_create(
        Action.owner_teams.through(action_id=a.pk, team_id=teams[i % 5].pk) for i, a in enumerate(rows)
    )
    start = datetime.date(2025, 4, 1)
    notes = []
    for i, action in enumerate(rows):
        for u in range(updates):
            day = start + datetime.timedelta(days=u * 30 + i % 20)
            text = " ".join(WORDS[(i + u) % 10 :] + WORDS[: (i + u) % 10])
            notes.append(
                ActionUpdate(action=action, date=day, written_on=day, text=text, rag=rags[(i + u) % 4], order=u)
            )
    ActionUpdate.objects.bulk_create(notes, batch_size=2000)
    return plan


def floor_html(plan_slug):
    """The same rows as a plain HTML table, with no app code (queries are not timed)."""
    from actions.models import Action, ActionUpdate

    actions = list(
        Action.objects.filter(issue__priority__plan__slug=plan_slug)
        .order_by("issue__priority__number", "issue__order", "issue_id", "order", "id")
        .values_list("id", "issue__title", "text", "owner_label", "rag")
    )
    notes = {}
    for action_id, date, text in (
        ActionUpdate.objects.filter(action_id__in=[a[0] for a in actions], is_deleted=False)
        .order_by("date", "order", "id")
        .values_list("action_id", "date", "text")
    ):
        notes.setdefault(action_id, []).append(f"{date:%d/%m/%Y} {html.escape(text)}")
    rows = "".join(
        f"<tr><td>{html.escape(issue)}</td><td>{html.escape(text)}</td><td>{html.escape(owner)}</td>"
        f"<td>{'<br>'.join(notes.get(pk, []))}</td><td>{rag}</td></tr>"
        for pk, issue, text, owner, rag in actions
    )
    return (
        "<html><head><style>@page { size: A4 landscape } table { border-collapse: collapse; width: 100% }"
        " td, th { border: 1px solid black; vertical-align: top; font-size: 9pt }</style></head><body><table>"
        "<thead><tr><th>Issue</th><th>Action</th><th>Owner</th><th>Update</th><th>RAG Rating</th></tr></thead>"
        f"<tbody>{rows}</tbody></table></body></html>"
    )


def cpu_seconds():
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_one(slug, mode):
    """In a child process: one render, printed as JSON with this process's peak memory."""
    from weasyprint import HTML

    if mode == "app":
        from plans.pdf.data import plan_queryset
        from plans.pdf.options import PdfOptions
        from plans.pdf.render import render_plan

        plan = plan_queryset().get(slug=slug)
        started, cpu_started = time.perf_counter(), cpu_seconds()
        result = render_plan(plan, PdfOptions())
        seconds = time.perf_counter() - started
        pages, size = result.pages, result.size
    else:
        source = floor_html(slug)
        started, cpu_started = time.perf_counter(), cpu_seconds()
        document = HTML(string=source).render()
        pdf = document.write_pdf()
        seconds = time.perf_counter() - started
        pages, size = len(document.pages), len(pdf)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # Parallel renders: the largest worker process (two run at once on two cores).
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    cpu = cpu_seconds() - cpu_started
    print(
        json.dumps(
            {"seconds": seconds, "cpu": cpu, "pages": pages, "bytes": size, "peak_mb": peak_mb, "worker_mb": worker_mb}
        )
    )


def measure(slug, mode, database_url):
    completed = subprocess.run(  # noqa: S603 - this script, with our own arguments
        [sys.executable, __file__, "--one", slug, mode],
        env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=500)
    parser.add_argument("--updates", type=int, default=10)
    parser.add_argument("--skip-floor", action="store_true")
    parser.add_argument("--one", nargs=2, metavar=("SLUG", "MODE"), help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.one:
        setup_django(os.environ["DATABASE_URL"])
        run_one(*args.one)
        return

    tmp = tempfile.mkdtemp(prefix="bench-pdf-")
    database_url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3"
    setup_django(database_url)
    from django.core.management import call_command, get_commands

    call_command("migrate", verbosity=0)
    cases = []
    if "load_seed" in get_commands():
        call_command("load_seed", verbosity=0)
        cases.append(("Hertsmere 2019-2020", "hertsmere-2019-2020"))
    else:
        print("load_seed is not available: the Hertsmere plan is skipped.")
    from plans.models import ActionPlan

    ActionPlan.objects.filter(slug=GENERATED_SLUG).exists() or build_generated_plan(args.actions, args.updates)
    cases.append((f"Generated: {args.actions} actions x {args.updates} updates", GENERATED_SLUG))

    print(
        f"{'plan':<40} {'render':<6} {'seconds':>8} {'CPU s':>7} {'pages':>6} {'bytes':>10}"
        f" {'peak MB':>8} {'worker MB':>9} {'ratio':>6}"
    )
    for label, slug in cases:
        app = measure(slug, "app", database_url)
        floor = None if args.skip_floor else measure(slug, "floor", database_url)
        for name, figures in (("app", app), ("floor", floor)):
            if figures is None:
                continue
            ratio = f"{app['seconds'] / floor['seconds']:.2f}" if floor and name == "app" else ""
            worker = f"{figures['worker_mb']:.0f}" if name == "app" and figures["worker_mb"] > 100 else "-"
            print(
                f"{label:<40} {name:<6} {figures['seconds']:>8.2f} {figures['cpu']:>7.2f} {figures['pages']:>6}"
                f" {figures['bytes']:>10}"
                f" {figures['peak_mb']:>8.0f} {worker:>9} {ratio:>6}",
                flush=True,
            )


if __name__ == "__main__":
    main()
