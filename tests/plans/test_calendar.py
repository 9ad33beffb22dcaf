"""The statutory calendar (issue 16): duties by month, added, changed, removed and marked
done by the right people, next year's offered, the .ics feed behind a secret address, and the
owners' reminders (once a date)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from partners.models import Role
from plans import calendar_services as services
from plans.calendar_models import CalendarFeedToken, StatutoryDuty
from plans.models import SentEmail, UpdateRound
from plans.reminders import send_due
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 2)
NOW = datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC)
Kind = StatutoryDuty.Kind


@pytest.fixture(autouse=True)
def clock(settings):
    settings.SITE_URL = "https://csp.example.org"
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def duties(partnership, officer, chair):
    """A done, an overdue and an upcoming duty, the upcoming one owned by the officer."""
    return {
        "done": f.StatutoryDutyFactory(
            partnership=partnership,
            kind=Kind.SCRUTINY_REVIEW,
            title="Scrutiny committee review 2026-27",
            due_date=datetime.date(2026, 10, 31),
            done_on=datetime.date(2026, 10, 20),
            done_by=chair,
            evidence="https://example.org/minutes/20-october",
        ),
        "overdue": f.StatutoryDutyFactory(
            partnership=partnership, title="Domestic abuse needs assessment", due_date=datetime.date(2026, 10, 15)
        ),
        "upcoming": f.StatutoryDutyFactory(
            partnership=partnership,
            kind=Kind.STRATEGIC_ASSESSMENT,
            title="Strategic assessment 2026-27",
            due_date=datetime.date(2026, 12, 31),
            owner=officer,
            notes="Analyst starts in November.",
        ),
    }


def _calendar(client, partnership, **query):
    return client.get(reverse("plans:calendar", args=[partnership.slug]), query)


# The calendar page ---------------------------------------------------------------------------


def test_a_member_sees_the_duties_by_month_with_their_states_in_words(client_for, officer, partnership, duties):
    response = _calendar(client_for(officer), partnership)
    assert response.status_code == 200
    months = [month for month, _ in response.context["months"]]
    assert months == ["October 2026", "December 2026"]
    html = response.text
    assert "Overdue</strong>" in html and "Done</strong>" in html and "Due</strong>" in html
    assert "Done on 20 October 2026" in html
    assert "Evidence: https://example.org/minutes/20-october" in html
    assert "1 duty is overdue" in html


def test_an_outsider_does_not_find_the_calendar(client_for, outsider, partnership, duties):
    assert _calendar(client_for(outsider), partnership).status_code == 404


def test_the_overdue_filter_lists_only_duties_past_their_date_and_not_done(client_for, chair, partnership, duties):
    response = _calendar(client_for(chair), partnership, show="overdue")
    assert response.status_code == 200
    titles = [e.title for _, entries in response.context["months"] for e in entries]
    assert titles == ["Domestic abuse needs assessment"]


def test_the_done_and_upcoming_filters(client_for, chair, partnership, duties):
    done = _calendar(client_for(chair), partnership, show="done").context["months"]
    assert [e.title for _, entries in done for e in entries] == ["Scrutiny committee review 2026-27"]
    upcoming = _calendar(client_for(chair), partnership, show="upcoming").context["months"]
    assert [e.title for _, entries in upcoming for e in entries] == ["Strategic assessment 2026-27"]


def test_an_unknown_filter_or_year_shows_this_plan_year(client_for, chair, partnership, duties):
    response = _calendar(client_for(chair), partnership, show="<script>", year="next")
    assert response.status_code == 200
    assert response.context["show"] == "all" and response.context["year"] == 2026
    assert "<script>" not in response.text


def test_another_plan_year_shows_its_own_duties(client_for, chair, partnership, duties):
    response = _calendar(client_for(chair), partnership, year="2027")
    assert response.context["months"] == []
    assert "Plan year 2027 to 2028" in response.text


def test_update_deadlines_and_meetings_appear_too(client_for, officer, partnership, duties):
    meeting = f.MeetingFactory(partnership=partnership, title="RAG meeting", date=datetime.date(2026, 12, 10))
    UpdateRound.objects.create(meeting=meeting, deadline=datetime.datetime(2026, 12, 3, 17, tzinfo=datetime.UTC))
    entries = [e for _, month in _calendar(client_for(officer), partnership).context["months"] for e in month]
    assert [(e.date.isoformat(), e.source) for e in entries if e.source != "duty"] == [
        ("2026-12-03", "round"),
        ("2026-12-10", "meeting"),
    ]


@pytest.fixture
def reviews(partnership):
    """Open reviews at each step of the timetable, and a published one (no milestones)."""
    return {
        "waiting": f.ReviewFactory(
            partnership=partnership, reference="DHR 2026/02", notified_on=datetime.date(2026, 9, 20)
        ),
        "deciding": f.ReviewFactory(
            partnership=partnership, reference="DHR 2026/03", notified_on=datetime.date(2026, 10, 31)
        ),
        "commissioned": f.ReviewFactory(
            partnership=partnership,
            reference="DHR 2026/01",
            status="commissioned",
            notified_on=datetime.date(2026, 5, 1),
            commissioned_on=datetime.date(2026, 6, 10),
        ),
        "published": f.ReviewFactory(
            partnership=partnership,
            reference="DHR 2024/01",
            status="published",
            notified_on=datetime.date(2026, 4, 1),
            commissioned_on=datetime.date(2026, 4, 20),
        ),
    }


def _review_entries(client, partnership, **query):
    months = _calendar(client, partnership, **query).context["months"]
    return [(e.date.isoformat(), e.title, e.state) for _, month in months for e in month if e.source == "review"]


def test_open_reviews_show_their_statutory_milestones_with_the_reference_only(
    client_for, officer, partnership, reviews
):
    entries = _review_entries(client_for(officer), partnership, year=2026)
    assert entries == [
        ("2026-06-01", "DHR 2026/01: decide whether to review", "done_late"),
        ("2026-10-20", "DHR 2026/02: decide whether to review", "overdue"),
        ("2026-11-30", "DHR 2026/03: decide whether to review", "due"),
        ("2026-12-10", "DHR 2026/01: review report due", "due"),
    ]
    page = _calendar(client_for(officer), partnership, year=2026).text
    assert "DHR 2026/03: decide whether to review" in page
    assert reviews["deciding"].title not in page  # the family's details stay on the review's pages
    assert "DHR 2024/01" not in page  # published: nothing left to do


def test_review_milestones_follow_the_filters(client_for, officer, partnership, reviews):
    client = client_for(officer)
    overdue = _review_entries(client, partnership, show="overdue")
    assert [title for _, title, _ in overdue] == ["DHR 2026/02: decide whether to review"]
    upcoming = _review_entries(client, partnership, show="upcoming")
    assert [title for _, title, _ in upcoming] == [
        "DHR 2026/03: decide whether to review",
        "DHR 2026/01: review report due",
    ]
    assert [title for _, title, _ in _review_entries(client, partnership, show="done")] == [
        "DHR 2026/01: decide whether to review"
    ]


def test_the_feed_carries_review_milestones_without_their_details(client, client_for, officer, partnership, reviews):
    url = _subscribe(client_for(officer), partnership)
    client.logout()
    events = _events(client.get(url))
    event = events[f"review-{reviews['deciding'].pk}-decision@csp.example.org"]
    assert event.decoded("dtstart") == datetime.date(2026, 11, 30)
    assert "DHR 2026/03" in str(event["summary"])
    assert reviews["deciding"].title.encode() not in client.get(url).content


def test_a_month_later_keeps_within_the_month():
    from plans.calendar_entries import _months_after

    assert _months_after(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert _months_after(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert _months_after(datetime.date(2026, 11, 15), 1) == datetime.date(2026, 12, 15)


def test_only_admins_and_the_owner_are_offered_to_mark_a_duty_done(
    client_for, officer, other_officer, partnership, duties
):
    done_url = reverse("plans:duty_done", args=[partnership.slug, duties["upcoming"].pk])
    edit_url = reverse("plans:duty_edit", args=[partnership.slug, duties["upcoming"].pk])
    owner_page = _calendar(client_for(officer), partnership).text
    assert done_url in owner_page and edit_url not in owner_page
    other_page = _calendar(client_for(other_officer), partnership).text
    assert "Strategic assessment 2026-27" in other_page and done_url not in other_page


def _page_queries(client, partnership):
    with CaptureQueriesContext(connection) as queries:
        assert _calendar(client, partnership).status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_with_the_number_of_entries(client_for, admin, officer, partnership):
    client = client_for(admin)
    for n in range(2):
        f.StatutoryDutyFactory(partnership=partnership, owner=officer, due_date=datetime.date(2026, 5, 1 + n))
    f.MeetingFactory(partnership=partnership, date=datetime.date(2026, 6, 1))
    few = _page_queries(client, partnership)
    for n in range(12):
        f.StatutoryDutyFactory(
            partnership=partnership, owner=officer, due_date=datetime.date(2026, 7, 1 + n), done_on=TODAY, done_by=admin
        )
        f.MeetingFactory(partnership=partnership, date=datetime.date(2026, 8, 1 + n))
    assert _page_queries(client, partnership) == few


# Adding, changing, removing ------------------------------------------------------------------


def test_an_admin_adds_a_duty_with_an_owner(client_for, admin, officer, partnership):
    response = client_for(admin).post(
        reverse("plans:duty_add", args=[partnership.slug]),
        {"kind": Kind.PLAN_TO_PCC, "title": "Plan to the PCC", "due_date": "30/4/2027", "owner": officer.pk},
    )
    duty = StatutoryDuty.objects.get()
    assert response.status_code == 302
    assert (duty.partnership, duty.due_date, duty.owner) == (partnership, datetime.date(2027, 4, 30), officer)
    assert duty.history.count() == 1


def test_a_duty_form_without_its_fields_says_what_to_enter(client_for, admin, partnership):
    response = client_for(admin).post(reverse("plans:duty_add", args=[partnership.slug]), {"title": ""})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Enter the due date" in response.text
    assert not StatutoryDuty.objects.exists()


def test_the_owner_must_be_a_member_of_the_partnership(client_for, admin, outsider, partnership):
    response = client_for(admin).post(
        reverse("plans:duty_add", args=[partnership.slug]),
        {"kind": Kind.OTHER, "title": "Something", "due_date": "1/2/2027", "owner": outsider.pk},
    )
    assert response.status_code == 400
    assert "Choose the owner from the list" in response.text


def test_a_standard_duty_twice_on_one_date_is_refused_with_a_message(client_for, admin, partnership, duties):
    response = client_for(admin).post(
        reverse("plans:duty_add", args=[partnership.slug]),
        {"kind": Kind.STRATEGIC_ASSESSMENT, "title": "Again", "due_date": "31/12/2026"},
    )
    assert response.status_code == 400
    assert "A duty of this kind is already due on that date" in response.text


def test_officers_and_chairs_may_not_add_change_or_remove_duties(client_for, officer, chair, partnership, duties):
    pk = duties["upcoming"].pk
    for user in (officer, chair):
        client = client_for(user)
        assert client.get(reverse("plans:duty_add", args=[partnership.slug])).status_code == 403
        assert client.post(reverse("plans:duty_edit", args=[partnership.slug, pk]), {}).status_code == 403
        assert client.post(reverse("plans:duty_delete", args=[partnership.slug, pk])).status_code == 403
    assert StatutoryDuty.objects.filter(pk=pk).exists()


def test_an_admin_changes_the_date_and_removes_a_duty(client_for, admin, officer, partnership, duties):
    client = client_for(admin)
    duty = duties["upcoming"]
    response = client.post(
        reverse("plans:duty_edit", args=[partnership.slug, duty.pk]),
        {"kind": duty.kind, "title": duty.title, "due_date": "15/1/2027", "owner": officer.pk},
    )
    assert response.status_code == 302
    duty.refresh_from_db()
    assert duty.due_date == datetime.date(2027, 1, 15)
    assert client.post(reverse("plans:duty_delete", args=[partnership.slug, duty.pk])).status_code == 302
    assert not StatutoryDuty.objects.filter(pk=duty.pk).exists()


def test_this_years_duties_are_added_once_with_their_default_dates(client_for, admin, partnership):
    client = client_for(admin)
    url = reverse("plans:duties_defaults", args=[partnership.slug])
    page = client.get(url)
    assert page.status_code == 200 and "31 December 2026" in page.text
    assert client.post(url, {"year": "2026"}).status_code == 302
    dates = dict(StatutoryDuty.objects.values_list("kind", "due_date"))
    assert dates == {
        Kind.STRATEGIC_ASSESSMENT: datetime.date(2026, 12, 31),
        Kind.SCRUTINY_REVIEW: datetime.date(2026, 10, 31),
        Kind.SERIOUS_VIOLENCE_STRATEGY_REVIEW: datetime.date(2027, 1, 31),
        Kind.PLAN_REFRESH: datetime.date(2027, 3, 31),
        Kind.PLAN_TO_PCC: datetime.date(2027, 4, 30),
    }
    StatutoryDuty.objects.filter(kind=Kind.PLAN_REFRESH).update(due_date=datetime.date(2027, 2, 28))
    client.post(url, {"year": "2026"})
    assert StatutoryDuty.objects.count() == 5


def test_a_year_out_of_range_for_the_defaults_is_explained(client_for, admin, partnership):
    response = client_for(admin).post(reverse("plans:duties_defaults", args=[partnership.slug]), {"year": "1850"})
    assert response.status_code == 400
    assert "must be 1998 or more" in response.text


# Marking done, next year's ---------------------------------------------------------------------


def _done(client, duty, **data):
    return client.post(reverse("plans:duty_done", args=[duty.partnership.slug, duty.pk]), data)


def test_the_owner_marks_a_duty_done_with_evidence_and_is_offered_next_years(client_for, officer, duties):
    duty = duties["upcoming"]
    response = _done(client_for(officer), duty, done_on="1/11/2026", evidence="www.example.org/minutes")
    assert response["Location"] == reverse("plans:duty_repeat", args=[duty.partnership.slug, duty.pk])
    duty.refresh_from_db()
    assert (duty.done_on, duty.done_by, duty.evidence) == (
        datetime.date(2026, 11, 1),
        officer,
        "https://www.example.org/minutes",
    )
    offer = client_for(officer).get(response["Location"])
    assert "Friday 31 December 2027" in offer.text


def test_next_years_duty_is_added_once_with_its_years_moved_on(client_for, officer, duties):
    duty = duties["upcoming"]
    url = reverse("plans:duty_repeat", args=[duty.partnership.slug, duty.pk])
    client_for(officer).post(url)
    client_for(officer).post(url)
    following = StatutoryDuty.objects.get(due_date=datetime.date(2027, 12, 31))
    assert (following.title, following.owner, following.done_on) == ("Strategic assessment 2027-28", officer, None)


def test_an_admin_may_mark_any_duty_done_but_another_officer_not(client_for, admin, other_officer, duties):
    assert _done(client_for(other_officer), duties["upcoming"], done_on="1/11/2026").status_code == 403
    assert _done(client_for(admin), duties["overdue"], done_on="1/11/2026", evidence="Board minutes").status_code == 302
    assert StatutoryDuty.objects.get(pk=duties["overdue"].pk).evidence == "Board minutes"


@pytest.mark.parametrize(
    ("evidence", "message"),
    [
        ("javascript:alert(1)", "must be a web address starting with https://"),
        ("file:///etc/passwd", "must be a web address starting with https://"),
        ("x" * 501, "Evidence must be 500 characters or fewer"),
    ],
)
def test_evidence_that_is_a_link_must_be_a_web_address(client_for, officer, duties, evidence, message):
    response = _done(client_for(officer), duties["upcoming"], done_on="1/11/2026", evidence=evidence)
    assert response.status_code == 400
    assert message in response.text
    assert StatutoryDuty.objects.get(pk=duties["upcoming"].pk).done_on is None


def test_a_duty_cannot_be_done_in_the_future(client_for, officer, duties):
    response = _done(client_for(officer), duties["upcoming"], done_on="3/11/2026")
    assert response.status_code == 400
    assert "must be today or in the past" in response.text


def _not_done(client, duty):
    return client.post(reverse("plans:duty_not_done", args=[duty.partnership.slug, duty.pk]))


def test_the_page_of_a_duty_done_offers_to_mark_it_as_not_done(client_for, admin, duties):
    duty = duties["done"]
    response = client_for(admin).get(reverse("plans:duty_done", args=[duty.partnership.slug, duty.pk]))
    assert "Change what was done: Scrutiny committee review 2026-27" in response.text
    assert reverse("plans:duty_not_done", args=[duty.partnership.slug, duty.pk]) in response.text


def test_a_duty_not_done_is_not_offered_to_be_undone(client_for, officer, duties):
    duty = duties["upcoming"]
    response = client_for(officer).get(reverse("plans:duty_done", args=[duty.partnership.slug, duty.pk]))
    assert "Mark as not done" not in response.text


def test_an_admin_marks_a_duty_as_not_done_and_its_history_keeps_what_was_done(client_for, admin, duties):
    duty = duties["done"]
    response = _not_done(client_for(admin), duty)
    assert response["Location"] == duty.get_absolute_url()
    duty.refresh_from_db()
    assert (duty.done_on, duty.done_by, duty.evidence) == (None, None, "")
    earlier = duty.history.all()[1]
    assert (earlier.done_on, earlier.evidence) == (
        datetime.date(2026, 10, 20),
        "https://example.org/minutes/20-october",
    )
    page = client_for(admin).get(response["Location"])
    assert "was marked as not done" in page.text


def test_the_owner_may_undo_their_duty_but_another_officer_or_a_chair_not(
    client_for, officer, other_officer, chair, duties
):
    duty = duties["upcoming"]
    services.duty_mark_done(duty=duty, user=officer, done_on=TODAY)
    assert _not_done(client_for(other_officer), duty).status_code == 403
    assert _not_done(client_for(chair), duty).status_code == 403
    assert StatutoryDuty.objects.get(pk=duty.pk).done_on == TODAY
    assert _not_done(client_for(officer), duty).status_code == 302
    assert StatutoryDuty.objects.get(pk=duty.pk).done_on is None


def test_undoing_a_duty_that_is_not_done_changes_nothing_and_says_so(client_for, admin, duties):
    duty = duties["overdue"]
    response = _not_done(client_for(admin), duty)
    assert "was not marked done: nothing was changed" in client_for(admin).get(response["Location"]).text
    assert duty.history.count() == 1


def test_another_partnerships_duty_is_not_found_when_undoing(client_for, outsider, admin, duties):
    assert _not_done(client_for(outsider), duties["done"]).status_code == 404
    other = f.StatutoryDutyFactory(done_on=TODAY)
    url = reverse("plans:duty_not_done", args=[duties["done"].partnership.slug, other.pk])
    assert client_for(admin).post(url).status_code == 404
    assert StatutoryDuty.objects.get(pk=other.pk).done_on == TODAY


def test_a_duty_undone_before_its_reminder_is_reminded_again(clock, officer, duties):
    duty = duties["upcoming"]
    services.duty_mark_done(duty=duty, user=officer, done_on=TODAY)
    services.duty_mark_not_done(duty=duty)
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert len(mail.outbox) == 1


def test_next_year_keeps_29_february_as_28_february(partnership):
    duty = f.StatutoryDutyFactory(partnership=partnership, due_date=datetime.date(2028, 2, 29))
    assert duty.next_due_date() == datetime.date(2029, 2, 28)


# The .ics feed ---------------------------------------------------------------------------------


def _subscribe(client, partnership):
    response = client.post(reverse("plans:calendar_subscribe", args=[partnership.slug]), {"do": "create"})
    assert response.status_code == 200
    return response.context["raw_url"].replace("http://testserver", "")


def _events(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return {str(e["uid"]): e for e in Calendar.from_ical(response.content).walk("VEVENT")}


def test_the_feed_holds_each_duty_as_an_all_day_event_with_a_stable_uid(client, client_for, officer, duties):
    partnership = duties["upcoming"].partnership
    url = _subscribe(client_for(officer), partnership)
    client.logout()
    events = _events(client.get(url))
    upcoming = events[f"duty-{duties['upcoming'].pk}@csp.example.org"]
    assert upcoming.decoded("dtstart") == datetime.date(2026, 12, 31)
    assert upcoming.decoded("dtend") == datetime.date(2027, 1, 1)
    assert str(upcoming["summary"]) == "Strategic assessment 2026-27"
    assert str(events[f"duty-{duties['overdue'].pk}@csp.example.org"]["summary"]).startswith("Overdue: ")
    assert str(events[f"duty-{duties['done'].pk}@csp.example.org"]["summary"]).startswith("Done: ")
    assert set(_events(client.get(url))) == set(events)
    assert b"Analyst starts in November" not in client.get(url).content


def test_a_wrong_revoked_or_replaced_address_is_not_found(client, client_for, officer, partnership, duties):
    first = _subscribe(client_for(officer), partnership)
    second = _subscribe(client_for(officer), partnership)
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert client.get(second.replace("cal_", "cal_x")).status_code == 404
    assert client.get(reverse("plans:calendar_feed", args=[partnership.slug])).status_code == 404
    client_for(officer).post(reverse("plans:calendar_subscribe", args=[partnership.slug]), {"do": "revoke"})
    client.logout()
    assert client.get(second).status_code == 404


def test_the_address_stops_working_when_its_owner_leaves_the_partnership(client, client_for, officer, partnership):
    url = _subscribe(client_for(officer), partnership)
    Role.objects.filter(user=officer, partnership=partnership).delete()
    officer.forget_cached_access()
    client.logout()
    assert client.get(url).status_code == 404


def test_an_address_does_not_open_another_partnerships_feed(
    client, client_for, officer, partnership, other_partnership
):
    url = _subscribe(client_for(officer), partnership)
    client.logout()
    assert client.get(url.replace(partnership.slug, other_partnership.slug)).status_code == 404


def test_the_subscription_page_shows_the_address_once(client_for, officer, partnership):
    client = client_for(officer)
    url = _subscribe(client, partnership)
    page = client.get(reverse("plans:calendar_subscribe", args=[partnership.slug]))
    assert page.status_code == 200 and "Subscribe to the calendar" in page.text
    assert url.split("token=")[1] not in page.text
    assert CalendarFeedToken.objects.filter(user=officer, revoked_at__isnull=True).count() == 1


def test_an_unknown_subscription_button_is_refused(client_for, officer, partnership):
    response = client_for(officer).post(reverse("plans:calendar_subscribe", args=[partnership.slug]), {"do": "x"})
    assert response.status_code == 400
    assert not CalendarFeedToken.objects.exists()


# Reminders -------------------------------------------------------------------------------------


def test_the_owner_is_reminded_once_fourteen_days_before(clock, officer, partnership, duties):
    clock.move_to(datetime.datetime(2026, 12, 16, 7, 0, tzinfo=datetime.UTC))
    send_due()
    assert mail.outbox == []  # before the morning
    clock.move_to(datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC))
    send_due()
    send_due()
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [officer.email]
    assert "Strategic assessment 2026-27 is due by Thursday 31 December 2026" in message.subject
    assert "Analyst starts in November" not in message.body
    assert reverse("plans:calendar", args=[partnership.slug]) in message.body
    assert StatutoryDuty.objects.get(pk=duties["upcoming"].pk).reminder_sent_for == datetime.date(2026, 12, 31)
    assert SentEmail.objects.filter(kind=SentEmail.Kind.DUTY).count() == 1


def test_a_partnership_reminds_its_owners_as_long_before_as_it_chose(clock, officer, partnership, duties):
    partnership.duty_reminder_days = 30
    partnership.save()
    clock.move_to(datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC))  # 31 days before
    send_due()
    assert mail.outbox == []
    clock.move_to(datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert len(mail.outbox) == 1
    assert "reminded once, 30 days before its date" in mail.outbox[0].body


def test_a_lead_time_of_one_day_waits_until_the_day_before(clock, officer, partnership, duties):
    partnership.duty_reminder_days = 1
    partnership.save()
    clock.move_to(datetime.datetime(2026, 12, 29, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert mail.outbox == []
    clock.move_to(datetime.datetime(2026, 12, 30, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert "reminded once, 1 day before its date" in mail.outbox[0].body


def test_no_reminder_earlier_nor_for_a_duty_done_nor_without_an_owner(clock, partnership, duties):
    clock.move_to(datetime.datetime(2026, 12, 16, 9, 0, tzinfo=datetime.UTC))
    StatutoryDuty.objects.filter(pk=duties["upcoming"].pk).update(due_date=datetime.date(2027, 1, 1))
    f.StatutoryDutyFactory(partnership=partnership, due_date=datetime.date(2026, 12, 20))
    send_due()
    assert mail.outbox == []
    StatutoryDuty.objects.filter(pk=duties["upcoming"].pk).update(due_date=datetime.date(2026, 12, 20), done_on=TODAY)
    send_due()
    assert mail.outbox == []


def test_a_changed_date_is_reminded_again(clock, officer, duties):
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    send_due()
    StatutoryDuty.objects.filter(pk=duties["upcoming"].pk).update(due_date=datetime.date(2027, 1, 2))
    send_due()
    assert len(mail.outbox) == 2


def test_an_owner_who_left_the_partnership_is_not_reminded(clock, officer, duties):
    Role.objects.filter(user=officer).delete()
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    send_due()
    assert mail.outbox == []


def test_the_reminder_reaches_the_owner_over_real_smtp(clock, smtp_server, officer, duties):
    clock.move_to(datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.UTC))
    send_due()
    send_due()
    assert [m["To"] for m in smtp_server.messages] == [officer.email]
    assert smtp_server.messages[0]["Auto-Submitted"] == "auto-generated"


# Services --------------------------------------------------------------------------------------


def test_the_plan_year_starts_in_april():
    assert services.plan_year_of(datetime.date(2027, 3, 31)) == 2026
    assert services.plan_year_of(datetime.date(2027, 4, 1)) == 2027
