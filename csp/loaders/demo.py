"""The fictional demo: Exampleshire and Sampleton Community Safety Partnerships.

Everything here is invented: the places, organisations, people, figures and
telephone numbers (01632 960xxx is Ofcom's range reserved for drama). Dates are
counted back from ``timezone.localdate()`` so the demo looks current whenever it
is loaded: the current plan is the UK plan year (April to March) that contains
today, its notes spread over the last twelve months.

``load_demo`` is idempotent: a partnership that already exists is left exactly as
it is, and so is an account that already exists. ``delete_demo`` removes only the
fictional partnerships built here (and the organisations nothing else uses).
"""

import datetime
import os
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from actions.milestone_services import milestone_add
from actions.models import Action, Marking, MeasureValue, Milestone, PerformanceMeasure, Status
from actions.services import action_add_update
from partners.models import GovernanceGroup, Membership, Organisation, Partnership, Role, Team, TeamGrant, User
from plans import calendar_services
from plans.models import (
    ActionPlan,
    Issue,
    Meeting,
    MeetingPack,
    Priority,
    PublishedPlan,
    Recommendation,
    Review,
    ReviewKind,
    ReviewMarking,
    Risk,
    StatutoryDuty,
    StrategicAim,
    StrategicAssessment,
    Strategy,
    UpdateRound,
)
from plans.publishing import plan_publish_public
from plans.review_services import (
    recommendation_accept_evidence,
    recommendation_add_note,
    recommendation_carry,
    recommendation_record_evidence,
    recommendation_save,
    review_save,
    review_set_readers,
)
from plans.rounds import round_open

from .demo_data import (
    ACCOUNTS,
    CO_OPTED,
    EXAMPLESHIRE_PLAN,
    EXAMPLESHIRE_PREVIOUS_PLAN,
    NON_STATUTORY,
    ORGANISATIONS,
    SAMPLETON_NOTES,
    SAMPLETON_PLAN,
    SENSITIVE,
    STATUTORY,
    TEAMS,
    B,
    DemoAction,
)

DEFAULT_PASSWORD = "exampleshire-demo-2026"  # noqa: S105 - published demo password, DEBUG only
DEMO_SLUGS = ("exampleshire", "sampleton")

DA_FORUM = "Exampleshire and Sampleton Domestic Abuse Forum"
FICTION_NOTE = (
    "This is a fictional partnership made up for demonstration. Every organisation, person, "
    "place and figure in it is invented."
)


ROLE_WORDS = {Role.Kind.OFFICER: "officer", Role.Kind.CHAIR: "chair", Role.Kind.ADMIN: "partnership admin"}


def demo_password():
    """The password of the demo accounts: ``DEMO_PASSWORD`` or the published default."""
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


def plan_years(today):
    """The UK plan year (April to March) containing ``today``: (2026, 2027) for 22 November 2026."""
    first = today.year if today.month >= 4 else today.year - 1
    return first, first + 1


@dataclass
class DemoResult:
    created: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    accounts: list = field(default_factory=list)  # (username, roles text, created?)


class _Builder:
    def __init__(self, today):
        self.today = today
        self.orgs = {}
        self.teams = {}
        self.groups = {}
        self.partnerships = {}

    def days_ago(self, days):
        return self.today - datetime.timedelta(days=days)

    def at(self, day, hour=10):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    # Organisations are shared by both partnerships (and perhaps by real ones): find them by name.
    def organisation(self, key):
        if key not in self.orgs:
            name, sector, phone = ORGANISATIONS[key]
            org = Organisation.objects.filter(name__iexact=name).first()
            if org is None:
                org = Organisation.objects.create(
                    name=name,
                    sector=sector,
                    phone=phone,
                    description="Fictional organisation of the demo.",
                    website=f"https://{key}.exampleshire.example",
                )
            self.orgs[key] = org
        return self.orgs[key]

    def team(self, key):
        if key not in self.teams:
            org_key, slug, name = TEAMS[key]
            partnership = Partnership.objects.get(slug=slug)
            self.teams[key], _ = Team.objects.get_or_create(
                organisation=self.organisation(org_key),
                name=name,
                defaults={"partnership": partnership, "email": f"{key}@exampleshire.example"},
            )
        return self.teams[key]

    def partnership(self, slug, name, short_name, area):
        partnership = Partnership.objects.create(
            name=name,
            short_name=short_name,
            slug=slug,
            area=area,
            is_fictional=True,
            email=f"community.safety@{slug}.example",
            phone="01632 960000" if slug == "exampleshire" else "01632 960001",
            website=f"https://www.{slug}.example/community-safety",
        )
        self.partnerships[slug] = partnership
        return partnership

    def memberships(self, partnership, rows):
        for order, (key, type_, started, ended, _replaced_by) in enumerate(rows):
            Membership.objects.create(
                partnership=partnership,
                organisation=self.organisation(key),
                type=type_,
                started_on=started,
                ended_on=ended,
                order=order,
            )
        # A membership that ended points to the one that replaced it (CCG -> ICB).
        for key, _type, _started, ended, replaced_by_key in rows:
            if ended and replaced_by_key:
                Membership.objects.filter(partnership=partnership, organisation=self.organisation(key)).update(
                    replaced_by=Membership.objects.get(
                        partnership=partnership, organisation=self.organisation(replaced_by_key), ended_on=None
                    )
                )

    def group(self, key, partnership, name, abbreviation, kind, tier, members=(), shared_with=()):
        group = GovernanceGroup.objects.create(
            partnership=partnership,
            name=name,
            abbreviation=abbreviation,
            kind=kind,
            tier=tier,
            order=tier,
            description="Fictional governance group of the demo.",
        )
        group.members.set([self.organisation(m) for m in members])
        if shared_with:
            group.partnerships.set(shared_with)
        self.groups[key] = group
        return group

    def add_action(self, issue, order, spec, authors, plan_end):
        created = self.days_ago(spec.created)
        if spec.target == "end":
            target = plan_end
        elif spec.target is None:
            target = None
        else:
            target = self.today + datetime.timedelta(days=spec.target)
        action = Action.objects.create(
            issue=issue,
            text=spec.text,
            order=order,
            owner_role=spec.role,
            target_date=target,
            created_at=self.at(created, 9),
        )
        if spec.teams:
            action.owner_teams.set([self.team(k) for k in spec.teams])
        if spec.orgs:
            action.owner_organisations.set([self.organisation(k) for k in spec.orgs])
        if spec.groups:
            action.owner_groups.set([self.groups[k] for k in spec.groups])
        author = authors.get(spec.author)
        author_name = "" if author else spec.author
        for note in spec.story:
            days, rag_or_status, text = note[:3]
            day = self.days_ago(days)
            kwargs = {"rag": rag_or_status}
            if rag_or_status in (Status.COMPLETED, Status.DISCHARGED):
                status = rag_or_status
                kwargs = {
                    "status": status,
                    "status_reason": text,
                    "rag": B if status == Status.COMPLETED else None,
                }
            action_add_update(
                action=action,
                author=author,
                author_name=author_name,
                text=text,
                date=day,
                written_on=day,
                created_at=self.at(day, 11),
                marking=Marking.OFFICIAL_SENSITIVE if SENSITIVE in note[3:] else Marking.OFFICIAL,
                **kwargs,
            )
        return action


def _exampleshire(builder, authors):
    today = builder.today
    first, last = plan_years(today)
    plan_start = datetime.date(first, 4, 1)
    plan_end = datetime.date(last, 3, 31)
    p = builder.partnership(
        "exampleshire",
        "Exampleshire Community Safety Partnership",
        "Exampleshire",
        "Borough of Exampleshire (fictional)",
    )
    builder.memberships(
        p,
        [
            ("council", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("county", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("police", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("fire", STATUTORY, datetime.date(2010, 4, 1), None, None),
            ("probation", STATUTORY, datetime.date(2021, 6, 26), None, None),
            ("crc", STATUTORY, datetime.date(2015, 2, 1), datetime.date(2021, 6, 25), "probation"),
            ("icb", STATUTORY, datetime.date(2022, 7, 1), None, None),
            ("ccg", STATUTORY, datetime.date(2013, 4, 1), datetime.date(2022, 6, 30), "icb"),
            ("pcc", CO_OPTED, datetime.date(2012, 11, 22), None, None),
            ("homes", NON_STATUTORY, None, None, None),
            ("harbour", NON_STATUTORY, None, None, None),
            ("youth", NON_STATUTORY, None, None, None),
            ("watch", NON_STATUTORY, None, None, None),
            ("college", NON_STATUTORY, None, None, None),
        ],
    )
    for key, (_org, slug, _name) in TEAMS.items():
        if slug == "exampleshire":
            builder.team(key)
    kinds = GovernanceGroup.Kind
    rag = builder.group(
        "rag",
        p,
        "Exampleshire Responsible Authorities Group",
        "RAG",
        kinds.RAG,
        1,
        members=["council", "county", "police", "fire", "probation", "icb", "pcc"],
    )
    builder.group("jag", p, "Exampleshire Joint Action Group", "JAG", kinds.JAG, 2, ["council", "police", "homes"])
    builder.group(
        "marrg", p, "Exampleshire Multi-Agency Risk Reduction Group", "MARRG", kinds.MARRG, 3, ["council", "police"]
    )
    builder.group("daforum", p, DA_FORUM, "DA Forum", kinds.DA_FORUM, 3, ["council", "sdc", "police", "harbour"])

    strategy = Strategy.objects.create(
        partnership=p,
        title="Exampleshire Community Safety Partnership Plan",
        start_year=first - 1,
        end_year=first + 2,
        summary=FICTION_NOTE,
    )
    aims = [
        StrategicAim.objects.create(strategy=strategy, order=i, text=text, description=desc)
        for i, (text, desc) in enumerate(
            [
                (
                    "Keep people safe from violence and exploitation",
                    "Prevent serious violence, knife crime and the exploitation of children and vulnerable adults.",
                ),
                (
                    "Make neighbourhoods and the town centre feel safe",
                    "Reduce anti-social behaviour and neighbourhood crime; improve how safe residents feel.",
                ),
                (
                    "Support victims and reduce re-offending",
                    "Support victims of domestic abuse and fraud; get offenders into treatment and work.",
                ),
            ]
        )
    ]
    previous_assessment = StrategicAssessment.objects.create(
        partnership=p, start_year=first - 2, end_year=first - 1, published_on=datetime.date(first - 1, 1, 31)
    )
    for order, text in enumerate(["Anti-social behaviour", "Knife crime", "Residential burglary"]):
        Risk.objects.create(assessment=previous_assessment, kind=Risk.Kind.TOP, text=text, order=order)
    assessment = StrategicAssessment.objects.create(
        partnership=p,
        start_year=first - 1,
        end_year=first,
        published_on=datetime.date(first, 1, 31),
        summary=FICTION_NOTE,
    )
    for order, text in enumerate(
        [
            "Assaults without injury",
            "Anti-social behaviour",
            "Domestic abuse",
            "Residential burglary",
            "Shoplifting",
            "Drug possession and supply",
        ]
    ):
        Risk.objects.create(assessment=assessment, kind=Risk.Kind.TOP, text=text, order=order)
    emerging = [
        Risk.objects.create(assessment=assessment, kind=Risk.Kind.EMERGING, text=risk_text, order=order)
        for order, (_title, risk_text, _issues) in enumerate(EXAMPLESHIRE_PLAN)
    ]

    # Last year's plan, archived, with two actions carried forward into this year's.
    previous = ActionPlan.objects.create(
        partnership=p,
        strategy=strategy,
        assessment=previous_assessment,
        slug=f"exampleshire-{first - 1}-{first}",
        start_year=first - 1,
        end_year=first,
        status=ActionPlan.Status.ARCHIVED,
        archived_at=builder.at(plan_start),
        introduction=FICTION_NOTE,
    )
    previous_start = datetime.date(first - 1, 4, 1)
    carried = {}
    for number, (title, issues) in enumerate(EXAMPLESHIRE_PREVIOUS_PLAN, start=1):
        priority = Priority.objects.create(plan=previous, number=number, title=title)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, (text, team_keys, notes, final_status) in enumerate(actions):
                action = Action.objects.create(
                    issue=issue,
                    text=text,
                    order=order,
                    target_date=datetime.date(first, 3, 31),
                    created_at=builder.at(previous_start),
                )
                action.owner_teams.set([builder.team(k) for k in team_keys])
                for days, rag_value, note in notes:
                    day = previous_start + datetime.timedelta(days=days)
                    action_add_update(
                        action=action,
                        author=authors["officer"] if "ecst" in team_keys else None,
                        author_name="" if "ecst" in team_keys else "Exampleshire SNT",
                        text=note,
                        rag=rag_value,
                        date=day,
                        written_on=day,
                        created_at=builder.at(day),
                    )
                day = datetime.date(first, 3, 20)
                action_add_update(
                    action=action,
                    author=authors["admin"],
                    text={
                        Status.COMPLETED: "Complete.",
                        Status.CARRIED_FORWARD: "Carried forward into next year's plan.",
                        Status.DISCHARGED: "Discharged from the plan at the RAG meeting.",
                    }[final_status],
                    rag=B if final_status == Status.COMPLETED else None,
                    status=final_status,
                    date=day,
                    written_on=day,
                    created_at=builder.at(day),
                )
                carried[text] = action

    plan = ActionPlan.objects.create(
        partnership=p,
        strategy=strategy,
        assessment=assessment,
        slug=f"exampleshire-{first}-{last}",
        start_year=first,
        end_year=last,
        status=ActionPlan.Status.ACTIVE,
        introduction=FICTION_NOTE
        + " Its priorities come from the emerging risks of the strategic assessment; the actions are "
        "reviewed at each meeting of the Responsible Authorities Group.",
    )
    ActionPlan.objects.filter(pk=previous.pk).update(rolled_over_to=plan)

    priorities = []
    for number, (title, _risk, issues) in enumerate(EXAMPLESHIRE_PLAN, start=1):
        priority = Priority.objects.create(plan=plan, number=number, title=title, source_risk=emerging[number - 1])
        priorities.append(priority)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, spec in enumerate(actions):
                builder.add_action(issue, order, spec, authors, plan_end)

    # Link the carried-forward actions to their successors.
    for old_text, new_text in [
        ("Review the use of Community Protection Warnings", "Use Community Protection Warnings"),
        ("Pilot knife crime sessions in two secondary schools", "Deliver knife crime awareness sessions"),
    ]:
        Action.objects.filter(issue__priority__plan=plan, text__startswith=new_text).update(
            carried_from=carried[old_text]
        )

    _measures(builder, priorities, aims[0])
    _suggestion_examples(builder, plan, authors)
    for months_ago in (6, 3):
        Meeting.objects.create(
            partnership=p,
            group=rag,
            title="Exampleshire Responsible Authorities Group",
            date=builder.days_ago(months_ago * 30 + 2),
        )
    return p


# Dated steps of three of the demo officer's open actions (days from today; done so many days
# ago, or None): some done, one overdue, the rest ahead.
DEMO_MILESTONES = [
    [
        ("Venue and dates agreed with the schools", -40, 42),
        ("Publicity sent to parents and pupils", -10, None),
        ("Sessions delivered and feedback collected", 45, None),
    ],
    [("Partners briefed at the tasking meeting", -20, 18), ("Results reviewed with the RAG", 60, None)],
    [("Draft leaflet agreed by partners", 14, None)],
]


def _milestones(builder, authors):
    """A few milestones on the demo officer's open actions of the current Exampleshire plan
    whose target date leaves room."""
    room = builder.today + datetime.timedelta(days=60)
    actions = (
        Action.objects.filter(
            issue__priority__plan__partnership__slug="exampleshire",
            issue__priority__plan__status=ActionPlan.Status.ACTIVE,
        )
        .owned_by(authors["officer"])
        .filter(status=Status.OPEN)
        .filter(Q(target_date__isnull=True) | Q(target_date__gte=room))
        .order_by("issue__priority__number", "issue__order", "order")
    )
    for action, steps in zip(actions, DEMO_MILESTONES, strict=False):
        for text, due_in, done_ago in steps:
            milestone_add(
                action=action,
                editor=authors["officer"],
                text=text,
                due_date=builder.today + datetime.timedelta(days=due_in),
                done_on=builder.days_ago(done_ago) if done_ago is not None else None,
            )


def _monthly_starts(today, count=12):
    """The first days of the ``count`` whole months before this one, oldest first."""
    year, month = today.year, today.month
    starts = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        starts.append(datetime.date(year, month, 1))
    return list(reversed(starts))


def _measures(builder, priorities, aim):
    starts = _monthly_starts(builder.today)
    # name, unit, better, target, baseline, twelve made-up monthly values (oldest first), attached to
    measures = [
        (
            "Knife crime offences",
            "offences",
            PerformanceMeasure.Better.LOWER,
            10,
            14,
            [15, 13, 16, 12, 14, 11, 13, 10, 12, 9, 11, 9],
            {"priority": priorities[0]},
        ),
        (
            "Anti-social behaviour incidents reported to the police",
            "incidents",
            PerformanceMeasure.Better.LOWER,
            300,
            340,
            [352, 338, 361, 344, 372, 390, 365, 333, 318, 307, 296, 288],
            {"priority": priorities[1]},
        ),
        (
            "Rate of all crime",
            "crimes per 1,000 residents",
            PerformanceMeasure.Better.LOWER,
            5.5,
            6.1,
            [6.3, 6.0, 6.4, 6.2, 5.9, 6.1, 6.0, 5.8, 5.7, 5.9, 5.6, 5.5],
            {"aim": aim},
        ),
    ]
    for order, (name, unit, better, target, baseline, values, attached_to) in enumerate(measures):
        measure = PerformanceMeasure.objects.create(
            name=name,
            unit=unit,
            better=better,
            target=Decimal(str(target)),
            baseline=Decimal(str(baseline)),
            order=order,
            description="Fictional monthly figures for the demo.",
            **attached_to,
        )
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period_start=start, value=Decimal(str(value)), source="Demo data (fictional)")
            for start, value in zip(starts, values, strict=True)
        )


def _sampleton(builder, authors):
    first, last = plan_years(builder.today)
    p = builder.partnership(
        "sampleton", "Sampleton Community Safety Partnership", "Sampleton", "Sampleton District (fictional)"
    )
    builder.memberships(
        p,
        [
            ("sdc", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("county", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("police", STATUTORY, datetime.date(1998, 9, 30), None, None),
            ("fire", STATUTORY, datetime.date(2010, 4, 1), None, None),
            ("probation", STATUTORY, datetime.date(2021, 6, 26), None, None),
            ("icb", STATUTORY, datetime.date(2022, 7, 1), None, None),
            ("pcc", CO_OPTED, None, None, None),
            ("sht", NON_STATUTORY, None, None, None),
        ],
    )
    for key, (_org, slug, _name) in TEAMS.items():
        if slug == "sampleton":
            builder.team(key)
    kinds = GovernanceGroup.Kind
    builder.group("srag", p, "Sampleton Responsible Authorities Group", "RAG", kinds.RAG, 1, ["sdc", "police"])
    # The domestic-abuse forum led by Exampleshire spans both partnerships.
    forum = GovernanceGroup.objects.filter(name=DA_FORUM, partnership__slug="exampleshire").first()
    if forum is not None:
        forum.partnerships.add(p)
    plan = ActionPlan.objects.create(
        partnership=p, slug=f"sampleton-{first}-{last}", start_year=first, end_year=last, introduction=FICTION_NOTE
    )
    for number, (title, issues) in enumerate(SAMPLETON_PLAN, start=1):
        priority = Priority.objects.create(plan=plan, number=number, title=title)
        for issue_order, (issue_title, actions) in enumerate(issues):
            issue = Issue.objects.create(priority=priority, title=issue_title, order=issue_order)
            for order, (text, team_keys, story) in enumerate(actions):
                spec = DemoAction(
                    text,
                    teams=team_keys,
                    author="Sampleton Community Safety Team",
                    story=[(days, rag_value, SAMPLETON_NOTES[rag_value]) for days, rag_value in story],
                )
                builder.add_action(issue, order, spec, authors, datetime.date(last, 3, 31))
    return p


def _accounts(password, *, reset_passwords):
    """The demo accounts, created if missing; an existing account keeps its password unless reset."""
    users = {}
    for username, first_name, last_name, job_title, _teams, _roles in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(
                username=username,
                first_name=first_name,
                last_name=last_name,
                job_title=job_title,
                email=f"{username}@exampleshire.example",
            )
        if created or reset_passwords:
            user.set_password(password)
            user.save()
        users[username] = (user, created)
    return users


def _grant(users, builder, result):
    for username, _first, _last, _title, team_keys, roles in ACCOUNTS:
        user, created = users[username]
        for key in team_keys:
            if not user.teams.filter(pk=builder.team(key).pk).exists():
                user.teams.add(builder.team(key))
        for slug, role in roles.items():
            Role.objects.get_or_create(
                user=user, partnership=Partnership.objects.get(slug=slug), defaults={"role": role}
            )
        described = ", ".join(f"{ROLE_WORDS[role]} in {slug.title()}" for slug, role in roles.items())
        result.accounts.append((username, described, created))


@transaction.atomic
def _suggestion_examples(builder, plan, authors):
    """Milestones on three recently updated open actions, so that the suggested rating, the
    dashboard's "Ratings better than suggested" and the roll-up's milestones have something
    to show (docs/suggested-rag.md): one rated Green with three milestones overdue and the
    owner's reason, one with a milestone overdue, one with its milestones done on time."""
    recent = list(
        Action.objects.in_plan(plan)
        .open()
        .filter(last_update_on__gte=builder.days_ago(20))
        .order_by("issue__priority__number", "issue__order", "order", "pk")[:3]
    )
    steps = [
        [(40, None), (25, None), (10, None), (-30, None)],
        [(12, None), (-20, None)],
        [(60, 61), (30, 28), (-45, None)],
    ]
    for action, milestones in zip(recent, steps, strict=False):
        for order, (due, done) in enumerate(milestones):
            Milestone.objects.create(
                action=action,
                text=["Venue booked", "Partners briefed", "Leaflets printed", "Review with the JAG"][order],
                due_date=builder.days_ago(due),
                done_on=builder.days_ago(done) if done is not None else None,
                order=order,
            )
    if recent:
        first = recent[0]
        day = builder.days_ago(1)
        action_add_update(
            action=first,
            author=authors.get("officer"),
            text="Venues are booked and partners briefed; the milestones will be ticked off this week.",
            rag="green",
            suggested_rag="red",
            rating_reason="The work is done; the milestones were not ticked off yet.",
            date=day,
            written_on=day,
            created_at=builder.at(day, 11),
        )


def load_demo(*, password=None, reset=False, today=None):
    """Create the fictional demo partnerships and accounts; keep whatever already exists.

    With ``reset=True`` the fictional partnerships are deleted and built again and the demo
    accounts' passwords set again. Returns a ``DemoResult`` saying what was created or kept.
    """
    password = password or demo_password()
    builder = _Builder(today or timezone.localdate())
    result = DemoResult()
    if reset:
        delete_demo()
    users = _accounts(password, reset_passwords=reset)
    authors = {username: user for username, (user, _created) in users.items()}
    for slug, build in (("exampleshire", _exampleshire), ("sampleton", _sampleton)):
        if Partnership.objects.filter(slug=slug).exists():
            result.kept.append(slug)
        else:
            build(builder, authors)
            result.created.append(slug)
    _joint_action(builder)
    _grant(users, builder, result)
    if "exampleshire" in result.created:
        _milestones(builder, authors)  # on the officer's actions: after _grant gives them their team
    _update_round(builder)
    _public_page()
    _statutory_calendar(builder)
    _review(builder)
    return result


def _public_page():
    """Exampleshire's current plan on its public page (/public/exampleshire/…), published by
    the demo admin; kept once published (publish again from the plan page)."""
    plan = (
        ActionPlan.objects.filter(partnership__slug="exampleshire", status=ActionPlan.Status.ACTIVE)
        .order_by("-start_year")
        .first()
    )
    if plan is None or PublishedPlan.objects.filter(plan=plan).exists():
        return
    plan_publish_public(plan=plan, by=User.objects.filter(username="admin").first())


def _update_round(builder):
    """An open update round for the next Exampleshire RAG meeting (made three weeks ahead when
    none is planned), deadline a week from today at 17:00, asking about every open action of
    the current plan: the demo officer owes several. Kept while one is open."""
    partnership = Partnership.objects.filter(slug="exampleshire").first()
    if (
        partnership is None
        or UpdateRound.objects.filter(meeting__partnership=partnership, state=UpdateRound.State.OPEN).exists()
    ):
        return
    plan = ActionPlan.objects.filter(partnership=partnership, status=ActionPlan.Status.ACTIVE).order_by("-start_year")
    meeting = Meeting.objects.filter(partnership=partnership, date__gt=builder.today).order_by("date").first()
    if meeting is None:
        meeting = Meeting.objects.create(
            partnership=partnership,
            group=GovernanceGroup.objects.filter(partnership=partnership, kind=GovernanceGroup.Kind.RAG).first(),
            title="Exampleshire Responsible Authorities Group",
            date=builder.today + datetime.timedelta(days=21),
        )
    # A week from today, or from the real date when the data is built for a day gone by: a
    # round's deadline is never in the past.
    start = max(builder.today, timezone.localdate())
    deadline = timezone.make_aware(datetime.datetime.combine(start + datetime.timedelta(days=7), datetime.time(17, 0)))
    round_open(
        meeting=meeting,
        opened_by=User.objects.filter(username="chair").first(),
        plans=list(plan[:1]),
        deadline=deadline,
        message="Please bring your actions up to date before the RAG meeting. "
        "“No change” is a fine answer when nothing has moved.",
    )


def _statutory_calendar(builder):
    """Exampleshire's statutory calendar: last year's and this year's standard duties, those
    whose date has passed done a week early with their evidence, and one duty of its own (the
    yearly ASB case review figures) ten days overdue. Owners: the administrator, the chair
    and the demo officer (the strategic assessment). Kept when the partnership has duties."""
    partnership = Partnership.objects.filter(slug="exampleshire").first()
    if partnership is None or StatutoryDuty.objects.filter(partnership=partnership).exists():
        return
    owners = {u.username: u for u in User.objects.filter(username__in=["officer", "chair", "admin"])}
    owner_of = {
        StatutoryDuty.Kind.STRATEGIC_ASSESSMENT: owners.get("officer"),
        StatutoryDuty.Kind.SCRUTINY_REVIEW: owners.get("chair"),
    }
    year = calendar_services.plan_year_of(builder.today)
    for plan_year in (year - 1, year):
        for duty in calendar_services.duties_add_defaults(partnership=partnership, year=plan_year):
            duty.owner = owner_of.get(duty.kind, owners.get("admin"))
            duty.save(update_fields=["owner"])
            if duty.due_date < builder.today:
                done_on = duty.due_date - datetime.timedelta(days=7)
                calendar_services.duty_mark_done(
                    duty=duty,
                    user=duty.owner,
                    done_on=min(done_on, timezone.localdate()),
                    evidence=f"https://exampleshire.example/committees/minutes/{done_on:%Y-%m}",
                )
    calendar_services.duty_save(
        partnership=partnership,
        kind=StatutoryDuty.Kind.OTHER,
        title="ASB case review figures published for the year",
        due_date=builder.today - datetime.timedelta(days=10),
        owner=owners.get("admin"),
        notes="Anti-social Behaviour, Crime and Policing Act 2014: the number of case reviews and their outcomes.",
    )


# The demo's review: wholly fictional (no real death, family or person), to show the pages.
DEMO_REVIEW = "DHR 2025/01"
DEMO_RECOMMENDATIONS = [
    # (agency, what it asks, due in days from today (negative: past), state)
    ("police", "Review how officers record previous call-outs to the same address.", 120, "agreed"),
    ("council", "Train housing and benefits staff to ask about domestic abuse.", -20, "in_progress"),
    ("icb", "Add routine enquiry about domestic abuse to GP practice templates.", 30, "implemented"),
    ("homes", "Give tenancy officers a clear route to refer to the MARAC.", -60, "evidence_accepted"),
    ("probation", "Create a separate perpetrator programme for the borough.", 90, "not_accepted"),
    ("harbour", "Run awareness sessions for faith and community groups.", 150, "carried"),
]


def _review(builder):
    """A fictional Domestic Homicide Review of Exampleshire with six recommendations, one in
    each state, one carried into the current plan; the demo admin and chair named readers."""
    partnership = Partnership.objects.filter(slug="exampleshire").first()
    if partnership is None or Review.objects.filter(partnership=partnership, reference=DEMO_REVIEW).exists():
        return
    admin = User.objects.filter(username="admin").first()
    # Offered by migration plans 0004; made again here if a test database was flushed since.
    kind = ReviewKind.objects.filter(partnership__isnull=True, abbreviation="DHR").first()
    if kind is None:
        kind = ReviewKind.objects.create(
            name="Domestic Abuse Related Death Review (Domestic Homicide Review)", abbreviation="DHR"
        )
    review = review_save(
        partnership=partnership,
        editor=admin,
        reference=DEMO_REVIEW,
        kind=kind,
        title="Adult A (fictional demo review)",
        chair="Independent Chair (fictional)",
        status=Review.Status.PUBLISHED,
        notified_on=builder.days_ago(540),
        commissioned_on=builder.days_ago(520),
        submitted_to_home_office_on=builder.days_ago(300),
        published_on=builder.days_ago(200),
        marking=ReviewMarking.OFFICIAL_SENSITIVE,
    )
    review_set_readers(review=review, editor=admin, readers=list(User.objects.filter(username__in=["admin", "chair"])))
    issue = (
        Issue.objects.filter(priority__plan__partnership=partnership, priority__plan__status=ActionPlan.Status.ACTIVE)
        .order_by("-priority__plan__start_year", "priority__number", "order")
        .first()
    )
    for agency, text, due_in, state in DEMO_RECOMMENDATIONS:
        status = Recommendation.Status.NOT_ACCEPTED if state == "not_accepted" else Recommendation.Status.AGREED
        rec = recommendation_save(
            review=review,
            editor=admin,
            agency=builder.organisation(agency),
            text=text,
            case_for_change="Agencies held pieces of the picture that nobody put together (fictional).",
            due_date=builder.today + datetime.timedelta(days=due_in),
            status=status,
            reason="The probation service runs a regional programme already." if state == "not_accepted" else "",
        )
        if state in ("in_progress", "implemented", "evidence_accepted", "carried"):
            recommendation_add_note(
                recommendation=rec,
                author=admin,
                date=builder.days_ago(30),
                text="Work started; a lead officer is named.",
                marking=ReviewMarking.OFFICIAL,
            )
        if state in ("implemented", "evidence_accepted"):
            recommendation_record_evidence(
                recommendation=rec, editor=admin, note="Procedure updated and circulated to all staff."
            )
        if state == "evidence_accepted":
            recommendation_accept_evidence(recommendation=rec, editor=admin)
        if state == "carried" and issue is not None:
            recommendation_carry(
                recommendation=rec, editor=admin, issue=issue, marking=ReviewMarking.OFFICIAL_SENSITIVE
            )


def _joint_action(builder):
    """The youth panel action of Exampleshire is also owned by Sampleton's team, which
    Exampleshire granted (without the grant the team would own it in name only)."""
    action = Action.objects.filter(
        issue__priority__plan__partnership__slug="exampleshire", text__startswith="Refer young people at risk"
    ).first()
    if action is not None and Partnership.objects.filter(slug="sampleton").exists():
        team = builder.team("scst")
        TeamGrant.objects.get_or_create(
            partnership=action.issue.priority.plan.partnership, team=team, defaults={"note": "Tri-CSP youth panel"}
        )
        if not action.owner_teams.filter(pk=team.pk).exists():
            action.owner_teams.add(team)


@transaction.atomic
def delete_demo():
    """Delete the fictional demo partnerships and everything in them; real data is not touched.

    The demo accounts stay (their roles and team memberships go with the partnerships);
    organisations go too unless something outside the demo still uses them.
    """
    partnerships = list(Partnership.objects.filter(slug__in=DEMO_SLUGS, is_fictional=True))
    if not partnerships:
        return
    plans = ActionPlan.objects.filter(partnership__in=partnerships)
    Review.objects.filter(partnership__in=partnerships).delete()
    UpdateRound.objects.filter(meeting__partnership__in=partnerships).delete()
    StatutoryDuty.objects.filter(partnership__in=partnerships).delete()
    MeetingPack.objects.filter(plan__in=plans).delete()
    MeetingPack.objects.filter(meeting__partnership__in=partnerships).delete()
    Meeting.objects.filter(partnership__in=partnerships).delete()
    plans.update(rolled_over_to=None)
    # Deleting plans cascades to priorities, issues, actions, updates and measures.
    for plan in plans:
        plan.delete()
    Strategy.objects.filter(partnership__in=partnerships).delete()
    StrategicAssessment.objects.filter(partnership__in=partnerships).delete()
    GovernanceGroup.objects.filter(partnership__in=partnerships).delete()
    Team.objects.filter(partnership__in=partnerships).delete()
    Membership.objects.filter(partnership__in=partnerships).update(replaced_by=None)
    Membership.objects.filter(partnership__in=partnerships).delete()
    for partnership in partnerships:
        partnership.delete()
    names = [name for name, _sector, _phone in ORGANISATIONS.values()]
    for org in Organisation.objects.filter(name__in=names):
        if not org.memberships.exists() and not org.teams.exists() and not org.actions.exists():
            org.delete()
