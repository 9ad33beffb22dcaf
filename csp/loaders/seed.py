"""Load the real partnerships' seed data from ``fixtures/*.json``.

The fixtures transcribe the public documents in the shared seeds (see
``docs/seed-data.md``). Loading is idempotent and never destructive: each row is
found by a natural key and created only when it is missing; a row that exists
is left exactly as it is (an officer's later edits, added notes, ratings and
deleted rows all survive a reload). Natural keys:

- partnership: slug; organisation: name, case- and space-insensitively;
- membership: partnership + organisation (any membership, current or ended);
- team: organisation + name; governance group: lead partnership + name;
  contact: partnership + name;
- strategy: partnership + title + years, created with its aims and measures;
  strategic assessment: partnership + first year, created with its risks;
- plan: slug; priority: plan + number; issue: priority + title;
- action: a reference derived from the plan slug and the action's position in
  the fixture, so an action whose text was edited since is still recognised.

Progress notes go through ``actions.services.action_add_update`` so that each
records the rating it changed from, as a note added in the app does.
"""

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from actions.models import Action, ActionUpdate, Marking, PerformanceMeasure, Rag, Status
from actions.services import action_add_update
from partners.models import (
    Contact,
    GovernanceGroup,
    Membership,
    Organisation,
    Partnership,
    Team,
    normalise_name,
)
from plans.models import (
    ActionPlan,
    Issue,
    Priority,
    Risk,
    StrategicAim,
    StrategicAssessment,
    Strategy,
)

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
MEMBERSHIP_TYPES = [Membership.Type.STATUTORY, Membership.Type.CO_OPTED, Membership.Type.NON_STATUTORY]
SOURCE_NOTE_MAX = ActionUpdate._meta.get_field("source_note").max_length


class SeedError(Exception):
    """A fixture names something it does not define, or breaks a rule of the model."""


@dataclass
class SeedReport:
    """What a load created, by kind of row."""

    created: dict = field(default_factory=dict)

    def add(self, kind, n=1):
        self.created[kind] = self.created.get(kind, 0) + n

    @property
    def total(self):
        return sum(self.created.values())

    def lines(self):
        return [f"{kind}: {n}" for kind, n in sorted(self.created.items())]


def fixture_paths(directory=None):
    directory = Path(directory or FIXTURES_DIR)
    paths = sorted(directory.glob("*.json"))
    if not paths:
        raise SeedError(f"No fixtures (*.json) in {directory}.")
    return paths


def read_fixtures(paths):
    return [json.loads(Path(p).read_text(encoding="utf-8")) for p in paths]


def action_reference(plan_slug, priority_number, issue_position, action_position):
    """A stable ``A-XXXXXXXXXX`` reference for the action at this place of a fixture."""
    key = f"seed|{plan_slug}|{priority_number}|{issue_position}|{action_position}"
    return "A-" + hashlib.sha256(key.encode()).hexdigest()[:10].upper()


@transaction.atomic
def load_seed(*, paths=None):
    """Load every fixture (``fixtures/*.json`` by default) in one transaction.

    Returns a ``SeedReport`` of the rows created; a second run creates none.
    """
    data = read_fixtures(paths or fixture_paths())
    loader = _Loader()
    # Partnerships first: a governance group of one partnership may name another.
    for fixture in data:
        loader.partnership(fixture["partnership"])
    for fixture in data:
        loader.load(fixture)
    return loader.report


class _Loader:
    def __init__(self):
        self.report = SeedReport()
        self.partnerships = {p.slug: p for p in Partnership.objects.all()}
        self.organisations = {normalise_name(o.name): o for o in Organisation.objects.all()}

    # -- partners ---------------------------------------------------------------

    def partnership(self, spec):
        if spec["slug"] in self.partnerships:
            return
        self.partnerships[spec["slug"]] = Partnership.objects.create(is_fictional=False, **spec)
        self.report.add("partnerships")

    def partnership_named(self, slug):
        try:
            return self.partnerships[slug]
        except KeyError:
            raise SeedError(f"Partnership {slug!r} is named but not loaded: load its fixture too.") from None

    def load(self, fixture):
        partnership = self.partnerships[fixture["partnership"]["slug"]]
        for spec in fixture.get("organisations", []):
            self.organisation(spec)
        self.memberships(partnership, fixture.get("memberships", {}))
        teams = {normalise_name(spec["name"]): self.team(partnership, spec) for spec in fixture.get("teams", [])}
        groups = {
            normalise_name(spec["name"]): self.group(partnership, spec, order)
            for order, spec in enumerate(fixture.get("governance_groups", []))
        }
        self.contacts(partnership, fixture.get("contacts", []))
        strategies = {spec["key"]: self.strategy(partnership, spec) for spec in fixture.get("strategies", [])}
        assessments = {spec["key"]: self.assessment(partnership, spec) for spec in fixture.get("assessments", [])}
        owners = _Owners(self, teams, groups)
        for spec in fixture.get("plans", []):
            self.plan(partnership, spec, strategies, assessments, owners)

    def organisation(self, spec):
        key = normalise_name(spec["name"])
        if key not in self.organisations:
            self.organisations[key] = Organisation.objects.create(**{**spec, "name": " ".join(spec["name"].split())})
            self.report.add("organisations")
        return self.organisations[key]

    def org(self, name):
        try:
            return self.organisations[normalise_name(name)]
        except KeyError:
            raise SeedError(f"Organisation {name!r} is used but not listed under 'organisations'.") from None

    def memberships(self, partnership, by_type):
        unknown = set(by_type) - set(MEMBERSHIP_TYPES)
        if unknown:
            raise SeedError(f"Unknown membership type(s) {sorted(unknown)} for {partnership.slug}.")
        existing = set(Membership.objects.filter(partnership=partnership).values_list("organisation_id", flat=True))
        for kind in MEMBERSHIP_TYPES:
            for order, spec in enumerate(by_type.get(kind, [])):
                organisation = self.org(spec["organisation"])
                if organisation.pk in existing:
                    continue
                Membership.objects.create(
                    partnership=partnership,
                    organisation=organisation,
                    type=kind,
                    note=spec.get("note", ""),
                    order=order,
                    # A body abolished since the partnership's documents (docs/seed-data.md).
                    ended_on=spec.get("ended_on"),
                )
                existing.add(organisation.pk)
                self.report.add("memberships")

    def team(self, partnership, spec):
        organisation = self.org(spec["organisation"])
        team = Team.objects.filter(organisation=organisation, name__iexact=spec["name"]).first()
        if team is None:
            team = Team.objects.create(
                organisation=organisation, partnership=partnership, name=spec["name"], email=spec.get("email", "")
            )
            self.report.add("teams")
        return team

    def group(self, partnership, spec, order):
        group = GovernanceGroup.objects.filter(partnership=partnership, name__iexact=spec["name"]).first()
        if group is not None:
            return group
        group = GovernanceGroup.objects.create(
            partnership=partnership,
            name=spec["name"],
            abbreviation=spec.get("abbreviation", ""),
            kind=spec.get("kind", GovernanceGroup.Kind.OTHER),
            tier=spec.get("tier"),
            description=spec.get("description", ""),
            order=order,
        )
        others = [self.partnership_named(slug) for slug in spec.get("partnerships", [])]
        if others:
            group.partnerships.add(*others)
        members = [self.org(name) for name in spec.get("members", [])]
        if members:
            group.members.add(*members)
        self.report.add("governance groups")
        return group

    def contacts(self, partnership, specs):
        names = Contact.objects.filter(partnership=partnership).values_list("name", flat=True)
        existing = {normalise_name(name) for name in names}
        for order, spec in enumerate(specs):
            if normalise_name(spec["name"]) in existing:
                continue
            organisation = self.org(spec["organisation"]) if spec.get("organisation") else None
            Contact.objects.create(
                partnership=partnership,
                organisation=organisation,
                name=spec["name"],
                role=spec.get("role", ""),
                email=spec.get("email", ""),
                phone=spec.get("phone", ""),
                website=spec.get("website", ""),
                is_public=spec.get("public", partnership.contacts_public),
                order=order,
            )
            self.report.add("contacts")

    # -- strategies and assessments --------------------------------------------

    def strategy(self, partnership, spec):
        strategy = Strategy.objects.filter(
            partnership=partnership, title=spec["title"], start_year=spec["start_year"], end_year=spec["end_year"]
        ).first()
        if strategy is not None:
            return strategy
        strategy = Strategy.objects.create(
            partnership=partnership,
            title=spec["title"],
            start_year=spec["start_year"],
            end_year=spec["end_year"],
            summary=spec.get("summary", ""),
        )
        self.report.add("strategies")
        for order, aim_spec in enumerate(spec.get("aims", [])):
            aim = StrategicAim.objects.create(
                strategy=strategy, text=aim_spec["text"], description=aim_spec.get("description", ""), order=order
            )
            self.report.add("strategic aims")
            for m_order, measure in enumerate(aim_spec.get("measures", [])):
                # Names only: the seeds give no values, units, targets or baselines.
                PerformanceMeasure.objects.create(
                    aim=aim,
                    name=measure["name"],
                    better=measure.get("better", PerformanceMeasure.Better.NEITHER),
                    order=m_order,
                )
                self.report.add("performance measures")
        return strategy

    def assessment(self, partnership, spec):
        assessment = StrategicAssessment.objects.filter(partnership=partnership, start_year=spec["start_year"]).first()
        if assessment is not None:
            return assessment
        assessment = StrategicAssessment.objects.create(
            partnership=partnership,
            title=spec.get("title", "Strategic Assessment"),
            start_year=spec["start_year"],
            end_year=spec["end_year"],
            summary=spec.get("summary", ""),
        )
        self.report.add("strategic assessments")
        for kind, key in ((Risk.Kind.TOP, "top_risks"), (Risk.Kind.EMERGING, "emerging_risks")):
            for order, text in enumerate(spec.get(key, []), start=1):
                Risk.objects.create(assessment=assessment, kind=kind, text=text, order=order)
                self.report.add("risks")
        return assessment

    # -- plans ---------------------------------------------------------------------

    def plan(self, partnership, spec, strategies, assessments, owners):
        plan = ActionPlan.objects.filter(slug=spec["slug"]).first()
        if plan is None:
            plan = ActionPlan.objects.create(
                partnership=partnership,
                strategy=_keyed(strategies, spec.get("strategy"), "strategy"),
                assessment=_keyed(assessments, spec.get("assessment"), "assessment"),
                title=spec["title"],
                slug=spec["slug"],
                start_year=spec["start_year"],
                end_year=spec["end_year"],
                status=spec.get("status", ActionPlan.Status.ACTIVE),
                introduction=spec.get("introduction", ""),
            )
            self.report.add("plans")
        elif plan.partnership_id != partnership.pk:
            raise SeedError(f"Plan {plan.slug!r} belongs to another partnership.")
        emerging = {}
        if plan.assessment_id:
            emerging = {r.order: r for r in plan.assessment.risks.filter(kind=Risk.Kind.EMERGING)}
        plan_start = _at_noon(datetime.date(spec["start_year"], 4, 1))
        existing_refs = set(Action.objects.filter(reference__in=self._refs(spec)).values_list("reference", flat=True))
        for p_spec in spec["priorities"]:
            priority = self.priority(plan, p_spec, emerging)
            for i_pos, i_spec in enumerate(p_spec["issues"], start=1):
                issue = None
                for a_pos, a_spec in enumerate(i_spec["actions"], start=1):
                    reference = action_reference(plan.slug, priority.number, i_pos, a_pos)
                    if reference in existing_refs:
                        continue
                    if issue is None:
                        issue = self.issue(priority, i_spec["title"], i_pos)
                    self.action(issue, a_spec, reference, a_pos, owners, plan_start, spec.get("source_note", ""))
                    existing_refs.add(reference)

    def _refs(self, spec):
        return [
            action_reference(spec["slug"], p["number"], i_pos, a_pos)
            for p in spec["priorities"]
            for i_pos, i in enumerate(p["issues"], start=1)
            for a_pos, _ in enumerate(i["actions"], start=1)
        ]

    def priority(self, plan, spec, emerging):
        priority = Priority.objects.filter(plan=plan, number=spec["number"]).first()
        if priority is None:
            source_risk = emerging.get(spec["source_risk"]) if spec.get("source_risk") else None
            if spec.get("source_risk") and source_risk is None:
                raise SeedError(f"Priority {spec['number']} of {plan.slug}: no emerging risk {spec['source_risk']}.")
            priority = Priority.objects.create(
                plan=plan,
                number=spec["number"],
                title=spec["title"],
                description=spec.get("description", ""),
                source_risk=source_risk,
            )
            self.report.add("priorities")
        return priority

    def issue(self, priority, title, order):
        issue = Issue.objects.filter(priority=priority, title=title).first()
        if issue is None:
            issue = Issue.objects.create(priority=priority, title=title, order=order)
            self.report.add("issues")
        return issue

    def action(self, issue, spec, reference, order, owners, plan_start, plan_source):
        updates = spec.get("updates", [])
        first_date = min((_date(u["date"]) for u in updates), default=None)
        created_at = plan_start if first_date is None else min(plan_start, _at_noon(first_date))
        owner = spec.get("owner", {})
        action = Action.objects.create(
            issue=issue,
            reference=reference,
            text=spec["text"],
            order=order,
            owner_role=owner.get("role", ""),
            owner_label=owner.get("label", ""),
            rag=Rag.NOT_RATED,
            status=Status.OPEN,
            created_at=created_at,
        )
        owners.assign(action, owner)
        self.report.add("actions")
        for u_spec in updates:
            self.update(action, u_spec, plan_source)

    def update(self, action, spec, plan_source):
        date = _date(spec["date"])
        source_note = " ".join(part for part in (plan_source, spec.get("source_note", "")) if part)
        if len(source_note) > SOURCE_NOTE_MAX:
            raise SeedError(f"source_note longer than {SOURCE_NOTE_MAX} characters: {source_note!r}")
        marking = spec.get("marking", Marking.OFFICIAL)
        if marking not in Marking.values:
            raise SeedError(f"Unknown marking {marking!r}.")
        status = spec.get("status")
        if status is not None and status not in Status.values:
            raise SeedError(f"Unknown status {status!r}.")
        # The seeds lost their RAG colours: every note is "not yet rated".
        action_add_update(
            action=action,
            text=spec["text"],
            rag=Rag.NOT_RATED,
            date=date,
            written_on=date,
            created_at=_at_noon(date),
            marking=marking,
            status=status,
            status_reason=spec.get("status_reason", ""),
            source_note=source_note,
        )
        self.report.add("updates")


class _Owners:
    """Resolves a fixture's owner names to the teams, organisations and groups it defines."""

    def __init__(self, loader, teams, groups):
        self.loader, self.teams, self.groups = loader, teams, groups

    def _pick(self, names, index, what):
        found = []
        for name in names:
            try:
                found.append(index[normalise_name(name)])
            except KeyError:
                raise SeedError(f"{what} {name!r} is used as an owner but not defined in the fixture.") from None
        return found

    def assign(self, action, owner):
        teams = self._pick(owner.get("teams", []), self.teams, "Team")
        groups = self._pick(owner.get("groups", []), self.groups, "Governance group")
        organisations = [self.loader.org(name) for name in owner.get("organisations", [])]
        if teams:
            action.owner_teams.add(*teams)
        if organisations:
            action.owner_organisations.add(*organisations)
        if groups:
            action.owner_groups.add(*groups)


def _keyed(rows, key, what):
    if not key:
        return None
    try:
        return rows[key]
    except KeyError:
        raise SeedError(f"No {what} with key {key!r} in the same fixture.") from None


def _date(value):
    return datetime.date.fromisoformat(value)


def _at_noon(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(12)))
