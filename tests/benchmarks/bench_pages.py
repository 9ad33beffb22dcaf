#!/usr/bin/env python
"""Server time of the busiest pages on a large generated data set, against a floor.

    make bench-pages            (or: .venv/bin/python tests/benchmarks/bench_pages.py)

Creates the PostgreSQL database ``csp_bench`` (dropped first, and again at the end
unless --keep), migrates it, runs ``generate_demo_data`` for 10 partnerships x 200
actions x 20 updates, then times each page with the Django test client (server
side only: no network, no browser). The floor for each page is a bare view that
renders, inside the same base template, a table of as many rows as the page shows,
straight from one query; a page and its floor are timed in turn, so both see the
same moments of the machine's load. Prints median and 95th percentile, and the ratio
to the floor. It prints figures; it asserts nothing. Options: --runs N, --keep,
--reuse, --only LABEL (repeatable).

Scale (``make bench-scale``): ``--size national`` generates 300 partnerships x 100 actions
x 40 updates (1.2 million updates) into ``csp_bench`` instead (``--size small`` is the
default 10 x 200 x 20, in ``csp_bench_small`` when ``--database`` says so), ``--json FILE``
writes each page's figures to FILE, and ``--compare SMALL.json NATIONAL.json`` prints each
page's median and queries at both sizes with the ratio, against the target of 1.5.
"""

import argparse
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DB_NAME = os.environ.get("BENCH_DATABASE", "csp_bench")
for _i, _arg in enumerate(sys.argv):  # the database must be known before Django is set up
    if _arg.startswith("--database="):
        DB_NAME = _arg.split("=", 1)[1]
    elif _arg == "--database" and _i + 1 < len(sys.argv):
        DB_NAME = sys.argv[_i + 1]
os.environ["DATABASE_URL"] = f"{SERVER}/{DB_NAME}"
SIZES = {"small": (10, 200, 20), "national": (300, 100, 40)}
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
# Password sign-in alone (production asks chairs and admins for a second factor), so the
# pages are timed and not the two-factor set-up, as in ``heavy_settings.py``.
os.environ.setdefault("TWO_FACTOR_REQUIRED", "0")


def recreate_database(drop_only=False):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


FLOOR_TEMPLATE = """{% extends "base.html" %}{% block content %}<h1 class="govuk-heading-xl">Floor</h1>
<table class="govuk-table"><tbody class="govuk-table__body">{% for a in rows %}<tr class="govuk-table__row">
<td class="govuk-table__cell">{{ a.issue.priority.number }}</td><td class="govuk-table__cell">{{ a.text }}</td>
<td class="govuk-table__cell">{{ a.target_date|date:"j M Y" }}</td>
<td class="govuk-table__cell">{% include "includes/rag_tag.html" with rag=a.rag %}</td></tr>{% endfor %}
</tbody></table>{% endblock %}"""


def install_floor_view():
    from django.conf import settings
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render  # noqa: F401 - the floor renders like any view
    from django.template import engines
    from django.urls import clear_url_caches, path

    from actions.models import Action
    from csp import urls as site_urls

    template = engines["django"].from_string(FLOOR_TEMPLATE)

    @login_required
    def floor(request, n):
        rows = list(Action.objects.select_related("issue__priority").order_by("id")[:n])
        from django.http import HttpResponse

        return HttpResponse(template.render({"rows": rows, "page_title": "Floor"}, request))

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [*site_urls.urlpatterns, path("bench-floor/<int:n>/", floor)]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"
    clear_url_caches()


def _get(client, url):
    started = time.perf_counter()
    response = client.get(url, secure=True)
    elapsed = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    return elapsed


def _summary(samples):
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


def page_once(client, url):
    """(queries, HTML) of one request, for the row count and the query count."""
    from django.db import connection, reset_queries

    connection.force_debug_cursor = True
    reset_queries()
    response = client.get(url, secure=True)
    queries = len(connection.queries)
    connection.force_debug_cursor = False
    return queries, response.content.decode()


def timed_pair(client, url, floor_url, runs):
    """Median and p95 of the page and of its floor, timed in turn (page, floor, page, ...)
    so that both see the same moments of a shared machine's load."""
    for _ in range(3):
        _get(client, url)
        _get(client, floor_url)
    page, floor = [], []
    for _ in range(runs):
        page.append(_get(client, url))
        floor.append(_get(client, floor_url))
    return _summary(page), _summary(floor)


def rows_on(html):
    """Rows the page shows: table rows and list items in the main content."""
    main = html.split('id="main-content"', 1)[-1].split("</main>", 1)[0]
    return max(main.count('class="govuk-table__row"') + main.count("<li"), 1)


def compare(small_path, national_path):
    """Each page's median and queries at both sizes, and the ratio against the 1.5 target."""
    import json

    small, national = (json.loads(Path(path).read_text()) for path in (small_path, national_path))
    print(
        f"{'page':<14} {'rows':>9} {'queries':>9} {'median ms':>17} {'ratio':>6} {'vs floor':>8}"
        "  within 1.5x, same queries"
    )
    for label, big in national["pages"].items():
        little = small["pages"].get(label)
        if not little:
            continue
        ratio = big["median"] / little["median"]
        # The same ratio with each median over its own floor: the two runs may see a shared
        # machine under different loads, which the floors (timed in turn with them) carry too.
        against_floor = (big["median"] / big["floor"]) / (little["median"] / little["floor"])
        ok = "yes" if ratio <= 1.5 and big["queries"] == little["queries"] else "NO"
        print(
            f"{label:<14} {little['rows']:>4}/{big['rows']:<4} {little['queries']:>4}/{big['queries']:<4}"
            f" {little['median']:>8.1f}/{big['median']:<8.1f} {ratio:>6.2f} {against_floor:>8.2f}  {ok}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="Keep the database afterwards.")
    parser.add_argument("--reuse", action="store_true", help="Reuse an existing database.")
    parser.add_argument("--only", action="append", help="Time only this page (its label; may be repeated).")
    parser.add_argument("--size", choices=sorted(SIZES), default="small", help="Data set generated (default small).")
    parser.add_argument("--database", default=DB_NAME, help="PostgreSQL database name (default csp_bench).")
    parser.add_argument("--json", help="Also write the figures to this file.")
    parser.add_argument("--compare", nargs=2, metavar=("SMALL", "NATIONAL"), help="Compare two --json files.")
    args = parser.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    if not args.reuse:
        recreate_database()
    import django

    django.setup()
    from django.conf import settings

    # Production settings, except the hashed-static manifest (no collectstatic here).
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from partners.models import User
    from plans.models import ActionPlan

    generated_in = None
    if not args.reuse:
        call_command("migrate", verbosity=0)
        partnerships, actions, updates = SIZES[args.size]
        started = time.perf_counter()
        call_command(
            "generate_demo_data", partnerships=partnerships, actions_per_plan=actions, updates_per_action=updates
        )
        generated_in = time.perf_counter() - started
        print(f"Generated the data in {generated_in:.1f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            # Planner statistics for the new rows, as autovacuum would soon gather on a live
            # database; without them the first minutes after a bulk load plan blind.
            cursor.execute("ANALYZE")
    install_floor_view()
    plan = ActionPlan.objects.filter(slug__startswith="generated-001").get()
    chair = User.objects.get(username="generated-001-chair")
    officer = User.objects.get(username="generated-001-officer1")
    county = User.objects.filter(username__startswith="generated-county").first()

    pages = [("My actions", "actions:mine", [], officer, ""), ("Plan page", "plans:detail", [plan.slug], chair, "")]
    pages += [
        ("Dashboard", "plans:dashboard", [plan.slug], chair, ""),
        ("County view", "plans:county", [], county, ""),
        ("County page 2", "plans:county", [], county, "?page=2"),
        ("Search", "actions:search", [], county, "?q=Bramblefield"),
        ("Search broad", "actions:search", [], county, "?q=referrals"),
        ("Search chair", "actions:search", [], chair, "?q=Bramblefield"),
        ("Search officer", "actions:search", [], officer, "?q=referrals"),
    ]
    results = {}
    print(f"\n{'page':<14} {'rows':>5} {'queries':>7} {'median ms':>10} {'p95 ms':>8} {'floor ms':>9} {'ratio':>6}")
    for label, name, url_args, user, query in pages:
        if args.only and label not in args.only:
            continue
        try:
            url = reverse(name, args=url_args)
        except NoReverseMatch:
            print(f"{label:<14} skipped: no URL named {name} on this branch")
            continue
        url += query
        client = Client()
        client.force_login(user)
        queries, html = page_once(client, url)
        rows = rows_on(html)
        (median, p95), (floor_median, _) = timed_pair(client, url, f"/bench-floor/{rows}/", args.runs)
        results[label] = {"rows": rows, "queries": queries, "median": median, "p95": p95, "floor": floor_median}
        print(
            f"{label:<14} {rows:>5} {queries:>7} {median:>10.1f} {p95:>8.1f} {floor_median:>9.1f}"
            f" {median / floor_median:>6.1f}"
        )
    if args.json:
        import json

        sizes = dict(zip(("partnerships", "actions_per_plan", "updates_per_action"), SIZES[args.size], strict=True))
        record = {"size": args.size, **sizes, "generated_seconds": generated_in, "pages": results}
        Path(args.json).write_text(json.dumps(record, indent=1))
    if not args.keep:
        from django.db import connections

        connections.close_all()
        recreate_database(drop_only=True)


if __name__ == "__main__":
    main()
