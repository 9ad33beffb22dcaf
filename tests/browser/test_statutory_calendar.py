"""The statutory calendar in a real browser (issue 16): the administrator adds this year's
duties and one of their own and sets an owner; the owner marks one done with its evidence and
adds next year's; they subscribe and the feed answers the address shown once. Every page
passes axe."""

import datetime
import re

import pytest
from django.utils import timezone
from icalendar import Calendar
from playwright.sync_api import expect

from plans.calendar_models import StatutoryDuty
from plans.calendar_services import plan_year_of
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _site(settings, live_server):
    settings.SITE_URL = live_server.url


def test_the_calendar_from_the_standard_duties_to_the_feed(
    page, sign_in, assert_accessible, admin, officer, partnership
):
    officer.first_name, officer.last_name = "Olivia", "Okafor"
    officer.save()
    today = timezone.localdate()
    year = plan_year_of(today)
    f.StatutoryDutyFactory(
        partnership=partnership, title="ASB case review figures published", due_date=today - datetime.timedelta(days=3)
    )

    # The administrator finds the calendar from the partnership's pages and adds the standard duties.
    sign_in(admin)
    page.goto(f"/partners/{partnership.slug}/")
    page.get_by_role("link", name="Statutory calendar").first.click()
    assert_accessible(page, "Statutory calendar")
    page.get_by_role("link", name="Add this year's duties").click()
    assert_accessible(page, "Add this year's duties")
    page.get_by_role("button", name="Add these duties").click()
    assert_accessible(page, "Statutory calendar")
    assert StatutoryDuty.objects.exclude(kind=StatutoryDuty.Kind.OTHER).count() == 5

    # ... a duty of their own, first without a date.
    page.get_by_role("link", name="Add a duty").click()
    assert_accessible(page, "Add a duty")
    page.get_by_label("Title").fill("Prevent partnership self-assessment")
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "Add a duty")
    expect(page.get_by_text("There is a problem")).to_be_visible()
    page.get_by_label("Due date").fill(f"1/2/{year + 1}")
    page.get_by_label("Owner", exact=True).select_option(str(officer.pk))
    page.get_by_role("button", name="Save").click()
    assert_accessible(page, "Statutory calendar")
    duty = StatutoryDuty.objects.get(title="Prevent partnership self-assessment")
    assert duty.owner == officer

    # The overdue filter, and changing and removing.
    page.get_by_role("link", name="See the overdue duties").click()
    assert_accessible(page, "Statutory calendar")
    expect(page.get_by_text("Overdue", exact=True).first).to_be_visible()
    page.goto(f"/plans/calendar/{partnership.slug}/duties/{duty.pk}/edit/")
    assert_accessible(page, re.compile("Change Prevent"))
    overdue = StatutoryDuty.objects.get(title="ASB case review figures published")
    page.goto(f"/plans/calendar/{partnership.slug}/duties/{overdue.pk}/remove/")
    assert_accessible(page, "Remove ASB case review figures published")
    page.get_by_role("button", name="Remove the duty").click()
    assert_accessible(page, "Statutory calendar")

    # The owner marks their duty done with the minutes' link, and adds next year's.
    page.context.clear_cookies()
    sign_in(officer)
    page.goto(f"/plans/calendar/{partnership.slug}/?year={year}")
    page.get_by_role("link", name=re.compile("Mark done.*Prevent partnership")).click()
    assert_accessible(page, "Mark Prevent partnership self-assessment done")
    page.get_by_label("Evidence", exact=True).fill("https://example.org/minutes/board")
    page.get_by_role("button", name="Mark done").click()
    assert_accessible(page, "Add next year's duty?")
    page.get_by_role("button", name="Add next year's duty").click()
    assert_accessible(page, "Statutory calendar")
    assert StatutoryDuty.objects.filter(title="Prevent partnership self-assessment").count() == 2

    # They subscribe: the address is shown once and the feed answers it without a session.
    page.get_by_role("link", name="Subscribe in Outlook or another calendar").click()
    assert_accessible(page, "Subscribe to the calendar")
    page.get_by_role("button", name="Make my calendar address").click()
    assert_accessible(page, "Subscribe to the calendar")
    address = page.locator("code.app-token").inner_text()
    page.context.clear_cookies()
    response = page.request.get(address)
    assert response.status == 200
    summaries = {str(e["summary"]) for e in Calendar.from_ical(response.body()).walk("VEVENT")}
    assert "Done: Prevent partnership self-assessment" in summaries


def test_a_duty_marked_done_by_mistake_is_marked_as_not_done(page, sign_in, assert_accessible, officer, partnership):
    today = timezone.localdate()
    duty = f.StatutoryDutyFactory(
        partnership=partnership,
        title="Scrutiny committee review",
        due_date=today + datetime.timedelta(days=20),
        owner=officer,
        done_on=today,
        done_by=officer,
        evidence="https://example.org/minutes/wrong-meeting",
    )
    sign_in(officer)
    page.goto(f"/plans/calendar/{partnership.slug}/?year={plan_year_of(duty.due_date)}")
    page.get_by_role("link", name=re.compile("Change what was done.*Scrutiny committee review")).click()
    assert_accessible(page, "Change what was done: Scrutiny committee review")
    page.get_by_role("button", name="Mark as not done").click()
    assert_accessible(page, "Statutory calendar")
    expect(page.get_by_text("“Scrutiny committee review” was marked as not done")).to_be_visible()
    duty.refresh_from_db()
    assert duty.done_on is None
