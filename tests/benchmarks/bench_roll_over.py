#!/usr/bin/env python
"""Time the year-end roll-over (``plans.cycle.plan_roll_over``) at several plan sizes.

    make bench-roll-over      (or: .venv/bin/python tests/benchmarks/bench_roll_over.py [--sqlite])

For each size (--sizes, default 50 200 500 open actions) it builds one fictional
partnership whose 2025-2026 plan has five priorities of ten issues and that many open
actions, each owned by a team and an organisation, with two milestones and a measure of
its priority; and a 2026-2027 plan made from the assessment, with the first three
priorities and half their issues under the same titles (the rest are made by the
roll-over). Then it carries every open action in one call, as the confirm button does,
and prints the wall time and the number of SQL queries. ``ROLL_OVER_DIRECT_MAX_ACTIONS``
was chosen from these figures (docs/performance.md, "Roll-over"). It asserts nothing.

The database is PostgreSQL ``csp_rollover_bench`` (BENCH_POSTGRES, dropped first and at
the end), or with --sqlite a temporary SQLite file.
"""

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "csp_rollover_bench"


def recreate_database(drop_only=False):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def build(size, run):
    """The plans of one fictional partnership (the ``run``-th): ``size`` open actions to carry."""
    import datetime

    from actions.models import Action, Milestone, PerformanceMeasure, Rag
    from partners.models import Organisation, Partnership, Team
    from plans.models import ActionPlan, Issue, Priority

    slug = f"rollshire-{run}"
    partnership = Partnership.objects.create(
        name=f"Rollshire {run} Community Safety Partnership", short_name=f"Rollshire {run}", slug=slug
    )
    partnership.is_fictional = True
    partnership.save()
    council = Organisation.objects.create(name=f"Rollshire {run} Borough Council")
    teams = [Team.objects.create(organisation=council, partnership=partnership, name=f"Team {n}") for n in range(4)]
    plan = ActionPlan.objects.create(partnership=partnership, slug=f"{slug}-2025", start_year=2025, end_year=2026)
    target = ActionPlan.objects.create(partnership=partnership, slug=f"{slug}-2026", start_year=2026, end_year=2027)
    priorities = Priority.objects.bulk_create(
        Priority(plan=plan, number=n + 1, title=f"Priority {n + 1}: reduce harm") for n in range(5)
    )
    issues = Issue.objects.bulk_create(
        Issue(priority=priorities[n // 10], title=f"Issue {n + 1}: a shared problem", order=n % 10) for n in range(50)
    )
    measures = PerformanceMeasure.objects.bulk_create(
        PerformanceMeasure(priority=p, name=f"Measure of priority {p.number}") for p in priorities
    )
    # Next year's plan: three of the priorities again, half their issues, and their measures.
    kept = Priority.objects.bulk_create(
        Priority(plan=target, number=n + 1, title=f"Priority {n + 1}: reduce harm") for n in range(3)
    )
    Issue.objects.bulk_create(
        Issue(priority=kept[n // 5], title=f"Issue {(n // 5) * 10 + n % 5 + 1}: a shared problem", order=n % 5)
        for n in range(15)
    )
    PerformanceMeasure.objects.bulk_create(
        PerformanceMeasure(priority=p, name=f"Measure of priority {p.number}") for p in kept
    )
    rags = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.NOT_RATED]
    actions = Action.objects.bulk_create(
        Action(
            issue=issues[n * 50 // size],
            text=f"Action {n + 1}: arrange events and workshops with partners across the borough",
            order=n,
            rag=rags[n % 4],
            reference=f"R{run}-{n:05d}",
            target_date=datetime.date(2026, 3, 31),
        )
        for n in range(size)
    )
    Action.owner_teams.through.objects.bulk_create(
        Action.owner_teams.through(action_id=a.pk, team_id=teams[i % 4].pk) for i, a in enumerate(actions)
    )
    Action.owner_organisations.through.objects.bulk_create(
        Action.owner_organisations.through(action_id=a.pk, organisation_id=council.pk) for a in actions
    )
    measure_of_issue = {issue.pk: measures[issue.priority.number - 1].pk for issue in issues}
    Action.measures.through.objects.bulk_create(
        Action.measures.through(action_id=a.pk, performancemeasure_id=measure_of_issue[a.issue_id]) for a in actions
    )
    Milestone.objects.bulk_create(
        Milestone(action=a, text=f"Step {m + 1}", due_date=datetime.date(2025, 6 + 3 * m, 1), order=m)
        for a in actions
        for m in range(2)
    )
    return plan, target, actions


def roll_over(plan, target, actions):
    """Carry every action in one call, timed, with its queries counted."""
    from django.db import connection

    from plans import cycle

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        started = time.perf_counter()
        result = cycle.plan_roll_over(plan=plan, target=target, actions=actions, mapping={}, archive=False)
        seconds = time.perf_counter() - started
    return seconds, queries, len(result.carried)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 200, 500], help="repeat a size to time it again")
    parser.add_argument("--sqlite", action="store_true", help="a temporary SQLite file instead of PostgreSQL")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="bench-roll-over-")
    if args.sqlite:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    else:
        recreate_database()
        os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
    os.environ.setdefault("LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    try:
        call_command("migrate", verbosity=0)
        machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
        print(f"Roll-over of every open action ({connection.vendor}; {machine}; load {os.getloadavg()[0]:.1f})")
        print(f"{'actions':>8} {'seconds':>8} {'queries':>8} {'ms/action':>10}")
        for run, size in enumerate(args.sizes):
            plan, target, actions = build(size, run)
            seconds, queries, carried = roll_over(plan, target, actions)
            print(f"{carried:>8} {seconds:>8.2f} {queries:>8} {seconds * 1000 / carried:>10.1f}")
    finally:
        connection.close()
        if not args.sqlite:
            recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
