"""Factories for tests and benchmarks: build what a test needs, nothing by hand."""

import datetime

import factory
from django.utils import timezone

from actions.models import Action, ActionUpdate, MeasureValue, Milestone, PerformanceMeasure, Rag
from partners.models import Contact, GovernanceGroup, Membership, Organisation, Partnership, Role, Team, TeamGrant, User
from plans.models import (
    ActionPlan,
    Issue,
    Meeting,
    Priority,
    Recommendation,
    RecommendationNote,
    Review,
    ReviewKind,
    Risk,
    StatutoryDuty,
    StrategicAim,
    StrategicAssessment,
    Strategy,
)


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        django_get_or_create = ["slug"]

    short_name = factory.Sequence(lambda n: f"Testshire{n}")
    name = factory.LazyAttribute(lambda o: f"{o.short_name} Community Safety Partnership")
    slug = factory.LazyAttribute(lambda o: o.short_name.lower())
    is_fictional = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    sector = Organisation.Sector.LOCAL_AUTHORITY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    type = Membership.Type.STATUTORY


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class TeamGrantFactory(factory.django.DjangoModelFactory):
    """``partnership`` lets ``team`` (of another partnership) work on its actions."""

    class Meta:
        model = TeamGrant

    partnership = factory.SubFactory(PartnershipFactory)
    team = factory.SubFactory(TeamFactory)


class GovernanceGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceGroup

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    kind = GovernanceGroup.Kind.RAG


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"First{n}")
    last_name = "Tester"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.teams.add(*extracted)


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    role = Role.Kind.OFFICER


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy

    partnership = factory.SubFactory(PartnershipFactory)
    title = "Partnership Plan"
    start_year = 2023
    end_year = 2027


class StrategicAimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAim

    strategy = factory.SubFactory(StrategyFactory)
    text = factory.Sequence(lambda n: f"Strategic aim {n}")
    order = factory.Sequence(int)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StrategicAssessment

    partnership = factory.SubFactory(PartnershipFactory)
    start_year = 2024
    end_year = 2025


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    assessment = factory.SubFactory(AssessmentFactory)
    kind = Risk.Kind.EMERGING
    text = factory.Sequence(lambda n: f"Risk {n}")
    order = factory.Sequence(int)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    partnership = factory.SubFactory(PartnershipFactory)
    start_year = 2025
    end_year = 2026
    slug = factory.LazyAttribute(lambda o: f"{o.partnership.slug}-{o.start_year}-{o.end_year}")
    status = ActionPlan.Status.ACTIVE


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority title {n}")


class IssueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Issue

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Issue {n}")
    order = factory.Sequence(int)


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    issue = factory.SubFactory(IssueFactory)
    text = factory.Sequence(lambda n: f"Action {n}")
    order = factory.Sequence(int)
    rag = Rag.NOT_RATED

    @factory.post_generation
    def owner_teams(self, create, extracted, **kwargs):
        if create and extracted:
            self.owner_teams.add(*extracted)

    @factory.post_generation
    def owner_organisations(self, create, extracted, **kwargs):
        if create and extracted:
            self.owner_organisations.add(*extracted)


class UpdateFactory(factory.django.DjangoModelFactory):
    """A raw update row. To add an update as the app does (carrying the RAG onto the
    action), call ``actions.services.action_add_update`` instead."""

    class Meta:
        model = ActionUpdate

    action = factory.SubFactory(ActionFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=7))
    text = factory.Sequence(lambda n: f"Progress note {n}")
    rag = Rag.GREEN


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Milestone

    action = factory.SubFactory(ActionFactory)
    text = factory.Sequence(lambda n: f"Milestone {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    order = factory.Sequence(lambda n: n)


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceMeasure

    priority = factory.SubFactory(PriorityFactory)
    name = factory.Sequence(lambda n: f"Measure {n}")


class MeasureValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureValue

    measure = factory.SubFactory(MeasureFactory)
    period_start = datetime.date(2025, 4, 1)
    value = 10


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"RAG meeting {n}")
    date = factory.LazyFunction(timezone.localdate)


class StatutoryDutyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatutoryDuty

    partnership = factory.SubFactory(PartnershipFactory)
    kind = StatutoryDuty.Kind.OTHER
    title = factory.Sequence(lambda n: f"Duty {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    is_public = True


class ReviewKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewKind

    name = factory.Sequence(lambda n: f"Review kind {n}")
    abbreviation = "DHR"


class ReviewFactory(factory.django.DjangoModelFactory):
    """An OFFICIAL-SENSITIVE review (the default marking). Name readers with ``readers=[...]``."""

    class Meta:
        model = Review
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    reference = factory.Sequence(lambda n: f"DHR 2025/{n + 1:02d}")
    kind = factory.SubFactory(ReviewKindFactory)
    title = factory.Sequence(lambda n: f"Review of the death of Adult {chr(65 + n % 26)}")
    chair = "Independent Chair"

    @factory.post_generation
    def readers(self, create, extracted, **kwargs):
        if create and extracted:
            self.readers.add(*extracted)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    review = factory.SubFactory(ReviewFactory)
    number = factory.Sequence(lambda n: n + 1)
    agency = factory.SubFactory(OrganisationFactory)
    text = factory.Sequence(lambda n: f"Recommendation text {n}")
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=90))


class RecommendationNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RecommendationNote

    recommendation = factory.SubFactory(RecommendationFactory)
    date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=3))
    text = factory.Sequence(lambda n: f"Recommendation note {n}")
