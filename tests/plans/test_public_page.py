"""The plan's public page (issue 16): what is published, that nothing else leaks through
the page, its CSV or its JSON, that it is frozen, who may publish and withdraw, and what
search engines are told."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Marking, Rag, Status
from actions.services import action_add_update, update_delete
from plans.models import ActionPlan, PublishedPlan
from plans.publishing import CSV_COLUMNS, LICENCE, plan_publish_public, plan_withdraw_public
from tests import factories as f

SECRETS = [
    "Operation Nightjar safeguarding referral",  # an OFFICIAL-SENSITIVE action
    "Intelligence from the custody suite",  # its update
    "Victim at 14 Acacia Avenue rehoused",  # a sensitive update on an OFFICIAL action
    "DI Macbeth",  # a named owner (owner_role)
    "Sgt Vaughan and PC Lestrade",  # the owner as written in the source document
    "Gwendolyn",  # the update author's first name
    "Fairfax",  # the update author's last name
    "gfairfax",  # the author's user name
    "gwendolyn.fairfax@testshire.example",  # the author's email
    "Miss Prism (imported)",  # an imported note's author
    "Chair's review: chase the council",  # a chair's review comment
    "Withdrawn note about a named family",  # a deleted update
    "Proposed: CCTV on Elm Street",  # a proposal, not part of the plan
]
PUBLIC = [
    "Testshire Community Safety Partnership",
    "Reduce anti-social behaviour",
    "Improve feelings of safety",
    "Deliver Safer Street events",
    "Testshire Community Safety Team",
    "Three events held in the town centre",
]


@pytest.fixture
def author(partnership, team):
    user = f.UserFactory(
        username="gfairfax", first_name="Gwendolyn", last_name="Fairfax", email=SECRETS[8], teams=[team]
    )
    f.RoleFactory(user=user, partnership=partnership, role="officer")
    return user


@pytest.fixture
def full_plan(plan, issue, action, author, chair):
    """The plan with one of every thing that must not be published beside what must."""
    action.owner_role = "DI Macbeth"
    action.owner_label = SECRETS[4]
    action.save()
    action_add_update(action=action, author=author, text=PUBLIC[5], rag=Rag.AMBER)
    action_add_update(action=action, author=author, text=SECRETS[2], rag=Rag.RED, marking=Marking.OFFICIAL_SENSITIVE)
    action_add_update(action=action, author_name=SECRETS[9], text="Imported note kept on the record.", rag=Rag.AMBER)
    action_add_update(action=action, author=chair, text=SECRETS[10], is_review=True)
    deleted = action_add_update(action=action, author=author, text=SECRETS[11], rag=Rag.AMBER)
    update_delete(update=deleted, editor=author)
    sensitive = f.ActionFactory(issue=issue, text=SECRETS[0], marking=Marking.OFFICIAL_SENSITIVE)
    action_add_update(action=sensitive, author=author, text=SECRETS[1], rag=Rag.GREEN)
    f.ActionFactory(issue=issue, text=SECRETS[12], status=Status.PROPOSED)
    return plan


def _urls(plan):
    args = [plan.partnership.slug, plan.slug]
    return [reverse(name, args=args) for name in ("public:plan", "public:plan_csv", "public:plan_json")]


def _page(client, plan):
    return client.get(reverse("public:plan", args=[plan.partnership.slug, plan.slug]))


# --- nothing leaks ---------------------------------------------------------------------------


def test_nothing_but_official_plan_text_reaches_the_page_csv_or_json(client, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    for url in _urls(full_plan):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert [text for text in PUBLIC if text not in body] == [], url
        assert [text for text in SECRETS if text in body] == [], url


def test_the_snapshot_itself_holds_nothing_else(full_plan, admin):
    published = plan_publish_public(plan=full_plan, by=admin)
    stored = json.dumps(published.snapshot)
    assert PUBLIC[3] in stored
    assert [text for text in SECRETS if text in stored] == []
    assert "admin" not in stored.lower().replace("administration", "")


def test_the_page_says_how_many_actions_are_not_published(client, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    response = _page(client, full_plan)
    assert PUBLIC[3] in response.text
    assert "1 action is marked OFFICIAL-SENSITIVE and not published here." in response.text


def test_no_review_detail_reaches_the_public_page_even_through_a_linked_action(client, full_plan, admin, action):
    review = f.ReviewFactory(
        partnership=full_plan.partnership,
        reference="DHR 2025/07",
        title="Review of the death of Adult Q",
        chair="Dame Augusta Bracknell",
    )
    recommendation = f.RecommendationFactory(
        review=review,
        text="GP surgeries ask about coercive control",
        case_for_change="Adult Q saw her GP",
        action=action,
    )
    f.RecommendationNoteFactory(recommendation=recommendation, text="Training booked for the Acacia surgery")
    plan_publish_public(plan=full_plan, by=admin)
    review_texts = ["DHR 2025/07", "Adult Q", "Bracknell", "coercive control", "Acacia surgery"]
    for url in _urls(full_plan):
        body = client.get(url).content.decode()
        assert PUBLIC[3] in body, url
        assert [text for text in review_texts if text in body] == [], url


# --- what is published, and how --------------------------------------------------------------


def test_the_page_shows_the_date_the_licence_and_the_downloads(client, full_plan, admin):
    published = plan_publish_public(plan=full_plan, by=admin)
    text = _page(client, full_plan).text
    assert f"Published on {published.published_at:%-d %B %Y}" in text
    assert LICENCE["url"] in text and "Open Government Licence v3.0" in text
    csv_url, json_url = _urls(full_plan)[1:]
    assert f'href="{csv_url}"' in text and f'href="{json_url}"' in text


def test_ratings_are_in_words_not_colour_alone(client, full_plan, admin, action):
    action.rag = Rag.AMBER
    action.save()
    plan_publish_public(plan=full_plan, by=admin)
    text = _page(client, full_plan).text
    assert '<strong class="app-rag app-rag--amber">Amber</strong>\n (at risk)' in text


def test_the_json_has_the_documented_shape_and_the_licence(client, full_plan, admin):
    published = plan_publish_public(plan=full_plan, by=admin)
    data = json.loads(client.get(_urls(full_plan)[2]).content)
    assert data["licence"] == LICENCE
    assert data["published_at"] == published.published_at.isoformat()
    assert data["partnership"]["name"] == "Testshire Community Safety Partnership"
    assert data["plan"]["years"] == "2025 - 2026"
    [action] = data["priorities"][0]["issues"][0]["actions"]
    assert set(action) == {
        "reference", "text", "owners", "rag", "rag_label", "rag_meaning", "status", "status_label", "target_date",
        "updates",
    }  # fmt: skip
    assert action["owners"] == ["Testshire Community Safety Team"]
    assert [set(update) for update in action["updates"]] == [{"date", "text", "rag", "rag_label"}] * 2
    assert data["actions_not_published"] == 1


def test_the_csv_has_one_row_per_published_update(client, full_plan, admin, issue):
    f.ActionFactory(issue=issue, text='=HYPERLINK("http://evil.example")')
    plan_publish_public(plan=full_plan, by=admin)
    response = client.get(_urls(full_plan)[1])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == CSV_COLUMNS
    assert [row[12] for row in rows[1:]] == [PUBLIC[5], "Imported note kept on the record.", ""]
    assert rows[3][6].startswith("'=")  # a formula is written as text


# --- frozen, re-published, withdrawn ---------------------------------------------------------


def test_the_page_is_frozen_until_published_again(client, full_plan, admin, action):
    first = plan_publish_public(plan=full_plan, by=admin)
    url = _urls(full_plan)[0]
    action.text = "Deliver Safer Street events twice a year"
    action.save()
    action_add_update(action=action, author=admin, text="Added after publishing.", rag=Rag.GREEN)
    assert "twice a year" not in client.get(url).text
    assert "Added after publishing." not in client.get(url).text
    second = plan_publish_public(plan=full_plan, by=admin)
    assert _urls(full_plan)[0] == url
    assert "twice a year" in client.get(url).text
    first.refresh_from_db()
    assert (first.is_current, second.is_current) == (False, True)


def test_withdrawn_pages_and_files_are_not_found(client, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    plan_withdraw_public(plan=full_plan, by=admin)
    assert [client.get(url).status_code for url in _urls(full_plan)] == [404, 404, 404]
    assert PublishedPlan.objects.get().withdrawn_by == admin


def test_a_plan_never_published_is_not_found(client, full_plan):
    assert [client.get(url).status_code for url in _urls(full_plan)] == [404, 404, 404]


def test_a_draft_plan_cannot_be_published(client_for, admin, full_plan):
    ActionPlan.objects.filter(pk=full_plan.pk).update(status=ActionPlan.Status.DRAFT)
    client = client_for(admin)
    response = client.post(reverse("plans:public_publish", args=[full_plan.slug]), follow=True)
    assert "is a draft: publish it to its officers first." in response.text
    assert not PublishedPlan.objects.exists()
    client.logout()
    assert _page(client, full_plan).status_code == 404


def test_a_draft_plan_is_refused_on_the_confirmation_page(client_for, admin, full_plan):
    ActionPlan.objects.filter(pk=full_plan.pk).update(status=ActionPlan.Status.DRAFT)
    response = client_for(admin).get(reverse("plans:public_publish", args=[full_plan.slug]))
    assert "is a draft: publish it to its officers first." in response.text
    assert "Publish again" not in response.text


def test_withdrawing_what_is_not_published_says_so(client_for, admin, plan):
    response = client_for(admin).post(reverse("plans:public_withdraw", args=[plan.slug]), follow=True)
    assert "is not on its public page." in response.text


def test_publishing_and_withdrawing_are_recorded_in_history(admin, full_plan):
    published = plan_publish_public(plan=full_plan, by=admin)
    plan_withdraw_public(plan=full_plan, by=admin)
    assert [h.history_type for h in published.history.order_by("history_id")] == ["+", "~"]


# --- who may publish -------------------------------------------------------------------------


def test_the_admin_publishes_from_the_confirmation_page(client_for, admin, full_plan):
    client = client_for(admin)
    page = client.get(reverse("plans:public_publish", args=[full_plan.slug]))
    assert "Publish on a public page" in page.text
    assert "1 action marked OFFICIAL-SENSITIVE, and their 1 update" in page.text
    assert "1 update marked OFFICIAL-SENSITIVE on other actions" in page.text
    assert "1 review comment by chairs" in page.text
    assert "1 proposed or rejected action" in page.text
    response = client.post(reverse("plans:public_publish", args=[full_plan.slug]), follow=True)
    assert "is on its public page as it stands now." in response.text
    assert PublishedPlan.objects.get().published_by == admin
    assert "Publish again" in response.text


def test_the_admin_withdraws_from_the_confirmation_page(client_for, admin, full_plan):
    plan_publish_public(plan=full_plan, by=admin)
    client = client_for(admin)
    assert "Withdraw the public page" in client.get(reverse("plans:public_withdraw", args=[full_plan.slug])).text
    response = client.post(reverse("plans:public_withdraw", args=[full_plan.slug]), follow=True)
    assert "is no longer on a public page." in response.text
    assert not PublishedPlan.objects.public().exists()


@pytest.mark.parametrize("name", ["plans:public_publish", "plans:public_withdraw"])
@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("chair", 403), ("outsider", 404)])
def test_only_the_partnerships_admin_may_publish_or_withdraw(request, client_for, full_plan, admin, name, who, status):
    plan_publish_public(plan=full_plan, by=admin)
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse(name, args=[full_plan.slug])).status_code == status
    assert client.post(reverse(name, args=[full_plan.slug])).status_code == status
    assert PublishedPlan.objects.public().count() == 1
    assert PublishedPlan.objects.count() == 1


def test_a_chair_who_may_author_still_may_not_publish(client_for, partnership, chair, full_plan):
    partnership.chairs_may_author = True
    partnership.save()
    assert client_for(chair).post(reverse("plans:public_publish", args=[full_plan.slug])).status_code == 403


def test_the_plan_page_offers_publishing_to_admins_and_the_link_to_everyone(client_for, admin, officer, full_plan):
    text = client_for(admin).get(full_plan.get_absolute_url()).text
    assert reverse("plans:public_publish", args=[full_plan.slug]) in text
    assert "This plan is not on a public page." in text
    assert "This plan is not on a public page." not in client_for(officer).get(full_plan.get_absolute_url()).text
    plan_publish_public(plan=full_plan, by=admin)
    text = client_for(officer).get(full_plan.get_absolute_url()).text
    assert _urls(full_plan)[0] in text
    assert reverse("plans:public_publish", args=[full_plan.slug]) not in text


# --- search engines, caches, the header ------------------------------------------------------


def test_robots_txt_allows_only_the_public_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert response.text.splitlines() == ["User-agent: *", "Allow: /public/", "Disallow: /"]


def test_the_public_page_is_indexable_and_private_pages_are_not(client, client_for, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    public = _page(client, full_plan)
    assert PUBLIC[3] in public.text
    assert 'name="robots"' not in public.text
    sign_in = client.get(reverse("login"))
    assert '<meta name="robots" content="noindex, nofollow">' in sign_in.text
    private = client_for(admin).get(full_plan.get_absolute_url())
    assert PUBLIC[3] in private.text
    assert '<meta name="robots" content="noindex, nofollow">' in private.text


def test_a_withdrawn_page_answers_not_found_with_noindex(client, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    plan_withdraw_public(plan=full_plan, by=admin)
    response = _page(client, full_plan)
    assert response.status_code == 404
    assert PUBLIC[3] not in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text


def test_the_public_page_is_cacheable_for_visitors_and_private_for_people_signed_in(
    client, client_for, full_plan, admin
):
    plan_publish_public(plan=full_plan, by=admin)
    for url in _urls(full_plan):
        response = client.get(url)
        assert {"public", "max-age=300"} <= set(response["Cache-Control"].replace(" ", "").split(","))
        assert "Last-Modified" in response
    response = _page(client_for(admin), full_plan)
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))


def test_a_visitor_sees_no_private_navigation(client, full_plan, admin):
    plan_publish_public(plan=full_plan, by=admin)
    text = _page(client, full_plan).text
    assert PUBLIC[3] in text
    for label in ("My actions", "Partners", "People", "Search", "County view", "Sign out", "Your account"):
        assert f">{label}<" not in text.replace("\n", "").replace("  ", ""), label


# --- the index of a partnership's published plans --------------------------------------------


def test_the_index_lists_published_plans_only(client, full_plan, admin, partnership):
    plan_publish_public(plan=full_plan, by=admin)
    withdrawn = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027, title="Withdrawn plan")
    plan_publish_public(plan=withdrawn, by=admin)
    plan_withdraw_public(plan=withdrawn, by=admin)
    f.PlanFactory(partnership=partnership, start_year=2027, end_year=2028, title="Never published plan")
    text = client.get(reverse("public:index", args=[partnership.slug])).text
    assert full_plan.full_title in text
    assert "Withdrawn plan" not in text and "Never published plan" not in text


def test_the_index_of_a_partnership_with_nothing_published_is_not_found(client, partnership, full_plan):
    assert client.get(reverse("public:index", args=[partnership.slug])).status_code == 404


# --- query counts ----------------------------------------------------------------------------


def _grow(plan, team, author, n):
    for _ in range(n):
        priority = f.PriorityFactory(plan=plan)
        issue = f.IssueFactory(priority=priority)
        for j in range(3):
            action = f.ActionFactory(
                issue=issue, owner_teams=[team], marking=[Marking.OFFICIAL, Marking.OFFICIAL_SENSITIVE][j % 2]
            )
            f.UpdateFactory(action=action, author=author)
            f.UpdateFactory(action=action, author=author, marking=Marking.OFFICIAL_SENSITIVE)


def _publish_queries(client, plan):
    with CaptureQueriesContext(connection) as queries:
        assert client.post(reverse("plans:public_publish", args=[plan.slug])).status_code == 302
    return len(queries)


def test_publishing_makes_as_many_queries_for_a_big_plan_as_for_a_small_one(client_for, admin, full_plan, team, author):
    client = client_for(admin)
    plan_publish_public(plan=full_plan, by=admin)  # both measured publishings replace one
    _grow(full_plan, team, author, 2)
    small = _publish_queries(client, full_plan)
    _grow(full_plan, team, author, 10)
    assert _publish_queries(client, full_plan) == small


def test_the_public_page_makes_the_same_few_queries_whatever_the_size(
    client, admin, full_plan, team, author, django_assert_num_queries
):
    _grow(full_plan, team, author, 2)
    plan_publish_public(plan=full_plan, by=admin)
    with django_assert_num_queries(1):
        assert _page(client, full_plan).status_code == 200
    _grow(full_plan, team, author, 10)
    plan_publish_public(plan=full_plan, by=admin)
    for url in _urls(full_plan):
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
