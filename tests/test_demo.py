"""`manage.py load_demo`: the fictional Exampleshire and Sampleton partnerships and their accounts."""

import datetime
import json
import os
from io import StringIO
from unittest import mock

import pytest
import time_machine
from django.apps import apps
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.utils import timezone

from actions.models import Action, ActionUpdate, Marking, Milestone, PerformanceMeasure, Rag, Status
from csp.loaders.demo import DEFAULT_PASSWORD, DEMO_MILESTONES, plan_years
from partners.models import Organisation, Partnership, Role, User
from plans.models import ActionPlan, Meeting, PublishedPlan, StatutoryDuty
from tests import factories as f

TODAY = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC)


def load(**options):
    out = StringIO()
    call_command("load_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def demo(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    with time_machine.travel(TODAY, tick=False):
        output = load()
        yield output


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for label in ("partners", "plans", "actions")
        for model in apps.get_app_config(label).get_models()
    }


@override_settings(DEBUG=True, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestTheDemoData(TestCase):
    """Read-only checks of one load of the demo, made on 22 November 2026 (built once for the class)."""

    @classmethod
    def setUpTestData(cls):
        environ = {k: v for k, v in os.environ.items() if k not in ("PORT", "DEMO_PASSWORD")}
        with time_machine.travel(TODAY, tick=False), mock.patch.dict(os.environ, environ, clear=True):
            cls.output = load()
        cls.current_plan = ActionPlan.objects.get(slug="exampleshire-2026-2027")

    def test_the_current_plan_is_on_its_public_page_without_its_sensitive_updates(self):
        stored = json.dumps(PublishedPlan.objects.public().get(plan=self.current_plan).snapshot)
        updates = ActionUpdate.objects.live().filter(action__issue__priority__plan=self.current_plan)
        sensitive = list(updates.filter(marking=Marking.OFFICIAL_SENSITIVE).values_list("text", flat=True))
        assert sensitive
        assert [text for text in sensitive if json.dumps(text)[1:-1] in stored] == []
        official = updates.filter(marking=Marking.OFFICIAL, is_review=False, action__marking=Marking.OFFICIAL)
        assert json.dumps(official.first().text)[1:-1] in stored

    def test_demo_creates_the_three_accounts_with_their_roles(self):
        roles = dict(Role.objects.filter(partnership__slug="exampleshire").values_list("user__username", "role"))
        assert {name: roles[name] for name in ("officer", "chair", "admin")} == {
            "officer": Role.Kind.OFFICER,
            "chair": Role.Kind.CHAIR,
            "admin": Role.Kind.ADMIN,
        }

    def test_demo_accounts_share_the_default_password(self):
        for username in ("officer", "chair", "admin", "county"):
            assert User.objects.get(username=username).check_password(DEFAULT_PASSWORD)

    def test_demo_prints_the_accounts_their_password_and_where_to_sign_in(self):
        assert "officer" in self.output
        assert DEFAULT_PASSWORD in self.output
        assert "http://127.0.0.1:8000" in self.output

    def test_demo_partnerships_say_they_are_fictional(self):
        exampleshire = Partnership.objects.get(slug="exampleshire")
        assert (exampleshire.name, exampleshire.short_name) == (
            "Exampleshire Community Safety Partnership",
            "Exampleshire",
        )
        fictional = Partnership.objects.filter(slug__in=["exampleshire", "sampleton"], is_fictional=True)
        assert fictional.count() == 2
        assert "fictional" in exampleshire.plans.get(status="active").introduction

    def test_current_plan_covers_today_and_has_numbered_priorities_from_the_emerging_risks(self):
        priorities = list(self.current_plan.priorities.all())
        assert [p.number for p in priorities] == [1, 2, 3, 4, 5]
        assert all(p.source_risk and p.source_risk.kind == "emerging" for p in priorities)
        assert 30 <= Action.objects.in_plan(self.current_plan).count() <= 40

    def test_officer_owns_about_a_dozen_actions_several_of_them_stale(self):
        officer = User.objects.get(username="officer")
        owned = list(Action.objects.in_plan(self.current_plan).owned_by(officer))
        with time_machine.travel(TODAY, tick=False):
            today = timezone.localdate()
            stale = [a for a in owned if a.is_stale()]
            overdue = [a for a in owned if a.is_open and a.target_date and a.target_date < today]
        assert 10 <= len(owned) <= 16
        assert len(stale) >= 3
        assert len(overdue) == 1

    def test_rag_histories_move_both_ways(self):
        changes = set(
            ActionUpdate.objects.filter(action__issue__priority__plan=self.current_plan).values_list(
                "previous_rag", "rag"
            )
        )
        assert {(Rag.AMBER, Rag.GREEN), (Rag.AMBER, Rag.RED), (Rag.RED, Rag.AMBER)} <= changes

    def test_some_actions_are_completed_or_discharged(self):
        statuses = list(Action.objects.in_plan(self.current_plan).values_list("status", flat=True))
        assert statuses.count(Status.COMPLETED) >= 2
        assert statuses.count(Status.DISCHARGED) >= 1

    def test_one_or_two_updates_are_official_sensitive(self):
        count = ActionUpdate.objects.filter(
            action__issue__priority__plan=self.current_plan, marking=Marking.OFFICIAL_SENSITIVE
        )
        assert 1 <= count.count() <= 2

    def test_updates_are_never_dated_in_the_future(self):
        assert not ActionUpdate.objects.filter(date__gt=TODAY.date()).exists()

    def test_last_years_plan_is_archived_and_rolled_over(self):
        previous = ActionPlan.objects.get(slug="exampleshire-2025-2026")
        assert (previous.status, previous.rolled_over_to) == (ActionPlan.Status.ARCHIVED, self.current_plan)
        assert Action.objects.in_plan(self.current_plan).filter(carried_from__isnull=False).count() == 2

    def test_measures_have_a_year_of_monthly_values(self):
        measures = PerformanceMeasure.objects.filter(
            priority__plan=self.current_plan
        ) | PerformanceMeasure.objects.filter(aim__strategy=self.current_plan.strategy)
        assert sorted(m.values.count() for m in measures) == [12, 12, 12]
        assert measures.filter(aim__isnull=False).count() == 1

    def test_two_past_rag_meetings_and_the_next_one(self):
        dates = list(Meeting.objects.filter(partnership__slug="exampleshire").values_list("date", flat=True))
        assert len(dates) == 3
        assert sum(d < TODAY.date() for d in dates) == 2  # the next one has an update round (plans/rounds.py)

    def test_the_statutory_calendar_has_this_years_duties_some_done_and_one_overdue(self):
        duties = StatutoryDuty.objects.filter(partnership__slug="exampleshire")
        today = datetime.date(2026, 11, 22)
        this_year = duties.filter(due_date__range=(datetime.date(2026, 5, 1), datetime.date(2027, 4, 30)))
        assert this_year.exclude(kind=StatutoryDuty.Kind.OTHER).count() == 5
        assert duties.done().count() >= 5
        assert [d.title for d in duties.overdue(today=today)] == ["ASB case review figures published for the year"]
        assert duties.filter(owner__username="officer").exists()

    def test_a_few_officer_actions_have_milestones_some_done_one_overdue(self):
        """The officer's own milestones (DEMO_MILESTONES); the suggested-RAG examples add others
        to recently updated actions (test_demo_shows_a_rating_better_than_suggested...)."""
        texts = [text for steps in DEMO_MILESTONES for text, _due, _done in steps]
        milestones = Milestone.objects.filter(action__issue__priority__plan=self.current_plan, text__in=texts)
        officer = User.objects.get(username="officer")
        assert milestones.values("action").distinct().count() == 3
        assert not milestones.exclude(action__in=Action.objects.owned_by(officer)).exists()
        assert milestones.filter(done_on__isnull=False).count() >= 2
        assert [m.is_overdue(TODAY.date()) for m in milestones].count(True) == 1
        every = Milestone.objects.filter(action__issue__priority__plan=self.current_plan)
        assert not every.filter(done_on__gt=TODAY.date()).exists()

    def test_county_account_is_chair_in_both_partnerships(self):
        roles = set(Role.objects.filter(user__username="county").values_list("partnership__slug", "role"))
        assert roles == {("exampleshire", Role.Kind.CHAIR), ("sampleton", Role.Kind.CHAIR)}

    def test_an_exampleshire_action_is_owned_jointly_with_a_sampleton_team(self):
        joint = Action.objects.in_plan(self.current_plan).filter(owner_teams__partnership__slug="sampleton")
        assert joint.count() == 1
        assert ActionPlan.objects.filter(slug="sampleton-2026-2027").exists()


def test_demo_honours_demo_password_and_port(db, settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("DEMO_PASSWORD", "a-different-demo-password")
    monkeypatch.setenv("PORT", "8123")
    output = load()
    assert User.objects.get(username="officer").check_password("a-different-demo-password")
    assert "a-different-demo-password" in output
    assert "http://127.0.0.1:8123" in output


def test_running_the_demo_twice_changes_nothing(demo):
    before = _row_counts()
    password = User.objects.get(username="officer").password
    with time_machine.travel(TODAY + datetime.timedelta(days=3), tick=False):
        output = load()
    assert _row_counts() == before
    assert User.objects.get(username="officer").password == password
    assert "Kept" in output


def test_running_the_demo_keeps_a_changed_password(demo, monkeypatch):
    officer = User.objects.get(username="officer")
    officer.set_password("my-own-password-now")
    officer.save()
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-password")
    load()
    assert User.objects.get(username="officer").check_password("my-own-password-now")


def test_reset_rebuilds_the_fictional_partnerships_and_leaves_real_ones_alone(demo):
    real = f.PartnershipFactory(short_name="Hertsmere", slug="hertsmere", is_fictional=False)
    police = Organisation.objects.get(name="Exampleshire Constabulary")
    f.MembershipFactory(partnership=real, organisation=police)
    old_pk = Partnership.objects.get(slug="exampleshire").pk
    with time_machine.travel(TODAY, tick=False):
        load(reset=True)
    rebuilt = Partnership.objects.get(slug="exampleshire")
    assert rebuilt.pk != old_pk
    assert Partnership.objects.filter(pk=real.pk).exists()
    assert police.memberships.filter(partnership=real).exists()
    assert Organisation.objects.filter(name__iexact="Exampleshire Constabulary").count() == 1
    assert Role.objects.filter(user__username="officer", partnership=rebuilt).exists()


def test_demo_refuses_to_run_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG is off"):
        load()
    assert not Partnership.objects.filter(slug="exampleshire").exists()


def test_demo_runs_with_debug_off_when_forced(db, settings):
    settings.DEBUG = False
    load(force=True)
    assert Partnership.objects.filter(slug="exampleshire").exists()


@pytest.mark.parametrize(
    ("day", "years"),
    [
        (datetime.date(2026, 11, 22), (2026, 2027)),
        (datetime.date(2027, 3, 31), (2026, 2027)),
        (datetime.date(2027, 4, 1), (2027, 2028)),
    ],
)
def test_the_plan_year_runs_from_april_to_march(day, years):
    assert plan_years(day) == years


def test_the_demo_loaded_in_march_has_its_plan_and_no_future_notes(db, settings):
    settings.DEBUG = True
    with time_machine.travel(datetime.datetime(2027, 3, 30, 12, tzinfo=datetime.UTC), tick=False):
        load(verbosity=0)
    assert ActionPlan.objects.filter(slug="exampleshire-2026-2027", status="active").exists()
    assert not ActionUpdate.objects.filter(date__gt=datetime.date(2027, 3, 30)).exists()


def test_demo_shows_a_rating_better_than_suggested_with_its_reason_and_milestones(demo):
    from actions.models import Milestone
    from plans.quality import better_than_suggested
    from plans.rollup import plan_rollups

    plan = ActionPlan.objects.current().get(partnership__slug="exampleshire")
    chair = User.objects.get(username="chair")
    rows = better_than_suggested(plan, chair)
    assert any(row["reason"] and row["suggestion"].rag == "red" for row in rows)
    assert ActionUpdate.objects.exclude(rating_reason="").filter(action__issue__priority__plan=plan).exists()
    assert Milestone.objects.filter(action__issue__priority__plan=plan).count() >= 9
    assert plan_rollups(plan).plan(plan).milestones_due >= 5
