"""Generate large fictional data sets quickly, for benchmarks and load tests.

    python manage.py generate_demo_data --partnerships 10 --actions-per-plan 200 --updates-per-action 20

Each partnership is clearly fictional ("Generated CSP 001", is_fictional) with a
council and a police force, four teams, an admin, a chair and four officers, and
one current plan of five priorities. Updates are spread over the last year with a
wandering RAG rating; each records the rating it changed from, the action carries
the latest, and history rows are written in bulk as the app would write them
(a "+" row for each new action and update, a "~" row for each rating change).
One user, ``generated-county``, chairs every generated partnership (the county view).
Rows are inserted with ``bulk_create`` in batches; accounts get no usable password
unless ``--password`` is given.
"""

import datetime
import random
import time
import uuid

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actions.models import Action, ActionUpdate, Marking, Rag, Status, rating_history
from partners.models import Membership, Organisation, Partnership, Role, Team, User
from plans.models import ActionPlan, Issue, Priority

BATCH = 2000
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


def _history(model, obj, *, history_type, when):
    """A simple_history row for ``obj`` as it is now, as ``HistoricalRecords`` would write it."""
    if model not in _HISTORY_CLASSES:
        historical = model.history.model
        tracked = {f.attname for f in historical._meta.concrete_fields}
        _HISTORY_CLASSES[model] = (historical, [f.attname for f in model._meta.concrete_fields if f.attname in tracked])
    historical, names = _HISTORY_CLASSES[model]
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
        now = timezone.now()
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
        actions, owners, updates = [], [], []
        year_ago = today - datetime.timedelta(days=365)
        for p_index, plan in enumerate(plans):
            plan_issues = issues[p_index * per_plan_issues : (p_index + 1) * per_plan_issues]
            plan_teams = teams[p_index * len(TEAM_NAMES) : (p_index + 1) * len(TEAM_NAMES)]
            plan_officers = [u for u in users if u.username.startswith(f"{plan.partnership.slug}-officer")]
            for a_index in range(n_actions):
                action, action_updates = self._action(
                    plan_issues[a_index % len(plan_issues)], a_index, n_updates, year_ago, today, plan_officers
                )
                # Kept as the app keeps it (bulk-created updates send no signals).
                live = [(u.date, u.rag) for u in action_updates if not u.is_deleted]  # in date order
                action.last_update_on = live[-1][0] if live else None
                action.rating_history = rating_history(live)
                actions.append(action)
                updates.append(action_updates)
                owners.append(self.random.sample(plan_teams, self.random.choice((1, 1, 2))))
        Action.objects.bulk_create(actions, batch_size=BATCH)
        through = Action.owner_teams.through
        links = through.objects.bulk_create(
            [through(action=a, team=t) for a, teams_of in zip(actions, owners, strict=True) for t in teams_of],
            batch_size=BATCH,
        )
        for action, action_updates in zip(actions, updates, strict=True):
            for update in action_updates:
                update.action = action
        flat_updates = [u for us in updates for u in us]
        ActionUpdate.objects.bulk_create(flat_updates, batch_size=BATCH)
        self._write_history(actions, links, flat_updates, now)
        return {"partnerships": len(partnerships), "actions": len(actions), "updates": len(flat_updates)}

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
        rnd = self.random
        created = year_ago - datetime.timedelta(days=rnd.randint(0, 30))
        created_at = timezone.make_aware(datetime.datetime.combine(created, datetime.time(9, 0)))
        # Most actions are updated up to a recent day; some went quiet months ago (stale).
        last_day = today - datetime.timedelta(days=rnd.choice([0, 3, 10, 20, 30, 60, 120]))
        span = max((last_day - year_ago).days, 1)
        days = sorted(year_ago + datetime.timedelta(days=rnd.randint(0, span)) for _ in range(n_updates))
        rag = Rag.NOT_RATED
        action_updates = []
        previous_date, order = None, 0
        for position, day in enumerate(days, start=1):
            order = order + 1 if day == previous_date else 0
            previous_date = day
            new_rag = rnd.choice(NEXT_RAG[rag])
            # About one action in six is complete, marked Blue by its last update.
            if position == len(days) and rag == Rag.GREEN and rnd.random() < 0.3:
                new_rag = Rag.BLUE
            action_updates.append(
                ActionUpdate(
                    date=day,
                    written_on=day,
                    author=rnd.choice(officers) if officers else None,
                    text=f"{day:%d/%m/%Y} - {rnd.choice(NOTES)} in {rnd.choice(WARDS)}. {rnd.choice(NOTES)}.",
                    rag=new_rag,
                    previous_rag=rag,
                    marking=Marking.OFFICIAL_SENSITIVE if rnd.random() < 0.03 else Marking.OFFICIAL,
                    order=order,
                    created_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0))),
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
        return action, action_updates

    def _write_history(self, actions, links, updates, now):
        """History rows in bulk: what ``HistoricalRecords`` writes for the same changes."""
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
        action_by_id = {a.pk: a for a in actions}
        rows = [_history(ActionUpdate, u, history_type="+", when=u.created_at) for u in updates]
        changes = []
        for update in updates:
            if update.rag != update.previous_rag:
                action = action_by_id[update.action_id]
                row = _history(Action, action, history_type="~", when=update.created_at)
                row.rag = update.rag
                row.status = Status.COMPLETED if update.rag == Rag.BLUE else Status.OPEN
                changes.append(row)
        ActionUpdate.history.model.objects.bulk_create(rows, batch_size=BATCH)
        HistoricalAction.objects.bulk_create(changes, batch_size=BATCH)
