"""Officers propose actions under the issues their teams work on; an admin (or an authoring
chair) accepts or rejects them with a reason; the proposer sees the outcome on My actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import Action, Status
from plans.models import ActionPlan
from plans.pdf.data import load_plan_data
from plans.pdf.options import PdfOptions
from plans.transfer.export import export_rows
from tests import factories as f


def propose_url(plan, issue=None):
    url = reverse("actions:action_propose", args=[plan.slug])
    return f"{url}?issue={issue.pk}" if issue else url


def proposal_data(issue, team, **extra):
    return {"issue": issue.pk, "text": "Add lighting to the underpass", "owner_teams": [team.pk], **extra}


@pytest.fixture
def proposal(issue, team, officer):
    return f.ActionFactory(
        issue=issue,
        text="Add lighting to the underpass",
        owner_teams=[team],
        status=Status.PROPOSED,
        proposed_by=officer,
    )


def decide(client, proposal, **data):
    return client.post(reverse("actions:proposal_decide", args=[proposal.pk]), data)


def test_officer_proposes_under_an_issue_their_team_works_on(client_for, officer, plan, issue, team, action):
    client = client_for(officer)
    assert client.get(propose_url(plan, issue)).status_code == 200
    response = client.post(propose_url(plan), proposal_data(issue, team))
    proposal = Action.objects.get(text="Add lighting to the underpass")
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert (proposal.status, proposal.proposed_by) == (Status.PROPOSED, officer)


def test_a_proposal_stays_out_of_the_plan_page_and_my_actions(client_for, officer, admin, plan, action, proposal):
    page = client_for(admin).get(plan.get_absolute_url())
    assert page.status_code == 200 and action.text in page.text
    assert proposal.text not in page.text
    assert "Proposed actions (1)" in page.text
    mine = client_for(officer).get(reverse("actions:mine"))
    assert action.text in mine.text
    assert "Your proposals" in mine.text and "Waiting for a decision" in mine.text
    assert list(Action.objects.in_plan(plan).open()) == [action]


def test_officer_whose_team_owns_nothing_there_may_not_propose(client_for, other_officer, plan, issue, team, action):
    response = client_for(other_officer).post(propose_url(plan), proposal_data(issue, team))
    assert response.status_code == 403
    assert not Action.objects.filter(text="Add lighting to the underpass").exists()


def test_officer_may_not_propose_under_another_issue(client_for, officer, plan, team, action):
    elsewhere = f.IssueFactory(priority=action.issue.priority, title="Not ours")
    response = client_for(officer).post(propose_url(plan), proposal_data(elsewhere, team))
    assert response.status_code == 400 and "Choose an issue from the list" in response.text
    assert not Action.objects.filter(text="Add lighting to the underpass").exists()


def test_proposal_needs_its_text(client_for, officer, plan, issue, team, action):
    response = client_for(officer).post(propose_url(plan), proposal_data(issue, team, text=""))
    assert response.status_code == 400 and "Enter the action" in response.text


def test_outsider_gets_404_and_archived_plan_refuses(client_for, outsider, officer, plan, issue, team, action):
    assert client_for(outsider).get(propose_url(plan)).status_code == 404
    plan.status = ActionPlan.Status.ARCHIVED
    plan.save()
    assert client_for(officer).post(propose_url(plan), proposal_data(issue, team)).status_code == 403


def test_admin_sees_the_proposals_and_accepts_one(client_for, admin, officer, plan, proposal):
    client = client_for(admin)
    page = client.get(reverse("actions:proposals", args=[plan.slug]))
    assert page.status_code == 200 and proposal.text in page.text
    response = decide(client, proposal, decision="accept", reason="")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by) == (Status.OPEN, admin)
    assert proposal.decided_at is not None
    assert proposal.text in client.get(plan.get_absolute_url()).text
    mine = client_for(officer).get(reverse("actions:mine"))
    assert "Accepted" in mine.text


def test_admin_rejects_with_a_reason_the_officer_sees(client_for, admin, officer, plan, proposal):
    response = decide(client_for(admin), proposal, decision="reject", reason="The council already lights it")
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.status_reason) == (Status.REJECTED, "The council already lights it")
    mine = client_for(officer).get(reverse("actions:mine"))
    assert "Rejected" in mine.text and "The council already lights it" in mine.text


def test_rejecting_needs_a_reason(client_for, admin, proposal):
    response = decide(client_for(admin), proposal, decision="reject", reason=" ")
    assert response.status_code == 400 and "Enter why the proposal is rejected" in response.text
    proposal.refresh_from_db()
    assert proposal.status == Status.PROPOSED


def test_a_decided_proposal_is_not_decided_again(client_for, admin, proposal):
    client = client_for(admin)
    decide(client, proposal, decision="reject", reason="No")
    assert decide(client, proposal, decision="accept").status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == Status.REJECTED


def test_officer_and_chair_may_not_decide_unless_chairs_author(client_for, officer, chair, partnership, plan, proposal):
    assert decide(client_for(officer), proposal, decision="accept").status_code == 403
    assert client_for(chair).get(reverse("actions:proposals", args=[plan.slug])).status_code == 403
    assert decide(client_for(chair), proposal, decision="accept").status_code == 403
    partnership.chairs_may_author = True
    partnership.save()
    assert decide(client_for(chair), proposal, decision="accept").status_code == 302


def test_outsider_gets_404_on_the_proposals(client_for, outsider, plan, proposal):
    assert client_for(outsider).get(reverse("actions:proposals", args=[plan.slug])).status_code == 404
    assert decide(client_for(outsider), proposal, decision="accept").status_code == 404


def test_a_proposal_stays_out_of_exports_the_pdf_and_search(client_for, admin, plan, action, proposal):
    action_rows, _ = export_rows(plan, admin)
    assert action.text in str(action_rows) and proposal.text not in str(action_rows)
    data = load_plan_data(plan, PdfOptions(include_closed=True), user=admin)
    assert action.text in str(data) and proposal.text not in str(data)
    page = client_for(admin).get(reverse("actions:search"), {"q": "underpass"})
    assert page.status_code == 200 and proposal.text not in page.text


def _propose(issue, team, officer, count):
    for n in range(count):
        f.ActionFactory(issue=issue, text=f"Idea {n}", owner_teams=[team], status=Status.PROPOSED, proposed_by=officer)


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_the_proposals_page_and_my_actions_query_as_much_for_20_proposals_as_for_2(
    client_for, admin, officer, plan, issue, team, action, who
):
    client = client_for(admin if who == "admin" else officer)
    url = reverse("actions:proposals", args=[plan.slug]) if who == "admin" else reverse("actions:mine")
    _propose(issue, team, officer, 2)
    small = _queries(client, url)
    _propose(issue, team, officer, 18)
    assert _queries(client, url) == small
