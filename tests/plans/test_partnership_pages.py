"""The partnership's pages from the home page, as each role would look for them: the statutory
calendar, the reviews (the tracker for chairs and admins), the public pages once a plan is on
one, and publishing for the administrator. No link leads to a page that refuses its reader."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from partners.models import Role
from plans.models import ActionPlan
from plans.publishing import plan_publish_public
from tests import factories as f

pytestmark = pytest.mark.django_db


def _home(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.text


def _links(html, partnership):
    """The hrefs of the partnership's pages list."""
    block = re.search(
        rf'<ul class="govuk-list app-partnership-pages" id="partnership-pages-{partnership.slug}">(.*?)</ul>',
        html,
        re.S,
    )
    assert block, "no partnership pages list"
    return re.findall(r'href="([^"]+)"', block.group(1))


def _calendar(partnership):
    return reverse("plans:calendar", args=[partnership.slug])


def _reviews(partnership):
    return reverse("plans:reviews", args=[partnership.slug])


def _tracker(partnership):
    return reverse("plans:review_tracker", args=[partnership.slug])


def _public(partnership):
    return reverse("public:index", args=[partnership.slug])


def test_an_officers_home_links_the_calendar_and_the_reviews_but_not_the_tracker(
    client_for, officer, partnership, plan
):
    links = _links(_home(client_for(officer)), partnership)
    assert links == [_calendar(partnership), _reviews(partnership)]


@pytest.mark.parametrize("who", ["chair", "admin"])
def test_a_chairs_and_an_admins_home_adds_the_review_tracker(request, client_for, who, partnership, plan):
    links = _links(_home(client_for(request.getfixturevalue(who))), partnership)
    assert links == [_calendar(partnership), _reviews(partnership), _tracker(partnership)]


@pytest.mark.parametrize("who", ["officer", "chair", "admin"])
def test_the_public_pages_are_linked_once_a_plan_is_on_one(request, client_for, who, admin, partnership, plan):
    client = client_for(request.getfixturevalue(who))
    assert _public(partnership) not in _home(client)
    plan_publish_public(plan=plan, by=admin)
    html = _home(client)
    assert _public(partnership) in _links(html, partnership)
    assert reverse("public:plan", args=[partnership.slug, plan.slug]) in client.get(reverse("plans:list")).text


@pytest.mark.parametrize("who", ["officer", "chair", "admin"])
def test_every_link_opens_for_the_person_it_is_shown_to(request, client_for, who, admin, partnership, plan):
    plan_publish_public(plan=plan, by=admin)
    f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)  # not on a public page
    client = client_for(request.getfixturevalue(who))
    for page in (reverse("home"), reverse("plans:list")):
        html = client.get(page).text
        for url in _links(html, partnership) + re.findall(r'href="(/(?:public|plans)/[^"]+)"', html):
            assert client.get(url).status_code == 200, (who, page, url)


def test_only_the_admin_is_offered_to_publish_a_plan_and_not_a_draft(client_for, admin, chair, partnership, plan):
    draft = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027, status=ActionPlan.Status.DRAFT)
    html = client_for(admin).get(reverse("plans:list")).text
    assert reverse("plans:public_publish", args=[plan.slug]) in html
    assert reverse("plans:public_publish", args=[draft.slug]) not in html
    assert reverse("plans:public_publish", args=[plan.slug]) not in client_for(chair).get(reverse("plans:list")).text


def test_overdue_duties_are_counted_in_words(client_for, officer, partnership, plan):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    f.StatutoryDutyFactory(partnership=partnership, due_date=yesterday)
    f.StatutoryDutyFactory(partnership=partnership, due_date=yesterday, done_on=yesterday)
    assert "1 duty overdue" in _home(client_for(officer))


def test_an_officer_finds_the_duties_they_own_to_mark_done_on_their_home(client_for, officer, chair, partnership, plan):
    today = timezone.localdate()
    mine = f.StatutoryDutyFactory(partnership=partnership, title="Strategic assessment", owner=officer)
    late = f.StatutoryDutyFactory(
        partnership=partnership, title="ASB figures", owner=officer, due_date=today - datetime.timedelta(days=2)
    )
    f.StatutoryDutyFactory(partnership=partnership, title="Plan refreshed", owner=officer, done_on=today)
    f.StatutoryDutyFactory(partnership=partnership, title="Scrutiny review", owner=chair)
    html = _home(client_for(officer))
    assert "Your statutory duties" in html
    assert html.index("ASB figures") < html.index("Strategic assessment")  # the earliest first
    assert "Plan refreshed" not in html and "Scrutiny review" not in html
    for duty in (mine, late):
        url = reverse("plans:duty_done", args=[partnership.slug, duty.pk])
        assert url in html
        assert client_for(officer).get(url).status_code == 200
    assert "Overdue</strong>" in html


def test_a_chair_finds_the_duties_they_own_on_their_plan_list(client_for, chair, partnership, plan):
    duty = f.StatutoryDutyFactory(partnership=partnership, title="Strategic assessment", owner=chair)
    html = _home(client_for(chair))
    assert "Your plans</h1>" in html and "Your statutory duties" in html
    assert reverse("plans:duty_done", args=[partnership.slug, duty.pk]) in html


def test_duties_of_a_partnership_the_owner_left_are_not_listed(client_for, officer, partnership, plan):
    other = f.PartnershipFactory()
    f.StatutoryDutyFactory(partnership=other, title="Left behind", owner=officer)
    assert "Left behind" not in _home(client_for(officer))


def test_a_granted_teams_officer_gets_no_link_to_the_granting_partnership(
    client_for, other_partnership, partnership, plan, issue
):
    other_team = f.TeamFactory(partnership=other_partnership)
    f.TeamGrantFactory(partnership=partnership, team=other_team)
    user = f.UserFactory(teams=[other_team])
    f.RoleFactory(user=user, partnership=other_partnership, role=Role.Kind.OFFICER)
    f.PlanFactory(partnership=other_partnership)
    f.ActionFactory(issue=issue, owner_teams=[other_team])
    html = _home(client_for(user))
    assert _calendar(partnership) not in html
    assert _calendar(other_partnership) in html


def test_the_partnerships_sub_navigation_links_the_public_pages_once_published(
    client_for, officer, admin, partnership, plan
):
    directory = reverse("partners:directory", args=[partnership.slug])
    assert _public(partnership) not in client_for(officer).get(directory).text
    plan_publish_public(plan=plan, by=admin)
    assert _public(partnership) in client_for(officer).get(directory).text


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url_name", ["home", "plans:list", "actions:mine"])
def test_the_home_pages_ask_as_much_for_three_partnerships_as_for_one(client_for, admin, partnership, plan, url_name):
    admin.teams.add(f.TeamFactory(partnership=partnership))  # so the home page is My actions
    client = client_for(admin)
    url = reverse(url_name)
    client.get(url)  # warm the session
    one = _queries(client, url)
    for _ in range(2):
        other = f.PartnershipFactory()
        f.RoleFactory(user=admin, partnership=other, role=Role.Kind.ADMIN)
        other_plan = f.PlanFactory(partnership=other)
        plan_publish_public(plan=other_plan, by=admin)
        f.StatutoryDutyFactory(partnership=other, due_date=timezone.localdate() - datetime.timedelta(days=2))
        f.StatutoryDutyFactory(partnership=other, owner=admin)
    assert _queries(client, url) == one
