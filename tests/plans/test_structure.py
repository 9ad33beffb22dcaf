"""Writing a plan's structure in the app: priorities and issues added, changed, moved and
removed, by the partnership's admins (and its chairs when the partnership allows)."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partnership
from plans import structure_services as services
from plans.models import ActionPlan, Issue, Priority
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(plan):
    """Priorities 1, 2, 3 of ``plan``."""
    return [f.PriorityFactory(plan=plan, number=n, title=f"Priority {n} title") for n in (1, 2, 3)]


def titles(plan):
    return list(plan.priorities.order_by("number").values_list("number", "title"))


def url(name, plan, *args):
    return reverse(f"plans:{name}", args=[plan.slug, *args])


# Who may ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("priority_add", "get"),
        ("priority_edit", "get"),
        ("priority_move", "post"),
        ("priority_remove", "get"),
        ("issue_add", "get"),
        ("issue_edit", "get"),
        ("issue_move", "get"),
        ("issue_reorder", "post"),
        ("issue_remove", "get"),
    ],
)
@pytest.mark.parametrize(("who", "status"), [("officer", 403), ("chair", 403), ("outsider", 404), ("admin", 200)])
def test_only_the_partnerships_admin_may_write_the_structure(
    request, client_for, plan, priority, issue, name, method, who, status
):
    target = (
        []
        if name == "priority_add"
        else [issue.pk if name.startswith("issue_") and name != "issue_add" else priority.pk]
    )
    client = client_for(request.getfixturevalue(who))
    response = getattr(client, method)(url(name, plan, *target), {"direction": "down"})
    assert response.status_code == (302 if status == 200 and method == "post" else status)


def test_signed_out_visitor_is_sent_to_sign_in(client, plan):
    response = client.get(url("priority_add", plan))
    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


def test_chair_writes_the_structure_when_the_partnership_allows(client_for, chair, plan, partnership):
    Partnership.objects.filter(pk=partnership.pk).update(chairs_may_author=True)
    response = client_for(chair).post(url("priority_add", plan), {"title": "Tackle shoplifting"})
    assert response.status_code == 302
    assert titles(plan) == [(1, "Tackle shoplifting")]


def test_a_plan_page_offers_the_authoring_links_to_the_admin_only(client_for, admin, officer, plan, priority):
    page = client_for(admin).get(plan.get_absolute_url())
    assert page.status_code == 200
    assert url("priority_add", plan) in page.text
    assert "No issues under this priority yet." in page.text
    assert url("issue_add", plan, priority.pk) in page.text
    page = client_for(officer).get(plan.get_absolute_url())
    assert page.status_code == 200
    assert priority.title in page.text
    assert url("priority_add", plan) not in page.text
    assert url("issue_add", plan, priority.pk) not in page.text


def test_nothing_in_an_archived_plan_changes(client_for, admin, plan, priority):
    ActionPlan.objects.filter(pk=plan.pk).update(status=ActionPlan.Status.ARCHIVED)
    response = client_for(admin).post(url("priority_edit", plan, priority.pk), {"title": "Changed"})
    assert response.status_code == 403
    assert Priority.objects.get().title == "Reduce anti-social behaviour"
    page = client_for(admin).get(plan.get_absolute_url())
    assert page.status_code == 200
    assert url("priority_add", plan) not in page.text


@pytest.mark.parametrize("name", ["priority_edit", "priority_remove", "issue_add"])
def test_a_priority_of_another_plan_is_not_found(client_for, admin, plan, partnership, name):
    elsewhere = f.PriorityFactory(plan=f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027))
    assert client_for(admin).get(url(name, plan, elsewhere.pk)).status_code == 404


@pytest.mark.parametrize("name", ["issue_edit", "issue_move", "issue_remove"])
def test_an_issue_of_another_plan_is_not_found(client_for, admin, plan, partnership, name):
    other_plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    elsewhere = f.IssueFactory(priority=f.PriorityFactory(plan=other_plan))
    assert client_for(admin).get(url(name, plan, elsewhere.pk)).status_code == 404


# Priorities ---------------------------------------------------------------------------


def test_admin_adds_a_priority_numbered_after_the_last(client_for, admin, plan, three):
    response = client_for(admin).post(
        url("priority_add", plan), {"title": "  Tackle   shoplifting ", "description": "With retailers."}
    )
    assert response.status_code == 302
    assert response.url.endswith("#priority-4")
    added = plan.priorities.get(number=4)
    assert (added.title, added.description) == ("Tackle shoplifting", "With retailers.")
    assert added.history.count() == 1


def test_a_priority_without_a_title_is_refused_with_an_error_summary(client_for, admin, plan):
    response = client_for(admin).post(url("priority_add", plan), {"title": "   "})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Enter the priority&#x27;s title" in response.text
    assert not plan.priorities.exists()


def test_admin_changes_a_priority(client_for, admin, plan, priority):
    form = client_for(admin).get(url("priority_edit", plan, priority.pk))
    assert priority.title in form.text
    response = client_for(admin).post(
        url("priority_edit", plan, priority.pk), {"title": "Reduce ASB", "description": "Hot spots."}
    )
    assert response.status_code == 302
    priority.refresh_from_db()
    assert (priority.title, priority.description) == ("Reduce ASB", "Hot spots.")


def test_moving_a_priority_down_swaps_its_number_with_the_next(client_for, admin, plan, three):
    response = client_for(admin).post(url("priority_move", plan, three[0].pk), {"direction": "down"})
    assert response.status_code == 302
    assert titles(plan) == [(1, "Priority 2 title"), (2, "Priority 1 title"), (3, "Priority 3 title")]
    # History keeps the numbers the plan had, not the one a priority was parked on.
    assert sorted(three[0].history.values_list("number", flat=True)) == [1, 2]


def test_moving_the_last_priority_down_is_refused_and_changes_nothing(client_for, admin, plan, three):
    response = client_for(admin).post(url("priority_move", plan, three[2].pk), {"direction": "down"}, follow=True)
    assert response.status_code == 200
    assert "Priority 3 is already the last." in response.text
    assert titles(plan) == [(1, "Priority 1 title"), (2, "Priority 2 title"), (3, "Priority 3 title")]


def test_a_move_in_no_direction_is_a_bad_request(client_for, admin, plan, three):
    response = client_for(admin).post(url("priority_move", plan, three[1].pk), {"direction": "sideways"})
    assert response.status_code == 400
    assert titles(plan)[1] == (2, "Priority 2 title")


def test_moving_is_a_post(client_for, admin, plan, three):
    assert client_for(admin).get(url("priority_move", plan, three[1].pk)).status_code == 405


def test_removing_an_empty_priority_closes_the_gap(client_for, admin, plan, three):
    confirm = client_for(admin).get(url("priority_remove", plan, three[0].pk))
    assert "Remove the priority" in confirm.text
    response = client_for(admin).post(url("priority_remove", plan, three[0].pk))
    assert response.status_code == 302
    assert titles(plan) == [(1, "Priority 2 title"), (2, "Priority 3 title")]


def test_a_priority_with_issues_is_not_removed_and_the_page_says_what_is_in_it(client_for, admin, plan, issue):
    priority = issue.priority
    page = client_for(admin).get(url("priority_remove", plan, priority.pk))
    assert page.status_code == 200
    assert "still has 1 issue under it: Improve feelings of safety" in page.text
    assert "Remove the priority</button>" not in page.text
    response = client_for(admin).post(url("priority_remove", plan, priority.pk), follow=True)
    assert "still has 1 issue" in response.text
    assert Priority.objects.filter(pk=priority.pk).exists()


def test_a_refused_removal_leaves_the_numbers_unchanged(plan, three):
    f.IssueFactory(priority=three[1])
    with pytest.raises(services.ValidationError):
        services.priority_remove(priority=three[1])
    assert [n for n, _ in titles(plan)] == [1, 2, 3]


# Issues -------------------------------------------------------------------------------


def test_admin_adds_an_issue_at_the_end_of_a_priority(client_for, admin, plan, issue):
    response = client_for(admin).post(url("issue_add", plan, issue.priority.pk), {"title": "Tackle hate crime"})
    assert response.status_code == 302
    added = Issue.objects.get(title="Tackle hate crime")
    assert response.url.endswith(f"#issue-{added.pk}")
    assert list(issue.priority.issues.order_by("order", "pk")) == [issue, added]


def test_an_empty_issue_is_refused_with_an_error_summary(client_for, admin, plan, priority):
    response = client_for(admin).post(url("issue_add", plan, priority.pk), {"title": ""})
    assert response.status_code == 400
    assert "Enter the issue" in response.text
    assert not priority.issues.exists()


def test_admin_changes_an_issue(client_for, admin, plan, issue):
    response = client_for(admin).post(url("issue_edit", plan, issue.pk), {"title": "Feel safer at night"})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.title == "Feel safer at night"
    assert issue.history.count() == 2


def test_admin_moves_an_issue_with_its_actions_to_another_priority(client_for, admin, plan, issue, action):
    second = f.PriorityFactory(plan=plan, number=2, title="Protect the vulnerable")
    form = client_for(admin).get(url("issue_move", plan, issue.pk))
    assert "Protect the vulnerable" in form.text
    response = client_for(admin).post(url("issue_move", plan, issue.pk), {"priority": second.pk})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.priority == second
    assert second.issues.get().actions.get() == action


def test_an_issue_cannot_be_moved_into_another_plans_priority(client_for, admin, plan, partnership, issue):
    f.PriorityFactory(plan=plan, number=2)
    other_plan = f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027)
    elsewhere = f.PriorityFactory(plan=other_plan)
    response = client_for(admin).post(url("issue_move", plan, issue.pk), {"priority": elsewhere.pk})
    assert response.status_code == 400
    assert "Choose a priority of this plan" in response.text
    issue.refresh_from_db()
    assert issue.priority.plan == plan


def test_an_issue_of_the_only_priority_has_nowhere_to_move(client_for, admin, plan, issue):
    page = client_for(admin).get(url("issue_move", plan, issue.pk))
    assert page.status_code == 200
    assert "the plan&#x27;s only priority: add another priority first" in page.text
    assert "Move issue</button>" not in page.text


def test_issues_are_reordered_even_when_an_import_left_them_all_at_zero(client_for, admin, plan, priority):
    first, second, third = (f.IssueFactory(priority=priority, title=t, order=0) for t in "ABC")
    response = client_for(admin).post(url("issue_reorder", plan, third.pk), {"direction": "up"})
    assert response.status_code == 302
    assert [i.title for i in priority.issues.order_by("order", "pk")] == ["A", "C", "B"]


def test_moving_the_first_issue_up_is_refused(client_for, admin, plan, issue):
    response = client_for(admin).post(url("issue_reorder", plan, issue.pk), {"direction": "up"}, follow=True)
    assert "already the first of its priority" in response.text


def test_an_issue_with_actions_is_not_removed_and_the_page_names_them(client_for, admin, plan, issue, action):
    page = client_for(admin).get(url("issue_remove", plan, issue.pk))
    assert page.status_code == 200
    assert "still has 1 action: Deliver Safer Street events" in page.text
    client_for(admin).post(url("issue_remove", plan, issue.pk))
    assert Issue.objects.filter(pk=issue.pk).exists()


def test_admin_removes_an_empty_issue(client_for, admin, plan, issue):
    response = client_for(admin).post(url("issue_remove", plan, issue.pk))
    assert response.status_code == 302
    assert not Issue.objects.filter(pk=issue.pk).exists()


def test_user_text_is_escaped_on_the_structure_pages(client_for, admin, plan, priority):
    f.IssueFactory(priority=priority, title="<script>alert(1)</script>")
    page = client_for(admin).get(plan.get_absolute_url())
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text


def test_the_authoring_links_keep_the_plan_pages_queries_flat(client_for, admin, plan):
    client = client_for(admin)

    def queries():
        with CaptureQueriesContext(connection) as context:
            page = client.get(plan.get_absolute_url())
        assert page.status_code == 200
        assert url("priority_add", plan) in page.text
        return len(context)

    def build(priorities, issues):
        for _ in range(priorities):
            priority = f.PriorityFactory(plan=plan, number=plan.priorities.count() + 1)
            for _ in range(issues):
                f.ActionFactory(issue=f.IssueFactory(priority=priority))

    build(1, 1)
    small = queries()
    build(5, 6)
    assert queries() == small


def test_a_swap_that_fails_half_way_leaves_the_numbers_as_they_were(plan, three, monkeypatch):
    real_save = Priority.save

    def fail_on_the_second_priority(self, *args, **kwargs):
        if self.pk == three[0].pk:
            raise RuntimeError("the database went away")
        real_save(self, *args, **kwargs)

    monkeypatch.setattr(Priority, "save", fail_on_the_second_priority)
    with pytest.raises(RuntimeError):
        services.priority_move(priority=three[0], direction=services.DOWN)
    assert titles(plan) == [(1, "Priority 1 title"), (2, "Priority 2 title"), (3, "Priority 3 title")]
