#!/usr/bin/env python
"""How much a direct PDF (rendered in the web worker) grows the worker's memory, to set
PDF_DIRECT_MAX_MEMORY_MB: python tests/benchmarks/bench_direct_memory.py

Builds the generated plan of ``bench_pdf.py`` at the direct budget's edge (150 actions x 2
updates: 300 updates, the most PDF_DIRECT_MAX_UPDATES allows) in a throwaway SQLite
database, then in a fresh process (as a new gunicorn worker would be) renders it --renders
times the way ``render_direct`` does, under a ``RenderGuard`` with no limits, and prints
what the guard saw: seconds, and the growth of resident memory above the start of each
render (the guard's samples and the process's peak). The first render is the cold one (fonts
and WeasyPrint's caches are loaded then). Asserts nothing.
Options: --actions N (150), --updates N (2), --renders N (3).
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench_pdf import GENERATED_SLUG, ROOT, build_generated_plan, setup_django

MB = 1024 * 1024


def render_in_this_process(slug, renders):
    from partners.pdf import RenderGuard, resident_bytes
    from plans.pdf.data import estimate_work, load_plan_data, plan_queryset
    from plans.pdf.options import PdfOptions
    from plans.pdf.render import render_data

    plan = plan_queryset().get(slug=slug)
    work = estimate_work(plan, PdfOptions())
    rows = []
    for _ in range(renders):
        started = time.perf_counter()
        data = load_plan_data(plan, PdfOptions())
        with RenderGuard(seconds=float("inf"), megabytes=float("inf")) as guard:
            result = render_data(data, started=started, parallel=False)
        rows.append(
            {
                "seconds": guard.elapsed,
                "growth_mb": guard.growth / MB,
                "rss_mb": resident_bytes() / MB,
                "pages": result.pages,
            }
        )
    print(json.dumps({"actions": work.actions, "updates": work.updates, "characters": work.characters, "rows": rows}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=150)
    parser.add_argument("--updates", type=int, default=2)
    parser.add_argument("--renders", type=int, default=3)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        setup_django(os.environ["DATABASE_URL"])
        render_in_this_process(GENERATED_SLUG, args.renders)
        return
    with tempfile.TemporaryDirectory(prefix="bench-direct-") as tmp:
        database_url = f"sqlite:///{tmp}/bench.sqlite3"
        setup_django(database_url)
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        build_generated_plan(args.actions, args.updates)
        completed = subprocess.run(  # noqa: S603 - this script, with our own arguments
            [sys.executable, __file__, "--one", "--renders", str(args.renders)],
            env={**os.environ, "DATABASE_URL": database_url, "LOG_LEVEL": "ERROR"},
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
    if completed.returncode != 0:
        raise SystemExit(completed.stderr)
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    print(
        f"{figures['actions']} actions, {figures['updates']} updates, {figures['characters']:,} characters,"
        " rendered in one fresh process:"
    )
    print(f"{'render':<8} {'seconds':>8} {'pages':>6} {'growth MB':>10} {'RSS after MB':>13}")
    for number, row in enumerate(figures["rows"], start=1):
        label = f"{number} (cold)" if number == 1 else str(number)
        print(
            f"{label:<8} {row['seconds']:>8.2f} {row['pages']:>6} {row['growth_mb']:>10.0f} {row['rss_mb']:>13.0f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
