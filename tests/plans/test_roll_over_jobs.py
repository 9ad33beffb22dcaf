"""Large roll-overs are carried by a background task while a page follows them: small ones
stay in the request, the task checks the choices again, a retry carries nothing twice, one
roll-over of a plan at a time, and only the asker and the administrators follow it."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from actions.models import Action, Status
from csp import schedule
from partners.models import Role
from partners.queue import WORKER_LOST
from plans import roll_over_jobs
from plans.models import ActionPlan, RollOverJob
from tests import factories as f
from tests.queue_helpers import run_queued_tasks

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 4, 2, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def direct_up_to_two(settings):
    settings.ROLL_OVER_DIRECT_MAX_ACTIONS = 2
    settings.TASK_STALE_SECONDS = 600


@pytest.fixture
def open_actions(plan, team):
    """Three open actions of the 2025-2026 plan, under one issue, owned by ``team``."""
    priority = f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")
    issue = f.IssueFactory(priority=priority, title="Improve feelings of safety")
    return [f.ActionFactory(issue=issue, text=f"Action {n}", owner_teams=[team]) for n in range(3)]


@pytest.fixture
def next_plan(partnership):
    return f.PlanFactory(partnership=partnership, start_year=2026, end_year=2027, slug="testshire-2026-2027")


def confirm(client, plan, target, actions, archive=False):
    data = {"target": target.pk, "actions": [a.pk for a in actions]}
    if archive:
        data["archive"] = "on"
    return client.post(reverse("plans:roll_over_confirm", args=[plan.slug]), data)


def carried_into(target):
    return Action.objects.in_plan(target).count()


# Where it runs -----------------------------------------------------------------------------------


def test_a_roll_over_of_as_many_actions_as_the_limit_is_carried_while_the_browser_waits(
    client_for, admin, plan, open_actions, next_plan
):
    response = confirm(client_for(admin), plan, next_plan, open_actions[:2])
    assert response["Location"] == next_plan.get_absolute_url()
    assert carried_into(next_plan) == 2
    assert not RollOverJob.objects.exists()


def test_a_roll_over_of_more_actions_than_the_limit_is_carried_by_a_task(
    client_for, admin, plan, open_actions, next_plan
):
    client = client_for(admin)
    response = confirm(client, plan, next_plan, open_actions, archive=True)
    job = RollOverJob.objects.get()
    assert response["Location"] == job.get_absolute_url()
    assert (job.state, job.total, job.archive, job.asked_by) == ("done", 3, True, admin)
    page = client.get(response["Location"]).content.decode()
    assert "Roll-over complete" in page
    assert f"3 actions carried forward into {next_plan.full_title}. {plan.full_title} is now archived." in page
    assert next_plan.get_absolute_url() in page
    assert carried_into(next_plan) == 3


def test_the_confirmation_page_says_a_large_roll_over_runs_in_the_background(
    client_for, admin, plan, open_actions, next_plan
):
    data = {"target": next_plan.pk, "actions": [a.pk for a in open_actions]}
    page = client_for(admin).post(reverse("plans:roll_over", args=[plan.slug]), data).content.decode()
    assert "carried in the background" in page


def test_confirming_queues_a_task_with_the_choices_and_carries_nothing_yet(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    response = confirm(client, plan, next_plan, open_actions)
    job = RollOverJob.objects.get()
    task = DBTaskResult.objects.get()
    assert (job.state, job.task_id) == ("queued", str(task.pk))
    assert (task.task_path, task.args_kwargs["args"]) == ("plans.tasks.run_roll_over", [job.pk, 1])
    assert job.choices == {
        "actions": sorted(a.pk for a in open_actions),
        "mapping": {str(open_actions[0].issue_id): "same"},
    }
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for a free worker: next in the queue." in page and "data-progress" in page
    assert carried_into(next_plan) == 0


def test_a_worker_carries_the_queued_roll_over(client_for, admin, plan, open_actions, next_plan, database_queue):
    client = client_for(admin)
    response = confirm(client, plan, next_plan, open_actions)
    RollOverJob.objects.update(state="running")
    assert f"Carrying 3 actions into {next_plan.full_title}." in client.get(response["Location"]).content.decode()
    RollOverJob.objects.update(state="queued")
    assert run_queued_tasks() == 1
    assert carried_into(next_plan) == 3
    assert set(Action.objects.filter(pk__in=[a.pk for a in open_actions]).values_list("status", flat=True)) == {
        Status.CARRIED_FORWARD
    }
    assert "Roll-over complete" in client.get(response["Location"]).content.decode()


def test_the_issues_mapping_goes_with_the_job(client_for, admin, plan, open_actions, next_plan, database_queue):
    violence = f.PriorityFactory(plan=next_plan, number=1, title="Serious violence")
    data = {
        "target": next_plan.pk,
        "actions": [a.pk for a in open_actions],
        f"issue_{open_actions[0].issue_id}": f"p{violence.pk}",
    }
    client_for(admin).post(reverse("plans:roll_over_confirm", args=[plan.slug]), data)
    run_queued_tasks()
    assert set(Action.objects.in_plan(next_plan).values_list("issue__priority", flat=True)) == {violence.pk}


# Checked again by the task -----------------------------------------------------------------------


def test_an_action_closed_after_the_confirm_fails_the_job_and_carries_nothing(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    response = confirm(client, plan, next_plan, open_actions)
    Action.objects.filter(pk=open_actions[1].pk).update(status=Status.COMPLETED)
    run_queued_tasks()
    job = RollOverJob.objects.get()
    assert job.state == "failed"
    assert job.message == "Only open actions can be carried forward; “Action 1” is completed. Nothing was carried."
    page = client.get(response["Location"]).content.decode()
    assert "The actions were not carried forward" in page and job.message in page
    assert f"?target={next_plan.pk}" in page
    assert carried_into(next_plan) == 0


def test_a_target_archived_after_the_confirm_fails_the_job(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    confirm(client_for(admin), plan, next_plan, open_actions)
    ActionPlan.objects.filter(pk=next_plan.pk).update(status=ActionPlan.Status.ARCHIVED)
    run_queued_tasks()
    job = RollOverJob.objects.get()
    assert job.state == "failed" and "Choose a later plan of the same partnership" in job.message
    assert Action.objects.filter(status=Status.OPEN).count() == 3


def test_a_priority_removed_after_the_confirm_fails_the_job(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    violence = f.PriorityFactory(plan=next_plan, number=1, title="Serious violence")
    data = {
        "target": next_plan.pk,
        "actions": [a.pk for a in open_actions],
        f"issue_{open_actions[0].issue_id}": f"p{violence.pk}",
    }
    client_for(admin).post(reverse("plans:roll_over_confirm", args=[plan.slug]), data)
    violence.delete()
    run_queued_tasks()
    job = RollOverJob.objects.get()
    assert job.state == "failed" and "has been removed since the roll-over was confirmed" in job.message
    assert carried_into(next_plan) == 0


def test_an_unexpected_error_fails_the_job_in_plain_words(
    client_for, admin, plan, open_actions, next_plan, database_queue, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(roll_over_jobs.cycle, "plan_roll_over", broken)
    confirm(client_for(admin), plan, next_plan, open_actions)
    run_queued_tasks()
    assert RollOverJob.objects.get().message == roll_over_jobs.UNEXPECTED


def test_an_action_deleted_after_the_confirm_fails_the_job(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    confirm(client_for(admin), plan, next_plan, open_actions)
    open_actions[2].delete()
    run_queued_tasks()
    job = RollOverJob.objects.get()
    assert job.state == "failed" and "Some of the chosen actions have been deleted" in job.message
    assert carried_into(next_plan) == 0


def test_an_attempt_handed_to_another_worker_meanwhile_is_undone(
    client_for, admin, plan, open_actions, next_plan, database_queue, monkeypatch
):
    monkeypatch.setattr(roll_over_jobs, "_finish", lambda *args, **kwargs: 0)
    confirm(client_for(admin), plan, next_plan, open_actions)
    run_queued_tasks()
    assert carried_into(next_plan) == 0
    assert Action.objects.filter(status=Status.OPEN).count() == 3


# Never twice ------------------------------------------------------------------------------------


def test_a_task_run_twice_carries_once(client_for, admin, plan, open_actions, next_plan, database_queue):
    confirm(client_for(admin), plan, next_plan, open_actions)
    job = RollOverJob.objects.get()
    roll_over_jobs.job_run(job.pk, attempt=1)
    roll_over_jobs.job_run(job.pk, attempt=1)
    assert carried_into(next_plan) == 3


def test_a_retry_after_the_actions_were_carried_carries_none_again(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    confirm(client_for(admin), plan, next_plan, open_actions)
    run_queued_tasks()
    # As if the worker had been lost after carrying them: the job is handed out once more.
    RollOverJob.objects.update(state="running", finished_at=None)
    roll_over_jobs.job_lost(RollOverJob.objects.get().pk)
    run_queued_tasks()
    job = RollOverJob.objects.get()
    assert (job.state, job.attempt, job.result) == ("done", 2, {"carried": 0, "already_carried": 3})
    assert "3 actions were already carried, so not carried again." in job.message
    assert carried_into(next_plan) == 3


def _running_since(moment):
    """Claim every queued task as a worker would have at ``moment``, as if it died then."""
    with time_machine.travel(moment, tick=False):
        for task in DBTaskResult.objects.ready():
            task.claim("worker-that-died")
    RollOverJob.objects.update(state="running")


def test_a_roll_over_whose_worker_died_is_queued_again_once_then_fails(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    with time_machine.travel(NOW, tick=False):
        confirm(client_for(admin), plan, next_plan, open_actions)
    _running_since(NOW)
    with time_machine.travel(NOW + datetime.timedelta(seconds=601), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    job = RollOverJob.objects.get()
    assert (job.state, job.attempt) == ("queued", 2)
    assert DBTaskResult.objects.get(pk=job.task_id).status == TaskResultStatus.READY

    _running_since(NOW + datetime.timedelta(seconds=700))
    with time_machine.travel(NOW + datetime.timedelta(seconds=1400), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    job.refresh_from_db()
    assert (job.state, job.message) == ("failed", f"{WORKER_LOST} Nothing was carried.")
    assert carried_into(next_plan) == 0


def test_a_requeued_roll_over_is_carried_by_the_next_worker(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    with time_machine.travel(NOW, tick=False):
        confirm(client_for(admin), plan, next_plan, open_actions)
    _running_since(NOW)
    with time_machine.travel(NOW + datetime.timedelta(seconds=601), tick=False):
        schedule.tick(only=["fail_stale_tasks"])
    run_queued_tasks()
    assert RollOverJob.objects.get().state == "done"
    assert carried_into(next_plan) == 3


def test_a_job_whose_task_failed_outside_the_job_is_shown_failed(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    response = confirm(client, plan, next_plan, open_actions)
    DBTaskResult.objects.update(status=TaskResultStatus.FAILED)
    page = client.get(response["Location"]).content.decode()
    assert "Roll-over failed" in page and roll_over_jobs.UNEXPECTED in page


# One at a time ----------------------------------------------------------------------------------


def test_a_second_roll_over_of_the_plan_is_refused_while_one_is_queued(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    confirm(client, plan, next_plan, open_actions)
    response = confirm(client, plan, next_plan, open_actions)
    assert response.status_code == 400
    assert f"A roll-over of {plan.full_title} into {next_plan.full_title} is already under way." in (
        response.content.decode()
    )
    assert RollOverJob.objects.count() == 1


def test_a_small_roll_over_is_refused_too_while_a_large_one_is_queued(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    confirm(client, plan, next_plan, open_actions)
    response = confirm(client, plan, next_plan, open_actions[:1])
    assert response.status_code == 400 and "is already under way" in response.content.decode()
    assert carried_into(next_plan) == 0


def test_the_roll_over_page_links_to_the_roll_over_under_way(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    confirm(client, plan, next_plan, open_actions)
    page = client.get(reverse("plans:roll_over", args=[plan.slug])).content.decode()
    assert "is under way" in page and RollOverJob.objects.get().get_absolute_url() in page


def test_once_it_ended_the_plan_may_be_rolled_over_again(
    client_for, admin, plan, open_actions, next_plan, database_queue
):
    client = client_for(admin)
    confirm(client, plan, next_plan, open_actions)
    Action.objects.filter(pk=open_actions[0].pk).update(status=Status.COMPLETED)
    run_queued_tasks()
    Action.objects.filter(pk=open_actions[0].pk).update(status=Status.OPEN)
    assert confirm(client, plan, next_plan, open_actions).status_code == 302
    assert RollOverJob.objects.count() == 2


# Who follows it ---------------------------------------------------------------------------------


@pytest.fixture
def job(client_for, admin, plan, open_actions, next_plan, database_queue):
    confirm(client_for(admin), plan, next_plan, open_actions)
    return RollOverJob.objects.get()


def _get(user, job):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(job.get_absolute_url())


def test_the_asker_follows_the_roll_over(admin, job):
    assert _get(admin, job).status_code == 200


def test_another_administrator_follows_the_roll_over(partnership, job):
    colleague = f.UserFactory(username="admin2")
    f.RoleFactory(user=colleague, partnership=partnership, role=Role.Kind.ADMIN)
    assert _get(colleague, job).status_code == 200


def test_the_asker_follows_it_after_losing_the_admin_role(admin, job):
    admin.roles.update(role=Role.Kind.CHAIR)
    assert _get(admin, job).status_code == 200


def test_an_officer_may_not_follow_the_roll_over(officer, job):
    assert _get(officer, job).status_code == 403


def test_a_chair_may_not_follow_the_roll_over(chair, job):
    assert _get(chair, job).status_code == 403


def test_an_outsider_does_not_find_the_roll_over(outsider, job):
    assert _get(outsider, job).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(job):
    response = _get(None, job)
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


def test_a_roll_over_of_another_partnership_is_not_found_under_this_plan(admin, plan, job, other_partnership):
    theirs = f.PlanFactory(partnership=other_partnership, start_year=2025, end_year=2026, slug="otherton-2025-2026")
    their_next = f.PlanFactory(partnership=other_partnership, start_year=2026, end_year=2027)
    other_job = RollOverJob.objects.create(plan=theirs, target=their_next, total=3)
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("plans:roll_over_progress", args=[plan.slug, other_job.pk])).status_code == 404


def test_an_unknown_roll_over_is_not_found(admin, plan, job):
    client = Client()
    client.force_login(admin)
    assert client.get(reverse("plans:roll_over_progress", args=[plan.slug, job.pk + 100])).status_code == 404


def test_the_progress_page_asks_the_same_few_queries_whatever_the_size(
    client_for, admin, plan, team, next_plan, database_queue, settings
):
    """Measured at 3 and 30 actions: the page reads the job, not the actions."""
    priority = f.PriorityFactory(plan=plan, number=1)
    issue = f.IssueFactory(priority=priority)
    counts = []
    client = client_for(admin)
    for size in (3, 30):
        actions = [f.ActionFactory(issue=issue, owner_teams=[team]) for _ in range(size)]
        RollOverJob.objects.all().delete()
        confirm(client, plan, next_plan, actions)
        url = RollOverJob.objects.get().get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
