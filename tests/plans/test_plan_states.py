"""Plan states: a new plan is a draft that only the partnership's chairs and admins see,
on every page and feed, until an admin publishes it."""

import pytest
from django.urls import reverse

from actions.services import action_add_update
from partners.token_services import create_api_token
from plans.models import ActionPlan
from tests import factories as f

pytestmark = pytest.mark.django_db

DRAFT, PUBLISHED = ActionPlan.Status.DRAFT, ActionPlan.Status.ACTIVE


@pytest.fixture
def draft(plan, action):
    """``plan`` as a draft, with the officer's team's ``action`` in it."""
    ActionPlan.objects.filter(pk=plan.pk).update(status=DRAFT)
    plan.refresh_from_db()
    action_add_update(action=action, text="Safer Street event booked", rag="green")
    return plan


def measure_of(action):
    return f.MeasureFactory(priority=action.issue.priority)


def set_status(plan, status):
    ActionPlan.objects.filter(pk=plan.pk).update(status=status)


# The state on the pages ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["admin", "chair"])
def test_chairs_and_admins_see_a_draft_with_its_state(request, client_for, draft, who):
    client = client_for(request.getfixturevalue(who))
    page = client.get(draft.get_absolute_url())
    assert page.status_code == 200
    assert "only the partnership's chairs and administrators see it" in page.text
    assert '<strong class="govuk-tag govuk-tag--yellow">Draft</strong>' in page.text
    listing = client.get(reverse("plans:list"))
    assert draft.full_title in listing.text
    assert ">Draft</strong>" in listing.text


def test_a_published_plan_says_so_on_its_page_and_in_the_list(client_for, officer, plan):
    page = client_for(officer).get(plan.get_absolute_url())
    assert '<strong class="govuk-tag govuk-tag--green">Published</strong>' in page.text
    listing = client_for(officer).get(reverse("plans:list"))
    assert plan.full_title in listing.text
    assert ">Published</strong>" in listing.text


def test_an_archived_plan_says_so(client_for, officer, plan):
    set_status(plan, ActionPlan.Status.ARCHIVED)
    page = client_for(officer).get(plan.get_absolute_url())
    assert '<strong class="govuk-tag govuk-tag--grey">Archived</strong>' in page.text


# Officers do not see drafts, anywhere -------------------------------------------------------


def test_officer_does_not_see_a_draft_in_the_plan_list(client_for, officer, draft):
    listing = client_for(officer).get(reverse("plans:list"))
    assert listing.status_code == 200
    assert "Your plans" in listing.text
    assert draft.full_title not in listing.text
    set_status(draft, PUBLISHED)
    assert draft.full_title in client_for(officer).get(reverse("plans:list")).text


@pytest.mark.parametrize(
    "page",
    [
        lambda plan, action: plan.get_absolute_url(),
        lambda plan, action: reverse("plans:dashboard", args=[plan.slug]),
        lambda plan, action: reverse("plans:pdf", args=[plan.slug]),
        lambda plan, action: reverse("plans:meetings", args=[plan.slug]),
        lambda plan, action: reverse("plans:export", args=[plan.slug, "xlsx"]),
        lambda plan, action: reverse("actions:measure_list", args=[plan.slug]),
        lambda plan, action: reverse(
            "actions:measure_detail", args=[f.MeasureFactory(priority=action.issue.priority).pk]
        ),
        lambda plan, action: reverse("actions:detail", args=[action.pk]),
        lambda plan, action: reverse("actions:history", args=[action.pk]),
    ],
    ids=["plan", "dashboard", "pdf", "meetings", "export", "measures", "measure", "action", "action-history"],
)
def test_officer_gets_not_found_on_a_drafts_pages_until_it_is_published(client_for, officer, draft, action, page):
    client = client_for(officer)
    assert client.get(page(draft, action)).status_code == 404
    set_status(draft, PUBLISHED)
    assert client.get(page(draft, action)).status_code == 200


def test_my_actions_leaves_out_a_drafts_actions_until_it_is_published(client_for, officer, draft, action):
    page = client_for(officer).get(reverse("actions:mine"))
    assert page.status_code == 200
    assert "My actions" in page.text
    assert action.text not in page.text
    set_status(draft, PUBLISHED)
    assert action.text in client_for(officer).get(reverse("actions:mine")).text


def test_search_leaves_out_a_drafts_actions_and_updates(client_for, officer, chair, draft, action):
    search = reverse("actions:search")
    found = client_for(officer).get(search, {"q": "Safer"})
    assert found.status_code == 200
    assert found.context["results"] == []
    assert [r["text"] for r in client_for(chair).get(search, {"q": "Safer"}).context["results"]]
    set_status(draft, PUBLISHED)
    assert client_for(officer).get(search, {"q": "Safer"}).context["results"]


def test_county_view_leaves_out_a_draft_for_officers(client_for, officer, chair, draft):
    county = reverse("plans:county")
    page = client_for(officer).get(county)
    assert page.status_code == 200
    assert "County view" in page.text
    assert draft.get_absolute_url() not in page.text
    assert draft.get_absolute_url() in client_for(chair).get(county).text


def test_feed_of_a_draft_is_not_found_for_an_officers_token(client, officer, chair, draft):
    url = reverse("plans:feed", args=[draft.slug, "actions.csv"])
    _, officer_token = create_api_token(user=officer, name="Power BI")
    _, chair_token = create_api_token(user=chair, name="Power BI")
    assert client.get(url, headers={"Authorization": f"Bearer {officer_token}"}).status_code == 404
    assert client.get(url, headers={"Authorization": f"Bearer {chair_token}"}).status_code == 200


def test_an_action_of_a_draft_owned_through_a_grant_stays_hidden(client_for, draft, action, other_partnership):
    """Owning is not enough: a granted team's officer waits for the plan too."""
    visitor_team = f.TeamFactory(partnership=other_partnership)
    f.TeamGrantFactory(team=visitor_team, partnership=draft.partnership)
    action.owner_teams.add(visitor_team)
    visitor = f.UserFactory(username="visitor", teams=[visitor_team])
    assert client_for(visitor).get(reverse("actions:detail", args=[action.pk])).status_code == 404
    set_status(draft, PUBLISHED)
    assert client_for(visitor).get(reverse("actions:detail", args=[action.pk])).status_code == 200


# Publishing ----------------------------------------------------------------------------


def test_admin_publishes_a_draft_after_confirming(client_for, admin, draft):
    client = client_for(admin)
    confirm = client.get(reverse("plans:publish", args=[draft.slug]))
    assert confirm.status_code == 200
    assert "Publish the plan</button>" in confirm.text
    draft.refresh_from_db()
    assert draft.is_draft  # nothing happens before confirmation
    response = client.post(reverse("plans:publish", args=[draft.slug]))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    assert draft.history.first().status == PUBLISHED


def test_a_published_plan_is_not_published_again(client_for, admin, plan):
    page = client_for(admin).get(reverse("plans:publish", args=[plan.slug]))
    assert page.status_code == 200
    assert "not a draft" in page.text
    response = client_for(admin).post(reverse("plans:publish", args=[plan.slug]), follow=True)
    assert "already published" in response.text


@pytest.mark.parametrize(("who", "status"), [("chair", 403), ("officer", 404), ("outsider", 404)])
def test_only_an_admin_publishes(request, client_for, draft, who, status):
    response = client_for(request.getfixturevalue(who)).post(reverse("plans:publish", args=[draft.slug]))
    assert response.status_code == status
    draft.refresh_from_db()
    assert draft.is_draft


def test_a_plan_made_from_an_assessment_starts_as_a_draft(partnership):
    from plans import cycle

    assessment = f.AssessmentFactory(partnership=partnership, start_year=2025, end_year=2026)
    risk = f.RiskFactory(assessment=assessment, kind="emerging", text="Serious youth violence")
    plan = cycle.plan_create_from_assessment(
        assessment=assessment, start_year=2026, end_year=2027, priorities=[(risk, risk.text)]
    )
    assert plan.is_draft


def test_seeded_plans_are_published(hertsmere_plan):
    assert not ActionPlan.objects.filter(status=DRAFT).exists()


def test_the_new_plan_page_says_the_plan_is_a_draft(client_for, admin, partnership):
    assessment = f.AssessmentFactory(partnership=partnership, start_year=2025, end_year=2026)
    risk = f.RiskFactory(assessment=assessment, kind="emerging", text="Serious youth violence")
    response = client_for(admin).post(
        reverse("plans:plan_from_assessment", args=[partnership.slug, assessment.pk]),
        {"title": "Community Safety Action Plan", "start_year": 2026, "end_year": 2027, f"priority_{risk.pk}": "Youth"},
        follow=True,
    )
    assert response.status_code == 200
    assert "as a draft: officers see it once you publish it" in response.text
    assert ActionPlan.objects.get(start_year=2026).is_draft
