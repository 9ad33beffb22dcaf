"""Update rounds (issue 13): opening, answering, signing off, the tracker, reminders, the
deadline close and the frozen pack. Time is controlled with time-machine; reminders go to a
real SMTP server in the test process (``smtp_server``)."""

import datetime
from io import StringIO

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import Action, ActionUpdate, Marking, Rag, Status
from actions.services import action_add_update
from partners.models import ReminderPreference, Role
from plans.models import MeetingPack, RoundSignOff, SentEmail, UpdateRound
from plans.rounds import NO_CHANGE_TEXT, round_answer_no_change, round_open, round_progress, round_sign_off
from tests import factories as f

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 10:00 in London: the round opens; the deadline is Friday 13 March, 17:00.
OPENED = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
DEADLINE = datetime.datetime(2026, 3, 13, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _pdf_in_process(settings):
    settings.PDF_RENDER_IN_PROCESS = True
    settings.SITE_URL = "https://csp.example.org"


@pytest.fixture
def clock():
    with time_machine.travel(OPENED, tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(clock, plan, issue, team, other_team, officer, other_officer, chair, admin, council, police, partnership):
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire RAG")
    group.members.add(police)
    meeting = f.MeetingFactory(
        partnership=partnership, group=group, title="RAG meeting", date=datetime.date(2026, 3, 20)
    )
    f.MeetingFactory(partnership=partnership, title="RAG meeting", date=datetime.date(2025, 12, 10))
    ours = [f.ActionFactory(issue=issue, text=f"Team action {n}", owner_teams=[team]) for n in (1, 2)]
    theirs = f.ActionFactory(issue=issue, text="SNT action", owner_teams=[other_team], rag=Rag.RED)
    joint = f.ActionFactory(issue=issue, text="Joint action", owner_teams=[team, other_team])
    closed = f.ActionFactory(issue=issue, text="Done already", owner_teams=[team], status=Status.COMPLETED)
    update_round = round_open(meeting=meeting, opened_by=chair, plans=[plan], deadline=DEADLINE, message="Thank you.")
    return {
        "round": update_round,
        "meeting": meeting,
        "ours": ours,
        "theirs": theirs,
        "joint": joint,
        "closed": closed,
        "group": group,
    }


def subject(message):
    return str(message["Subject"]).strip()


def send(*args):
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


# Opening a round -------------------------------------------------------------------------


def test_a_round_asks_about_the_open_actions_of_its_plans(world):
    asked = set(world["round"].actions.values_list("text", flat=True))
    assert asked == {"Team action 1", "Team action 2", "SNT action", "Joint action"}


def test_a_round_can_ask_only_about_red_and_amber_actions(world, plan, chair, partnership):
    meeting = f.MeetingFactory(partnership=partnership, date=datetime.date(2026, 6, 1))
    only_red = round_open(meeting=meeting, opened_by=chair, plans=[plan], deadline=DEADLINE, ratings=["red", "amber"])
    assert list(only_red.actions.values_list("text", flat=True)) == ["SNT action"]


def test_a_deadline_in_the_past_is_refused(world, plan, chair, partnership):
    meeting = f.MeetingFactory(partnership=partnership)
    with pytest.raises(ValidationError, match="future"):
        round_open(meeting=meeting, opened_by=chair, plans=[plan], deadline=OPENED - datetime.timedelta(hours=1))


def test_a_second_open_round_for_the_meeting_is_refused(world, plan, chair):
    with pytest.raises(ValidationError, match="already open"):
        round_open(meeting=world["meeting"], opened_by=chair, plans=[plan], deadline=DEADLINE)


# Answering ------------------------------------------------------------------------------


def test_no_change_records_a_dated_update_keeping_the_rating(world, officer):
    theirs = world["ours"][0]
    theirs.rag = Rag.AMBER
    theirs.save()
    update = round_answer_no_change(
        update_round=world["round"], action=theirs, author=officer, note="Waiting on funding."
    )
    assert (update.text, update.rag, update.date) == (
        f"{NO_CHANGE_TEXT} Waiting on funding.",
        Rag.AMBER,
        timezone.localdate(),
    )


def test_an_action_outside_the_round_cannot_be_answered_no_change(world, officer):
    with pytest.raises(ValidationError):
        round_answer_no_change(update_round=world["round"], action=world["closed"], author=officer)


def test_a_joint_action_is_answered_when_each_owning_team_has_answered(world, officer, other_officer):
    joint = world["joint"]
    action_add_update(action=joint, author=officer, text="Our part done.")
    first = {line.action.pk: line.answered for line in round_progress(world["round"]).lines}[joint.pk]
    action_add_update(action=joint, author=other_officer, text="Our part done too.")
    second = {line.action.pk: line.answered for line in round_progress(world["round"]).lines}[joint.pk]
    assert (first, second) == (False, True)


def test_an_update_before_the_round_opened_does_not_answer(world, officer):
    f.UpdateFactory(
        action=world["ours"][0],
        author=officer,
        date=datetime.date(2026, 2, 20),
        written_on=datetime.date(2026, 2, 20),
        created_at=OPENED - datetime.timedelta(days=10),
    )
    progress = round_progress(world["round"])
    assert progress.answered == 0


def test_an_administrator_answers_on_behalf_of_every_owning_team(world, admin):
    action_add_update(action=world["joint"], author=admin, text="Both teams report no change.")
    assert round_progress(world["round"]).answered == 1


def test_sign_off_is_refused_listing_what_is_unanswered(world, officer):
    round_answer_no_change(update_round=world["round"], action=world["ours"][0], author=officer)
    with pytest.raises(ValidationError) as refused:
        round_sign_off(update_round=world["round"], user=officer)
    assert "Team action 2" in refused.value.messages[0]
    assert "Team action 1" not in refused.value.messages[0]


def test_sign_off_once_all_are_answered(world, officer, other_officer):
    for action in [*world["ours"], world["joint"]]:
        round_answer_no_change(update_round=world["round"], action=action, author=officer)
    round_sign_off(update_round=world["round"], user=officer)
    person = round_progress(world["round"]).person(officer.pk)
    assert person.signed_off_at == timezone.now()
    assert round_progress(world["round"]).person(other_officer.pk).signed_off_at is None


# Tracker: per team and per person, in a fixed number of queries ------------------------------


def _grow(world, partnership, plan, n):
    """``n`` more actions, each with its own team and officer, in the round."""
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan))
    org = f.OrganisationFactory()
    for _ in range(n):
        team = f.TeamFactory(organisation=org, partnership=partnership)
        user = f.UserFactory(teams=[team])
        f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.OFFICER)
        action = f.ActionFactory(issue=issue, owner_teams=[team], owner_organisations=[org])
        world["round"].actions.add(action)
        action_add_update(action=action, author=user, text="Done.")


def _tracker_queries(client, round_url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(round_url)
    assert response.status_code == 200
    return len(queries)


def test_the_tracker_runs_as_many_queries_for_many_actions_and_owners(world, client_for, chair, partnership, plan):
    client = client_for(chair)
    url = reverse("plans:round", args=[plan.slug, world["round"].pk])
    _grow(world, partnership, plan, 2)
    few = _tracker_queries(client, url)
    _grow(world, partnership, plan, 12)
    many = _tracker_queries(client, url)
    assert few == many


def test_the_tracker_shows_teams_people_and_sign_offs(world, client_for, chair, officer, plan):
    for action in [*world["ours"], world["joint"]]:
        round_answer_no_change(update_round=world["round"], action=action, author=officer)
    round_sign_off(update_round=world["round"], user=officer)
    page = client_for(chair).get(reverse("plans:round", args=[plan.slug, world["round"].pk])).content.decode()
    assert "Testshire Community Safety Team" in page
    assert "Signed off" in page
    assert "2 of 4 actions" in page  # the joint action waits for the SNT


def test_the_tracker_shows_the_monitoring_quality_per_team_to_the_chair(world, client_for, chair, plan):
    page = client_for(chair).get(reverse("plans:round", args=[plan.slug, world["round"].pk])).content.decode()
    assert "Monitoring quality" in page
    assert "Well-monitored open actions by owning team" in page


def test_an_officer_may_not_see_the_tracker(world, client_for, officer, plan):
    response = client_for(officer).get(reverse("plans:round", args=[plan.slug, world["round"].pk]))
    assert response.status_code == 403


# Reminders: one digest per person, never twice, at most one a day -----------------------


def test_the_opening_digest_reaches_each_owner_once_over_real_smtp(world, smtp_server, officer, other_officer):
    output = send()
    again = send()
    assert output.strip().endswith("Sent 2 emails to 2 people")
    assert again.strip().endswith("Sent 0 emails to 0 people")
    assert sorted(m["To"] for m in smtp_server.messages) == sorted([officer.email, other_officer.email])


def test_the_digest_lists_each_action_with_its_rating_and_links(world, smtp_server, officer, plan):
    send()
    message = next(m for m in smtp_server.messages if m["To"] == officer.email)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert subject(message) == "Testshire CSP needs your updates by Friday 13 March 2026: 3 actions"
    action = world["ours"][0]
    assert f"https://csp.example.org/actions/{action.pk}/#add-update" in text
    no_change = reverse("plans:round_no_change", args=[plan.slug, world["round"].pk, action.pk])
    assert f"https://csp.example.org{no_change}" in html
    assert "Current rating: Not yet rated" in text
    assert "Testshire Community Safety Partnership" in html
    assert "cannot be switched off" in text
    assert message["List-Unsubscribe"] is None  # a round request is not optional


def test_a_digest_never_carries_the_text_of_an_official_sensitive_action(world, smtp_server, officer):
    """Email leaves the app: an OFFICIAL-SENSITIVE action is named by its marking only."""
    action = world["ours"][0]
    Action.objects.filter(pk=action.pk).update(
        marking=Marking.OFFICIAL_SENSITIVE, text="Operation Nightjar at the depot"
    )
    send()
    message = next(m for m in smtp_server.messages if m["To"] == officer.email)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Team action 2" in text  # the right digest, with its OFFICIAL actions
    assert "An OFFICIAL-SENSITIVE action: sign in to read it" in text
    assert "Nightjar" not in text
    assert "Nightjar" not in html


def test_the_tracker_shows_a_sensitive_action_to_the_chair_who_may_read_it(world, client_for, chair, plan):
    action = world["ours"][0]
    Action.objects.filter(pk=action.pk).update(
        marking=Marking.OFFICIAL_SENSITIVE, text="Operation Nightjar at the depot"
    )
    tracker = reverse("plans:round", args=[plan.slug, world["round"].pk])
    response = client_for(chair).get(tracker)
    assert response.status_code == 200
    assert "Operation Nightjar" in response.text  # the chair may read it


def test_the_links_work_on_the_site(world, smtp_server, officer, client_for):
    send()
    text = next(m for m in smtp_server.messages if m["To"] == officer.email).get_body(("plain",)).get_content()
    client = client_for(officer)
    paths = [
        line.split("https://csp.example.org", 1)[1].split("#")[0] for line in text.splitlines() if "https://csp" in line
    ]
    assert paths and {client.get(path).status_code for path in paths} == {200}


def test_dry_run_says_what_it_would_send_and_sends_nothing(world, smtp_server, officer):
    output = send("--dry-run")
    assert f"Would send to {officer.email}" in output
    assert output.strip().endswith("Would send 2 emails to 2 people")
    assert smtp_server.messages == []
    assert not SentEmail.objects.exists()


def test_the_reminder_before_the_deadline_goes_to_those_still_owing(world, smtp_server, clock, officer, other_officer):
    send()
    for action in [*world["ours"], world["joint"]]:
        round_answer_no_change(update_round=world["round"], action=action, author=officer)
    clock.move_to(DEADLINE - datetime.timedelta(days=7))
    send()
    later = smtp_server.messages[2:]
    assert [m["To"] for m in later] == [other_officer.email]
    assert subject(later[0]).startswith("Reminder: Testshire CSP needs your updates")


def test_nobody_gets_two_reminders_in_a_day(world, smtp_server, client_for, chair, plan):
    send()
    response = client_for(chair).post(reverse("plans:round_chase", args=[plan.slug, world["round"].pk]))
    assert response.status_code == 302
    assert len(smtp_server.messages) == 2
    assert SentEmail.objects.filter(kind=SentEmail.Kind.CHASE).count() == 0


def test_the_chase_the_next_day_reaches_those_still_owing(world, smtp_server, clock, client_for, chair, plan):
    send()
    clock.move_to(OPENED + datetime.timedelta(days=1))
    client_for(chair).post(reverse("plans:round_chase", args=[plan.slug, world["round"].pk]))
    assert len(smtp_server.messages) == 4
    assert SentEmail.objects.filter(kind=SentEmail.Kind.CHASE).count() == 2


def test_a_failed_send_is_tried_again_on_the_next_run(world, settings, smtp_server):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"port": 1}}}
    send()
    assert not SentEmail.objects.exists()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": smtp_server.port},
        }
    }
    assert send().strip().endswith("Sent 2 emails to 2 people")


# The deadline: the round closes itself and the pack is frozen ------------------------------


def test_at_the_deadline_the_round_closes_and_the_pack_goes_to_the_chair_and_group(
    world, smtp_server, clock, chair, admin, other_officer, officer
):
    send()
    clock.move_to(DEADLINE + datetime.timedelta(minutes=5))
    output = send()
    update_round = UpdateRound.objects.get()
    pack = update_round.packs.get()
    pack_mails = [m for m in smtp_server.messages[2:] if "pack" in subject(m)]
    assert "Closed Update round" in output
    assert (update_round.state, pack.state, pack.options["meeting_mode"]) == ("closed", MeetingPack.State.DONE, True)
    # chairs and admins, and the people of the group's organisations (the police's SNT officer)
    assert sorted(m["To"] for m in pack_mails) == sorted([chair.email, admin.email, other_officer.email])
    body = pack_mails[0].get_body(("plain",)).get_content()
    assert f"https://csp.example.org{pack.get_absolute_url()}" in body
    assert "Protective marking: OFFICIAL" in body
    assert not any(part.get_filename() for m in pack_mails for part in m.walk())  # never the PDF


def test_two_runs_at_the_deadline_freeze_one_pack(world, smtp_server, clock):
    clock.move_to(DEADLINE + datetime.timedelta(minutes=5))
    send()
    send()
    assert MeetingPack.objects.count() == 1


def test_the_morning_after_the_deadline_those_still_owing_are_reminded_alone(
    world, smtp_server, clock, officer, other_officer
):
    for action in [*world["ours"], world["joint"]]:
        round_answer_no_change(update_round=world["round"], action=action, author=officer)
    clock.move_to(DEADLINE + datetime.timedelta(minutes=5))
    send()
    before = len(smtp_server.messages)
    clock.move_to(datetime.datetime(2026, 3, 14, 8, 30, tzinfo=datetime.UTC))
    send()
    missed = smtp_server.messages[before:]
    assert [m["To"] for m in missed] == [other_officer.email]
    assert missed[0]["Cc"] is None
    assert "deadline for updates has passed" in subject(missed[0])


def test_an_update_after_the_close_is_shown_late(world, clock, other_officer):
    clock.move_to(DEADLINE + datetime.timedelta(minutes=5))
    send()
    clock.move_to(DEADLINE + datetime.timedelta(days=1))
    action_add_update(action=world["theirs"], author=other_officer, text="Sorry, late.")
    update_round = UpdateRound.objects.get()
    progress = round_progress(update_round)
    assert (progress.answered, progress.late) == (1, 1)


def test_the_next_pack_flags_the_updates_that_came_late_for_the_previous_round(
    world, clock, other_officer, chair, plan, partnership, admin
):
    from plans.pdf.data import load_plan_data
    from plans.pdf.html import build_html
    from plans.pdf.options import PdfOptions

    clock.move_to(DEADLINE + datetime.timedelta(minutes=5))
    send()
    clock.move_to(DEADLINE + datetime.timedelta(days=2))
    late = action_add_update(action=world["theirs"], author=other_officer, text="Sorry, late.")
    clock.move_to(DEADLINE + datetime.timedelta(days=30))
    meeting = f.MeetingFactory(partnership=partnership, title="RAG meeting", date=datetime.date(2026, 6, 1))
    second = round_open(meeting=meeting, opened_by=chair, plans=[plan], deadline=DEADLINE + datetime.timedelta(days=40))
    clock.move_to(DEADLINE + datetime.timedelta(days=41))
    send()
    options = second.packs.get().options
    html = build_html(load_plan_data(plan, PdfOptions.from_dict(options), user=admin))
    assert options["extra"] == {"late_update_ids": [late.pk], "late_for": "RAG meeting (20 March 2026)"}
    assert "Late for RAG meeting (20 March 2026)" in html


# Weekly digests of stale actions ------------------------------------------------------------


def test_the_weekly_digest_goes_to_owners_of_stale_actions_with_list_unsubscribe(
    smtp_server, officer, action, other_officer
):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        ActionUpdate.objects.all().delete()
        action.created_at = timezone.now() - datetime.timedelta(days=100)
        action.save()
        send()
        send()
    assert [m["To"] for m in smtp_server.messages] == [officer.email]
    assert smtp_server.messages[0]["List-Unsubscribe"] == "<https://csp.example.org/partners/reminders/>"


def test_no_weekly_digest_for_those_who_chose_none(smtp_server, officer, action, client_for):
    response = client_for(officer).post(reverse("partners:reminders"), {"stale_digest": "none"})
    assert response.status_code == 302
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        action.created_at = timezone.now() - datetime.timedelta(days=100)
        action.save()
        send()
    assert smtp_server.messages == []
    assert ReminderPreference.digest_for(officer) == "none"


# The pages ------------------------------------------------------------------------------------


def _open_form(plan, **changes):
    data = {
        "plans": [plan.pk],
        "priority": "",
        "deadline_date": "2026-03-13",
        "deadline_time": "17:00",
        "reminder_days": "7, 2",
        "message": "Please update before the RAG.",
    }
    return data | changes


@pytest.fixture
def meeting(clock, partnership):
    return f.MeetingFactory(partnership=partnership, title="RAG meeting", date=datetime.date(2026, 3, 20))


def test_the_chair_opens_a_round_from_the_meeting(client_for, chair, plan, meeting, action):
    response = client_for(chair).post(reverse("plans:round_open", args=[plan.slug, meeting.pk]), _open_form(plan))
    update_round = UpdateRound.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:round", args=[plan.slug, update_round.pk])
    assert (update_round.reminder_days, list(update_round.actions.all())) == ([7, 2], [action])


def test_the_meeting_page_offers_to_open_a_round(client_for, chair, plan, meeting, action):
    page = client_for(chair).get(reverse("plans:meeting", args=[plan.slug, meeting.pk])).content.decode()
    assert reverse("plans:round_open", args=[plan.slug, meeting.pk]) in page


@pytest.mark.parametrize(
    "changes",
    [{"deadline_date": "2026-02-01"}, {"deadline_date": ""}, {"reminder_days": "seven"}, {"plans": []}],
    ids=["past", "missing", "not-numbers", "no-plan"],
)
def test_bad_input_shows_the_form_again(client_for, chair, plan, meeting, action, changes):
    response = client_for(chair).post(
        reverse("plans:round_open", args=[plan.slug, meeting.pk]), _open_form(plan, **changes)
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not UpdateRound.objects.exists()


def test_an_officer_may_not_open_a_round(client_for, officer, plan, meeting, action):
    response = client_for(officer).post(reverse("plans:round_open", args=[plan.slug, meeting.pk]), _open_form(plan))
    assert response.status_code == 403


def test_the_officer_answers_no_change_through_the_page(world, client_for, officer, plan):
    action = world["ours"][0]
    url = reverse("plans:round_no_change", args=[plan.slug, world["round"].pk, action.pk])
    response = client_for(officer).post(url, {"note": ""})
    assert response.status_code == 302
    assert action.updates.get().text == NO_CHANGE_TEXT


def test_an_officer_of_another_team_may_not_answer_for_it(world, client_for, other_officer, plan):
    url = reverse("plans:round_no_change", args=[plan.slug, world["round"].pk, world["ours"][0].pk])
    assert client_for(other_officer).post(url, {"note": ""}).status_code == 403


def test_sign_off_page_refuses_with_the_list(world, client_for, officer, plan):
    response = client_for(officer).post(reverse("plans:round_sign_off", args=[plan.slug, world["round"].pk]))
    assert response.status_code == 400
    assert "Team action 1" in response.content.decode()
    assert not RoundSignOff.objects.exists()


def test_the_chair_extends_the_deadline_and_the_owners_are_told(world, smtp_server, client_for, chair, plan):
    url = reverse("plans:round_extend", args=[plan.slug, world["round"].pk])
    response = client_for(chair).post(url, {"deadline_date": "2026-03-17", "deadline_time": "12:00"})
    assert response.status_code == 302
    assert UpdateRound.objects.get().deadline == datetime.datetime(2026, 3, 17, 12, 0, tzinfo=datetime.UTC)
    assert len(smtp_server.messages) == 2
    assert "deadline for updates is now Tuesday 17 March 2026" in subject(smtp_server.messages[0])


def test_a_deadline_in_the_past_is_refused_on_extending(world, client_for, chair, plan):
    url = reverse("plans:round_extend", args=[plan.slug, world["round"].pk])
    assert client_for(chair).post(url, {"deadline_date": "2026-03-01"}).status_code == 400


def test_the_chair_closes_early_and_the_pack_is_frozen(world, smtp_server, client_for, chair, plan):
    response = client_for(chair).post(reverse("plans:round_close", args=[plan.slug, world["round"].pk]))
    update_round = UpdateRound.objects.get()
    assert response.status_code == 302
    assert (update_round.state, update_round.closed_by, update_round.packs.count()) == ("closed", chair, 1)
    assert {subject(m) for m in smtp_server.messages} == {
        "Testshire CSP: the update round for RAG meeting (20 March 2026) has closed"
    }


def test_the_plan_dashboard_shows_the_open_rounds_progress(world, client_for, officer, plan):
    round_answer_no_change(update_round=world["round"], action=world["ours"][0], author=officer)
    page = client_for(officer).get(reverse("plans:dashboard", args=[plan.slug])).content.decode()
    assert "Updates for RAG meeting" in page
    assert "1 of 4 actions answered" in page


def test_the_account_page_shows_and_links_the_email_choice(client_for, officer):
    page = client_for(officer).get(reverse("account")).content.decode()
    assert reverse("partners:reminders") in page
    assert "weekly summary" in page


def test_bad_input_on_the_email_choice_is_refused(client_for, officer):
    response = client_for(officer).post(reverse("partners:reminders"), {"stale_digest": "daily"})
    assert response.status_code == 400
    assert not ReminderPreference.objects.exists()


def test_my_actions_points_the_officer_to_the_open_round(world, client_for, officer, plan):
    page = client_for(officer).get(reverse("actions:mine")).content.decode()
    assert reverse("plans:round_mine", args=[plan.slug, world["round"].pk]) in page
    assert "Update your actions before RAG meeting (20 March 2026)" in page
