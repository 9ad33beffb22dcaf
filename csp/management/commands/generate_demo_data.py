"""Generate large fictional data sets quickly, for benchmarks and load tests.

    python manage.py generate_demo_data --partnerships 10 --actions-per-plan 200 --updates-per-action 20

Each partnership is clearly fictional ("Generated CSP 001", is_fictional) with a
council and a police force, four teams, an admin, a chair and four officers, and
one current plan of five priorities. Updates are spread over the last year with a
wandering RAG rating; each records the rating it changed from, the action carries
the latest, and history rows are written in bulk as the app would write them
(a "+" row for each new action and update, a "~" row for each rating change).
One user, ``generated-county``, chairs every generated partnership (the county view).
Rows are inserted with ``bulk_create`` in batches; on PostgreSQL the updates and their
history rows go in with ``COPY`` (psycopg's ``cursor.copy``), a few plans at a time, and for
a large load (``--updates`` beyond 200,000 in all) the secondary indexes of those tables are
dropped first and built again at the end, which is much faster than keeping them up to date
row by row (run it on a database nobody is using). Accounts get no usable password unless
``--password`` is given.

A national-size installation::

    python manage.py generate_demo_data --partnerships 300 --actions-per-plan 100 --updates-per-action 40
"""

import contextlib
import datetime
import random
import time
import uuid

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import Action, ActionUpdate, Marking, Rag, Status, rating_history
from partners.models import Membership, Organisation, Partnership, Role, Team, User
from plans.models import ActionPlan, Issue, Priority

BATCH = 2000
PLANS_PER_CHUNK = 10  # plans built, inserted and forgotten at a time (bounded memory)
REBUILD_INDEXES_FROM = 200_000  # updates in one run from which indexes are dropped and rebuilt
TEAM_NAMES = [("council", "Community Safety Team"), ("police", "Safer Neighbourhood Team"),
              ("council", "Housing Team"), ("council", "Youth Service")]  # fmt: skip
PRIORITIES = [
    "Reduce anti-social behaviour",
    "Tackle serious violence and knife crime",
    "Protect people from domestic abuse",
    "Reduce drug and alcohol related harm",
    "Improve feelings of safety in town centres",
]
VERBS = ["Deliver", "Review", "Run", "Coordinate", "Publish", "Fund", "Map", "Train staff on"]
SUBJECTS = ["school workshops on knife crime", "weekend patrols in hotspots", "a youth diversion panel",
            "the community trigger process", "referrals to support services", "CCTV coverage near the station",
            "awareness sessions on county lines", "door-to-door crime prevention visits"]  # fmt: skip
NOTES = ["Met with partners; referrals rising", "Sessions delivered in three schools", "Patrol plan agreed with SNT",
         "Funding bid submitted", "Waiting for data from the analyst", "Feedback from residents positive",
         "Delay while the post is vacant", "Figures show a fall in reported incidents"]  # fmt: skip
# Fictional ward names: a search for one finds a few per cent of the notes, as a place name would.
WARDS = [f"{first}{second}" for first in ("Ash", "Bramble", "Cole", "Dun", "Elm", "Fern", "Gorse", "Holly")
         for second in ("field", "ford", "brook", "hill", "wick")]  # fmt: skip
NEXT_RAG = {
    Rag.NOT_RATED: [Rag.GREEN, Rag.AMBER],
    Rag.GREEN: [Rag.GREEN, Rag.GREEN, Rag.AMBER],
    Rag.AMBER: [Rag.AMBER, Rag.GREEN, Rag.RED],
    Rag.RED: [Rag.RED, Rag.AMBER],
    Rag.BLUE: [Rag.BLUE],
}


_HISTORY_CLASSES = {}


def _bulk(model, objs):
    """Insert in bulk, with the "+" history rows when the model keeps history."""
    objs = list(objs)
    if hasattr(model, "history"):
        return bulk_create_with_history(objs, model, batch_size=BATCH, default_date=timezone.now())
    return model.objects.bulk_create(objs, batch_size=BATCH)


def _history_class(model):
    """(historical model, the model's field names it tracks)."""
    if model not in _HISTORY_CLASSES:
        historical = model.history.model
        tracked = {f.attname for f in historical._meta.concrete_fields}
        _HISTORY_CLASSES[model] = (historical, [f.attname for f in model._meta.concrete_fields if f.attname in tracked])
    return _HISTORY_CLASSES[model]


def _history(model, obj, *, history_type, when):
    """A simple_history row for ``obj`` as it is now, as ``HistoricalRecords`` would write it."""
    historical, names = _history_class(model)
    values = {name: getattr(obj, name) for name in names}
    return historical(**values, history_date=when, history_type=history_type, history_change_reason=None)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument("--partnerships", type=int, default=2)
        parser.add_argument("--actions-per-plan", type=int, default=50)
        parser.add_argument("--updates-per-action", type=int, default=5)
        parser.add_argument("--seed", type=int, default=2025, help="Random seed, for repeatable data.")
        parser.add_argument("--password", default="", help="Give every generated account this password.")

    def handle(self, *args, **options):
        if options["partnerships"] < 1 or options["actions_per_plan"] < 0 or options["updates_per_action"] < 0:
            raise CommandError("Give at least one partnership and no negative counts.")
        self.random = random.Random(options["seed"])
        self.password = make_password(options["password"] or None)
        started = time.perf_counter()
        with transaction.atomic():
            counts = self.generate(options["partnerships"], options["actions_per_plan"], options["updates_per_action"])
        if connection.vendor == "postgresql":
            # Fresh statistics, as autovacuum would gather soon, so the planner sees the real sizes.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"Generated {counts['partnerships']} partnerships, {counts['actions']} actions and "
            f"{counts['updates']} updates in {time.perf_counter() - started:.1f} s."
        )

    def generate(self, n_partnerships, n_actions, n_updates):
        today = timezone.localdate()
        first_number = Partnership.objects.filter(slug__startswith="generated-").count() + 1
        numbers = range(first_number, first_number + n_partnerships)
        partnerships = _bulk(
            Partnership,
            [
                Partnership(
                    name=f"Generated CSP {n:03d}",
                    short_name=f"Generated {n:03d}",
                    slug=f"generated-{n:03d}",
                    area="Fictional district",
                    is_fictional=True,
                )
                for n in numbers
            ],
        )
        organisations = _bulk(
            Organisation,
            [
                Organisation(name=f"Generated {kind} {n:03d}", sector=sector)
                for n in numbers
                for kind, sector in (("Borough Council", "local_authority"), ("Constabulary", "police"))
            ],
        )
        _bulk(
            Membership,
            [
                Membership(partnership=p, organisation=o, type=Membership.Type.STATUTORY)
                for i, p in enumerate(partnerships)
                for o in organisations[2 * i : 2 * i + 2]
            ],
        )
        teams = _bulk(
            Team,
            [
                Team(
                    partnership=p,
                    organisation=organisations[2 * i + (1 if kind == "police" else 0)],
                    name=f"Generated {n:03d} {name}",
                )
                for i, (p, n) in enumerate(zip(partnerships, numbers, strict=True))
                for kind, name in TEAM_NAMES
            ],
        )
        users, roles, memberships = self._people(partnerships, numbers, teams)
        start_year = today.year if today.month >= 4 else today.year - 1
        plans = _bulk(
            ActionPlan,
            [
                ActionPlan(
                    partnership=p,
                    slug=f"{p.slug}-{start_year}-{start_year + 1}",
                    start_year=start_year,
                    end_year=start_year + 1,
                )
                for p in partnerships
            ],
        )
        priorities = _bulk(
            Priority,
            [Priority(plan=plan, number=i + 1, title=title) for plan in plans for i, title in enumerate(PRIORITIES)],
        )
        issues = _bulk(
            Issue,
            [
                Issue(priority=priority, title=f"Issue {j + 1} under priority {priority.number}", order=j)
                for priority in priorities
                for j in range(4)
            ],
        )
        per_plan_issues = len(issues) // len(plans)
        year_ago = today - datetime.timedelta(days=365)
        use_copy = connection.vendor == "postgresql"
        big = use_copy and len(plans) * n_actions * n_updates >= REBUILD_INDEXES_FROM
        bulk_tables = [ActionUpdate, ActionUpdate.history.model, Action.history.model]
        officers_by_slug = {}
        for user in users:
            if "-officer" in user.username:
                officers_by_slug.setdefault(user.username.split("-officer")[0], []).append(user.pk)
        totals = {"partnerships": len(partnerships), "actions": 0, "updates": 0}
        with _indexes_rebuilt_after(bulk_tables) if big else contextlib.nullcontext():
            for start in range(0, len(plans), PLANS_PER_CHUNK):
                actions, owners, updates = [], [], []
                for p_index in range(start, min(start + PLANS_PER_CHUNK, len(plans))):
                    plan = plans[p_index]
                    plan_issues = issues[p_index * per_plan_issues : (p_index + 1) * per_plan_issues]
                    plan_teams = teams[p_index * len(TEAM_NAMES) : (p_index + 1) * len(TEAM_NAMES)]
                    plan_officers = officers_by_slug.get(plan.partnership.slug, [])
                    for a_index in range(n_actions):
                        action, rows = self._action(
                            plan_issues[a_index % len(plan_issues)], a_index, n_updates, year_ago, today, plan_officers
                        )
                        # Kept as the app keeps it (bulk-created updates send no signals).
                        action.last_update_on = rows[-1][0] if rows else None
                        action.rating_history = rating_history([(row[0], row[3]) for row in rows])
                        action.last_update_added_at = max((row[7] for row in rows), default=None)
                        actions.append(action)
                        updates.append(rows)
                        owners.append(self.random.sample(plan_teams, self.random.choice((1, 1, 2))))
                Action.objects.bulk_create(actions, batch_size=BATCH)
                through = Action.owner_teams.through
                links = through.objects.bulk_create(
                    [through(action=a, team=t) for a, teams_of in zip(actions, owners, strict=True) for t in teams_of],
                    batch_size=BATCH,
                )
                self._write_action_history(actions, links)
                if use_copy:
                    self._copy_updates(actions, updates)
                else:
                    self._create_updates(actions, updates)
                totals["actions"] += len(actions)
                totals["updates"] += sum(len(rows) for rows in updates)
        return totals

    def _people(self, partnerships, numbers, teams):
        users, roles = [], []
        for i, p in enumerate(partnerships):
            users.append(User(username=f"{p.slug}-admin", first_name="Admin", last_name=f"Generated {numbers[i]:03d}"))
            users.append(User(username=f"{p.slug}-chair", first_name="Chair", last_name=f"Generated {numbers[i]:03d}"))
            for t in range(len(TEAM_NAMES)):
                users.append(User(username=f"{p.slug}-officer{t + 1}", first_name="Officer", last_name=f"{t + 1}"))
        suffix = "" if not User.objects.filter(username="generated-county").exists() else f"-{uuid.uuid4().hex[:6]}"
        users.append(User(username=f"generated-county{suffix}", first_name="County", last_name="Analyst"))
        for user in users:
            user.password = self.password
            user.email = f"{user.username}@example.invalid"
        users = _bulk(User, users)
        county = users[-1]
        per = 2 + len(TEAM_NAMES)
        memberships = []
        for i, p in enumerate(partnerships):
            block = users[i * per : (i + 1) * per]
            roles += [Role(user=block[0], partnership=p, role=Role.Kind.ADMIN),
                      Role(user=block[1], partnership=p, role=Role.Kind.CHAIR)]  # fmt: skip
            for t, officer in enumerate(block[2:]):
                roles.append(Role(user=officer, partnership=p, role=Role.Kind.OFFICER))
                memberships.append(User.teams.through(user=officer, team=teams[i * len(TEAM_NAMES) + t]))
            roles.append(Role(user=county, partnership=p, role=Role.Kind.CHAIR))
        _bulk(Role, roles)
        User.teams.through.objects.bulk_create(memberships)
        return users, roles, memberships

    def _action(self, issue, index, n_updates, year_ago, today, officers):
        """An unsaved action and its updates as rows (date, author id, text, rag, previous rag,
        marking, order, created at), in date order."""
        rnd = self.random
        created = year_ago - datetime.timedelta(days=rnd.randint(0, 30))
        created_at = timezone.make_aware(datetime.datetime.combine(created, datetime.time(9, 0)))
        # Most actions are updated up to a recent day; some went quiet months ago (stale).
        last_day = today - datetime.timedelta(days=rnd.choice([0, 3, 10, 20, 30, 60, 120]))
        span = max((last_day - year_ago).days, 1)
        days = sorted(year_ago + datetime.timedelta(days=rnd.randint(0, span)) for _ in range(n_updates))
        rag = Rag.NOT_RATED
        rows = []
        previous_date, order = None, 0
        for position, day in enumerate(days, start=1):
            order = order + 1 if day == previous_date else 0
            previous_date = day
            new_rag = rnd.choice(NEXT_RAG[rag])
            # About one action in six is complete, marked Blue by its last update.
            if position == len(days) and rag == Rag.GREEN and rnd.random() < 0.3:
                new_rag = Rag.BLUE
            rows.append(
                (
                    day,
                    rnd.choice(officers) if officers else None,
                    f"{day:%d/%m/%Y} - {rnd.choice(NOTES)} in {rnd.choice(WARDS)}. {rnd.choice(NOTES)}.",
                    new_rag,
                    rag,
                    Marking.OFFICIAL_SENSITIVE if rnd.random() < 0.03 else Marking.OFFICIAL,
                    order,
                    _noon(day),
                )
            )
            rag = new_rag
        action = Action(
            issue=issue,
            text=f"{rnd.choice(VERBS)} {rnd.choice(SUBJECTS)} ({issue.priority.plan.partnership.short_name}"
            f" #{index + 1})",
            order=index,
            target_date=today + datetime.timedelta(days=rnd.randint(-120, 240)) if rnd.random() < 0.8 else None,
            rag=rag,
            status=Status.COMPLETED if rag == Rag.BLUE else Status.OPEN,
            created_at=created_at,
        )
        return action, rows

    def _write_action_history(self, actions, links):
        """The "+" history row of each new action (as created: not rated, open) and its owners."""
        HistoricalAction = Action.history.model
        creations = []
        for action in actions:
            final_rag, final_status = action.rag, action.status
            action.rag, action.status = Rag.NOT_RATED, Status.OPEN
            creations.append(_history(Action, action, history_type="+", when=action.created_at))
            action.rag, action.status = final_rag, final_status
        HistoricalAction.objects.bulk_create(creations, batch_size=BATCH)
        by_action = {h.id: h for h in creations}
        m2m = apps.get_model("actions", "HistoricalAction_owner_teams")
        m2m.objects.bulk_create(
            [
                m2m(id=link.pk, action_id=link.action_id, team_id=link.team_id, history=by_action[link.action_id])
                for link in links
            ],  # fmt: skip
            batch_size=BATCH,
        )

    def _create_updates(self, actions, updates):
        """Updates and their history through the ORM, in batches (SQLite and other databases)."""
        objs = [
            ActionUpdate(
                action=action,
                date=day,
                written_on=day,
                author_id=author,
                text=text,
                rag=rag,
                previous_rag=previous,
                marking=marking,
                order=order,
                created_at=created_at,
            )  # fmt: skip
            for action, rows in zip(actions, updates, strict=True)
            for day, author, text, rag, previous, marking, order, created_at in rows
        ]
        ActionUpdate.objects.bulk_create(objs, batch_size=BATCH)
        action_by_id = {a.pk: a for a in actions}
        history = [_history(ActionUpdate, u, history_type="+", when=u.created_at) for u in objs]
        changes = []
        for update in objs:
            if update.rag != update.previous_rag:
                row = _history(Action, action_by_id[update.action_id], history_type="~", when=update.created_at)
                row.rag = update.rag
                row.status = Status.COMPLETED if update.rag == Rag.BLUE else Status.OPEN
                changes.append(row)
        ActionUpdate.history.model.objects.bulk_create(history, batch_size=BATCH)
        Action.history.model.objects.bulk_create(changes, batch_size=BATCH)

    def _copy_updates(self, actions, updates):
        """The same rows as ``_create_updates`` with PostgreSQL's COPY: ids are taken from the
        table's sequence first, so that the history rows can name their updates."""
        count = sum(len(rows) for rows in updates)
        if not count:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [ActionUpdate._meta.db_table, count],
            )
            ids = sorted(row[0] for row in cursor.fetchall())
        columns = ["id", "action_id", "date", "written_on", "author_id", "text", "rag", "previous_rag", "marking",
                   "order", "created_at"]  # fmt: skip
        flat = []
        for action, rows in zip(actions, updates, strict=True):
            for day, author, text, rag, previous, marking, order, created_at in rows:
                flat.append(
                    (ids[len(flat)], action.pk, day, day, author, text, rag, previous, marking, order, created_at)
                )
        _copy(ActionUpdate, columns, flat)
        # "+" rows of the updates: the same values, dated when each was written.
        _copy(ActionUpdate.history.model, [*columns, "history_date", "history_type"],
              (row + (row[-1], "+") for row in flat))  # fmt: skip
        # "~" rows of the actions: the action as created, with each changed rating.
        historical, names = _history_class(Action)
        fields = {f.attname: f for f in Action._meta.concrete_fields}
        rag_at, status_at = names.index("rag"), names.index("status")
        changes = []
        for action, rows in zip(actions, updates, strict=True):
            base = [fields[name].get_db_prep_save(getattr(action, name), connection) for name in names]
            for row in rows:
                if row[3] != row[4]:
                    values = list(base)
                    values[rag_at] = row[3]
                    values[status_at] = Status.COMPLETED if row[3] == Rag.BLUE else Status.OPEN
                    changes.append((*values, row[-1], "~"))
        _copy(historical, [*names, "history_date", "history_type"], changes)


def _noon(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def _copy(model, columns, rows):
    """COPY ``rows`` (tuples of values for ``columns``, attnames) into ``model``'s table; every
    other column gets its field's default (auto-incremented keys are left to the database)."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    rest = [
        f
        for name, f in fields.items()
        if name not in columns and not isinstance(f, (models.AutoField, models.BigAutoField, models.SmallAutoField))
    ]
    constants = tuple(f.get_db_prep_save(f.get_default(), connection) for f in rest)
    names = ", ".join(connection.ops.quote_name(fields[name].column) for name in columns)
    names += "".join(f", {connection.ops.quote_name(f.column)}" for f in rest)
    connection.ensure_connection()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row + constants)


@contextlib.contextmanager
def _indexes_rebuilt_after(bulk_models):
    """Drop the secondary indexes of these tables (those behind no constraint) and build them
    again afterwards, in the same transaction: one build is far cheaper than 1.2 million
    insertions into a full-text index."""
    definitions = []
    with connection.cursor() as cursor:
        for model in bulk_models:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i"
                " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary"
                " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
                [model._meta.db_table],
            )
            definitions += cursor.fetchall()
        for name, _definition in definitions:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        # The deferred foreign-key checks of the new rows must run before a table's index is built.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        for _name, definition in definitions:
            cursor.execute(definition)
