import pytest
from django.urls import reverse

from actions.models import Rag
from partners.models import Role
from tests import factories as f


@pytest.fixture
def county_officer(partnership, other_partnership):
    user = f.UserFactory(username="county")
    f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.CHAIR)
    f.RoleFactory(user=user, partnership=other_partnership, role=Role.Kind.OFFICER)
    return user


@pytest.fixture
def other_plan(other_partnership):
    return f.PlanFactory(partnership=other_partnership, slug="otherton-2025-2026")


def _actions(plan, rags):
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan))
    return [f.ActionFactory(issue=issue, rag=rag) for rag in rags]


def test_county_view_shows_each_partnership_with_its_rag_counts(plan, other_plan, county_officer, client_for):
    _actions(plan, [Rag.RED, Rag.RED, Rag.GREEN])
    _actions(other_plan, [Rag.AMBER])
    response = client_for(county_officer).get(reverse("plans:county"))
    rows = {row["plan"].slug: dict(row["counts"]) for row in response.context["rows"]}
    assert rows[plan.slug]["red"] == 2 and rows[plan.slug]["green"] == 1
    assert rows[other_plan.slug]["amber"] == 1
    assert reverse("plans:dashboard", args=[other_plan.slug]) in response.content.decode()


def test_county_view_leaves_out_partnerships_the_user_is_not_in(plan, other_plan, chair, client_for):
    response = client_for(chair).get(reverse("plans:county"))
    assert [row["plan"].slug for row in response.context["rows"]] == [plan.slug]


def test_county_view_counts_stale_actions(plan, county_officer, client_for):
    import datetime

    from django.utils import timezone

    old = timezone.now() - datetime.timedelta(days=100)
    issue = f.IssueFactory(priority=f.PriorityFactory(plan=plan))
    f.ActionFactory(issue=issue, created_at=old)
    f.ActionFactory(issue=issue)
    response = client_for(county_officer).get(reverse("plans:county"))
    assert response.context["rows"][0]["stale"] == 1


def test_county_view_is_in_the_menu_only_for_people_of_two_partnerships(plan, county_officer, chair, client_for):
    url = reverse("plans:county")
    assert url in client_for(county_officer).get(reverse("home")).content.decode()
    assert url not in client_for(chair).get(reverse("home")).content.decode()


def test_anonymous_cannot_see_the_county_view(client):
    assert client.get(reverse("plans:county")).status_code == 302


def test_county_view_query_count_does_not_grow_with_partnerships(county_officer, client_for, plan, other_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county_officer)
    counts = []
    for extra in range(2):
        partnership = f.PartnershipFactory(short_name=f"Extra{extra}")
        f.RoleFactory(user=county_officer, partnership=partnership, role=Role.Kind.CHAIR)
        _actions(f.PlanFactory(partnership=partnership), [Rag.RED] * (extra * 5 + 1))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plans:county")).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def _chair_of_many(user, count):
    """``count`` more partnerships, each with a current plan of one action, chaired by ``user``."""
    for _ in range(count):
        partnership = f.PartnershipFactory()
        f.RoleFactory(user=user, partnership=partnership, role=Role.Kind.CHAIR)
        _actions(f.PlanFactory(partnership=partnership), [Rag.GREEN])


def test_county_view_shows_25_partnerships_a_page_in_name_order(county_officer, client_for, plan, other_plan):
    _chair_of_many(county_officer, 26)  # 28 partnerships: two pages
    client = client_for(county_officer)
    first = client.get(reverse("plans:county"))
    second = client.get(reverse("plans:county"), {"page": 2})
    names = [row["partnership"].name for row in first.context["rows"] + second.context["rows"]]
    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 3
    assert names == sorted(names)
    assert 'class="govuk-pagination"' in first.content.decode()
    assert "Partnerships 26 to 28 of 28" in second.content.decode()


def test_county_view_pages_only_the_users_own_partnerships(county_officer, chair, client_for, plan, other_plan):
    _chair_of_many(county_officer, 30)
    response = client_for(chair).get(reverse("plans:county"), {"page": 2})
    assert [row["plan"].slug for row in response.context["rows"]] == [plan.slug]
    assert 'class="govuk-pagination"' not in response.content.decode()


def test_county_view_with_a_bad_page_number_shows_a_page(county_officer, client_for, plan, other_plan):
    _chair_of_many(county_officer, 26)
    client = client_for(county_officer)
    assert len(client.get(reverse("plans:county"), {"page": "x"}).context["rows"]) == 25
    assert len(client.get(reverse("plans:county"), {"page": "99"}).context["rows"]) == 3


def test_county_view_page_query_count_does_not_grow_with_partnerships(county_officer, client_for, plan, other_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(county_officer)
    counts = []
    for extra in (26, 30):
        _chair_of_many(county_officer, extra)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("plans:county"), {"page": 2}).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_county_view_last_activity_is_the_newest_live_update_of_the_plan(plan, county_officer, client_for):
    import datetime

    from django.utils import timezone

    now = timezone.now()
    first, second = _actions(plan, [Rag.GREEN, Rag.AMBER])
    f.UpdateFactory(action=first, created_at=now - datetime.timedelta(days=9))
    f.UpdateFactory(action=second, created_at=now - datetime.timedelta(days=5))
    f.UpdateFactory(action=first, created_at=now - datetime.timedelta(days=2), is_deleted=True)
    response = client_for(county_officer).get(reverse("plans:county"))
    row = next(row for row in response.context["rows"] if row["plan"] == plan)
    assert row["last_activity"] == now - datetime.timedelta(days=5)


def test_county_view_shows_each_plans_derived_rating_by_its_partnerships_rule(
    plan, other_plan, county_officer, client_for
):
    other_plan.partnership.rollup_rule = "majority"
    other_plan.partnership.save()
    _actions(plan, [Rag.RED, Rag.GREEN, Rag.GREEN])
    _actions(other_plan, [Rag.RED, Rag.GREEN, Rag.GREEN])
    response = client_for(county_officer).get(reverse("plans:county"))
    derived = {row["plan"].slug: row["rollup"].derived for row in response.context["rows"]}
    assert derived == {plan.slug: Rag.RED, other_plan.slug: Rag.GREEN}
    assert "worst of 3" in response.text and "majority of 3" in response.text
