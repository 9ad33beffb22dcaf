"""The Django admin: every registered model's list, add and change pages work for an administrator."""

import datetime

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from actions.models import Action, ActionUpdate, Rag
from actions.services import action_add_update
from partners.models import (
    ApiToken,
    Contact,
    Invitation,
    ReminderPreference,
    Role,
    SsoDomain,
    SsoIdentity,
    UserSession,
)
from partners.twofactor import recovery_codes_regenerate
from plans.models import (
    CalendarFeedToken,
    ImportJob,
    MeetingPack,
    PdfRequest,
    RollOverJob,
    RoundSignOff,
    SentEmail,
    UpdateRound,
)
from plans.publishing import plan_publish_public
from tests import factories as f

OURS = ("partners", "plans", "actions")
REGISTERED = sorted((m for m in admin.site._registry if m._meta.app_label in OURS), key=lambda model: model._meta.label)
THIRD_PARTY = sorted(
    (m for m in admin.site._registry if m._meta.app_label not in OURS), key=lambda model: model._meta.label
)


def _url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def one_of_everything(partnership, team, officer, action, council):
    """At least one row of every registered model, linked as in real life."""
    plan = action.issue.priority.plan
    strategy = f.StrategyFactory(partnership=partnership)
    aim = f.StrategicAimFactory(strategy=strategy)
    risk = f.RiskFactory(assessment=f.AssessmentFactory(partnership=partnership))
    plan.strategy, plan.assessment = strategy, risk.assessment
    plan.save()
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire JAG")
    group.members.add(council)
    action.owner_groups.add(group)
    action_add_update(action=action, author=officer, text="Sessions booked.", rag=Rag.AMBER)
    measure = f.MeasureFactory(priority=action.issue.priority)
    f.MeasureFactory(aim=aim, priority=None)
    f.MeasureValueFactory(measure=measure)
    f.MilestoneFactory(action=action)
    meeting = f.MeetingFactory(partnership=partnership, group=group)
    MeetingPack.objects.create(meeting=meeting, plan=plan, created_by=officer)
    PdfRequest.objects.create(plan=plan, created_by=officer)
    MeetingPack.objects.create(kind=MeetingPack.Kind.SCRUTINY, plan=plan, created_by=officer)
    ImportJob.objects.create(upload_id="Testshire-upload", user=officer, filename="Testshire.xlsx", digest="0" * 64)
    next_plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    RollOverJob.objects.create(plan=plan, target=next_plan, asked_by=officer, total=30)
    plan_publish_public(plan=plan, by=officer)
    Contact.objects.create(partnership=partnership, organisation=council, team=team, name="Duty desk")
    f.TeamGrantFactory(team=team, granted_by=officer)
    Invitation.objects.create(
        partnership=partnership,
        email="new@example.org",
        role=Role.Kind.OFFICER,
        token_hash=Invitation.new_token()[1],
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    raw, prefix, token_hash = ApiToken.new_token()
    ApiToken.objects.create(user=officer, name="Analyst feed", prefix=prefix, token_hash=token_hash)
    recovery_codes_regenerate(user=officer)
    UserSession.objects.create(user=officer, session_key="testshire-session", user_agent="Firefox")
    _update_round(meeting, plan, action, officer)
    SsoDomain.objects.create(domain="testshire.gov.uk", note="Testshire")
    SsoIdentity.objects.create(user=officer, issuer="https://login.example", subject="officer-subject")
    review = f.ReviewFactory(partnership=partnership, readers=[officer])
    f.RecommendationNoteFactory(recommendation=f.RecommendationFactory(review=review, agency=council, action=action))
    f.StatutoryDutyFactory(partnership=partnership, owner=officer, title="Testshire scrutiny review")
    CalendarFeedToken.objects.create(user=officer, partnership=partnership, token_hash=CalendarFeedToken.new_token()[1])
    return action


def _update_round(meeting, plan, action, officer):
    """An update round, its sign-off and an email it sent; the officer's email choice."""
    update_round = UpdateRound.objects.create(meeting=meeting, deadline=timezone.now() + datetime.timedelta(days=7))
    update_round.plans.add(plan)
    update_round.actions.add(action)
    RoundSignOff.objects.create(round=update_round, user=officer)
    SentEmail.objects.create(
        user=officer,
        round=update_round,
        kind="opening",
        key="round-1-opening",
        is_reminder=True,
        day=timezone.localdate(),
    )
    ReminderPreference.objects.create(user=officer, stale_digest="none")


def test_every_model_of_the_three_apps_is_registered():
    from django.apps import apps

    models = [m for label in OURS for m in apps.get_app_config(label).get_models()]
    missing = [m._meta.label for m in models if m not in admin.site._registry and not m.__name__.startswith("Hist")]
    assert missing == []


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_changelist_renders_with_data_and_a_search(client_for, superuser, one_of_everything, model):
    client = client_for(superuser)
    assert model.objects.exists()
    assert client.get(_url(model, "changelist")).status_code == 200
    assert client.get(_url(model, "changelist"), {"q": "Testshire"}).status_code == 200


@pytest.mark.parametrize("model", THIRD_PARTY, ids=lambda m: m._meta.label)
def test_third_party_changelist_renders(client_for, superuser, model):
    assert client_for(superuser).get(_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_add_page_renders(client_for, superuser, one_of_everything, model):
    assert client_for(superuser).get(_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_change_page_renders(client_for, superuser, one_of_everything, model):
    obj = model.objects.order_by("pk").first()
    assert client_for(superuser).get(_url(model, "change", obj.pk)).status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_list_filter_applies(client_for, superuser, one_of_everything, model):
    """Each filter's first choice (as offered on the page) gives a page, not an error."""
    client = client_for(superuser)
    response = client.get(_url(model, "changelist"))
    for spec in response.context["cl"].filter_specs:
        choices = [c for c in spec.choices(response.context["cl"]) if c.get("query_string", "?") != "?"]
        for choice in choices[1:3]:
            assert client.get(_url(model, "changelist") + choice["query_string"]).status_code == 200


def test_history_page_of_an_action_renders(client_for, superuser, one_of_everything):
    action = one_of_everything
    action.text = "Deliver Safer Street events in every ward"
    action.save()
    client = client_for(superuser)
    response = client.get(_url(Action, "history", action.pk))
    assert response.status_code == 200
    assert "Changed" in response.text or "text" in response.text
    record = action.history.earliest()
    response = client.get(_url(Action, "simple_history", action.pk, record.history_id))
    assert response.status_code == 200


WITH_HISTORY = [m for m in REGISTERED if isinstance(admin.site._registry[m], SimpleHistoryAdmin)]


@pytest.mark.parametrize("model", WITH_HISTORY, ids=lambda m: m._meta.label)
def test_history_pages_render(client_for, superuser, one_of_everything, model):
    obj = model.objects.order_by("pk").first()
    client = client_for(superuser)
    assert client.get(_url(model, "history", obj.pk)).status_code == 200
    record = obj.history.earliest()
    assert client.get(_url(model, "simple_history", obj.pk, record.history_id)).status_code == 200


def test_plan_page_offers_its_priorities_inline_and_priority_its_issues(client_for, superuser, one_of_everything):
    client = client_for(superuser)
    priority = one_of_everything.issue.priority
    assert "priorities-TOTAL_FORMS" in client.get(_url(priority.plan.__class__, "change", priority.plan.pk)).text
    assert "issues-TOTAL_FORMS" in client.get(_url(priority.__class__, "change", priority.pk)).text
    issue = one_of_everything.issue
    assert "actions-TOTAL_FORMS" in client.get(_url(issue.__class__, "change", issue.pk)).text
    assert "updates-TOTAL_FORMS" in client.get(_url(Action, "change", one_of_everything.pk)).text


def test_an_update_added_in_the_admin_carries_its_rag_to_the_action(client_for, superuser, action):
    response = client_for(superuser).post(
        _url(ActionUpdate, "add"),
        {
            "action": action.pk,
            "date": timezone.localdate().isoformat(),
            "written_on": timezone.localdate().isoformat(),
            "text": "Entered by the administrator.",
            "rag": Rag.RED,
            "marking": "official",
            "order": 0,
            "created_at_0": timezone.localdate().isoformat(),
            "created_at_1": "10:00:00",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    update = action.updates.get()
    assert (action.rag, update.previous_rag) == (Rag.RED, Rag.NOT_RATED)


def _action_changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(Action, "changelist"))
    assert response.status_code == 200
    return len(queries)


def test_action_changelist_queries_do_not_grow_with_the_number_of_actions(client_for, superuser, issue, team):
    client = client_for(superuser)
    f.ActionFactory.create_batch(3, issue=issue, owner_teams=[team])
    _action_changelist_queries(client)  # warm the session and content types
    few = _action_changelist_queries(client)
    f.ActionFactory.create_batch(40, issue=issue, owner_teams=[team])
    many = _action_changelist_queries(client)
    assert many == few
    assert few < 20


def test_demo_plan_pages_render_down_the_hierarchy_and_the_action_list_stays_cheap(client_for, superuser, db):
    from django.core.management import call_command

    from plans.models import ActionPlan

    call_command("load_demo", force=True, verbosity=0)
    client = client_for(superuser)
    _action_changelist_queries(client)
    assert _action_changelist_queries(client) < 20
    plan = ActionPlan.objects.get(partnership__slug="exampleshire", status="active")
    priority = plan.priorities.first()
    issue = priority.issues.first()
    action = issue.actions.first()
    for obj in (plan, priority, issue, action):
        assert client.get(_url(type(obj), "change", obj.pk)).status_code == 200
    assert client.get(_url(Action, "changelist"), {"q": "knife"}).status_code == 200


def _action_form(action, team, **overrides):
    """The admin's change form of ``action`` as posted, with its updates inline untouched."""
    today = timezone.localdate().isoformat()
    data = {
        "issue": action.issue_id,
        "text": action.text,
        "order": action.order,
        "owner_teams": [team.pk],
        "status": "open",
        "created_at_0": today,
        "created_at_1": "09:00:00",
        "loaded_version": action.version,
        "updates-TOTAL_FORMS": 0,
        "updates-INITIAL_FORMS": 0,
    }
    return data | overrides


def test_the_updates_inline_on_the_action_page_is_read_only(client_for, superuser, action):
    action_add_update(action=action, text="Started.", rag=Rag.AMBER)
    response = client_for(superuser).get(_url(Action, "change", action.pk))
    assert response.status_code == 200
    assert "Started." in response.text
    assert 'name="updates-0-text"' not in response.text
    assert 'name="updates-0-DELETE"' not in response.text
    assert f'name="loaded_version" value="{action.version}"' in response.text  # for the version check


def test_the_updates_inline_neither_deletes_nor_changes_an_update(client_for, superuser, action, team):
    update = action_add_update(action=action, text="Started.", rag=Rag.AMBER)
    data = _action_form(
        action,
        team,
        **{
            "updates-TOTAL_FORMS": 1,
            "updates-INITIAL_FORMS": 1,
            "updates-0-id": update.pk,
            "updates-0-action": action.pk,
            "updates-0-text": "Rewritten here.",
            "updates-0-rag": Rag.RED,
            "updates-0-DELETE": "on",
        },
    )
    response = client_for(superuser).post(_url(Action, "change", action.pk), data)
    assert response.status_code == 302
    update.refresh_from_db()
    action.refresh_from_db()
    assert (update.text, update.rag, update.is_deleted, action.rag) == ("Started.", Rag.AMBER, False, Rag.AMBER)


def test_the_update_admin_neither_changes_nor_deletes_an_update(client_for, superuser, action):
    update = action_add_update(action=action, text="Started.", rag=Rag.AMBER)
    client = client_for(superuser)
    changed = client.post(_url(ActionUpdate, "change", update.pk), {"text": "Rewritten", "rag": Rag.RED})
    deleted = client.post(_url(ActionUpdate, "delete", update.pk), {"post": "yes"})
    assert (changed.status_code, deleted.status_code) == (403, 403)
    update.refresh_from_db()
    assert (update.text, update.is_deleted) == ("Started.", False)
    assert client.get(_url(ActionUpdate, "change", update.pk)).status_code == 200  # still readable


def test_an_action_edited_in_the_admin_moves_the_version_on(client_for, superuser, action, team):
    response = client_for(superuser).post(_url(Action, "change", action.pk), _action_form(action, team, text="Admin"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.text, action.version) == ("Admin", 2)


def test_an_admin_form_opened_before_an_edit_in_the_app_is_refused(client_for, superuser, officer, action, team):
    from actions.services import action_edit

    opened = _action_form(action, team, text="Admin's words")
    action_edit(
        action=action,
        editor=officer,
        version=action.version,
        text="Officer's words",
        target_date=None,
        owner_teams=[team],
        owner_organisations=[],
        owner_groups=[],
    )
    response = client_for(superuser).post(_url(Action, "change", action.pk), opened)
    assert response.status_code == 200
    assert "Someone changed this action since this page was opened" in response.text
    action.refresh_from_db()
    assert action.text == "Officer's words"


def test_the_rating_cannot_be_set_by_hand_in_the_admin(client_for, superuser, action, team):
    response = client_for(superuser).post(_url(Action, "change", action.pk), _action_form(action, team, rag=Rag.RED))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.rag == Rag.NOT_RATED


def test_api_tokens_added_in_the_admin_get_a_token_shown_once(client_for, superuser, officer):
    client = client_for(superuser)
    for name in ("First feed", "Second feed"):
        response = client.post(_url(ApiToken, "add"), {"user": officer.pk, "name": name}, follow=True)
        assert response.status_code == 200
    tokens = list(ApiToken.objects.filter(user=officer))
    assert len({t.token_hash for t in tokens}) == 2
    raw = str(list(response.context["messages"])[0]).split(" is ")[1].split(".")[0]
    assert ApiToken.objects.get(token_hash=ApiToken.hash_token(raw)).name == "Second feed"


def test_invitations_added_in_the_admin_each_get_their_own_token(client_for, superuser, partnership):
    client = client_for(superuser)
    expires = timezone.now() + datetime.timedelta(days=7)
    for email in ("one@example.org", "two@example.org"):
        response = client.post(
            _url(Invitation, "add"),
            {
                "partnership": partnership.pk,
                "email": email,
                "role": Role.Kind.OFFICER,
                "expires_at_0": expires.date().isoformat(),
                "expires_at_1": "12:00:00",
            },
        )
        assert response.status_code == 302
    assert Invitation.objects.filter(invited_by=superuser).values("token_hash").distinct().count() == 2


def test_the_actions_inline_of_an_issue_carries_each_actions_version(client_for, superuser, action):
    response = client_for(superuser).get(_url(action.issue.__class__, "change", action.issue_id))
    assert response.status_code == 200
    assert f'name="actions-0-loaded_version" value="{action.version}"' in response.text
