"""The "done when" of the administration issue, on the demo data: the demo admin invites a
person, gives them a team and role, ends a partner's membership, records an assessment,
creates next year's plan from it and rolls the open actions over."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from actions.models import Action, Status
from csp.loaders.demo import load_demo
from partners.models import Membership, Role, Team, User
from plans.models import ActionPlan, StrategicAssessment

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo_admin(db):
    with time_machine.travel(datetime.datetime(2026, 11, 22, 10, 0), tick=False):
        load_demo(password="demo password for tests", today=TODAY)
    return User.objects.get(username="admin")


def test_demo_admin_runs_the_yearly_cycle(client_for, demo_admin, client, mailoutbox):
    admin = client_for(demo_admin)
    plan = ActionPlan.objects.get(slug="exampleshire-2026-2027")
    partnership = plan.partnership
    slug = partnership.slug

    # Invite a person with a team and a role; they set their password through the link.
    team = Team.objects.get(name="Exampleshire Community Safety Team")
    response = admin.post(
        reverse("partners:invite", args=[slug]),
        {"email": "newcomer@example.org", "first_name": "Nia", "role": "officer", "teams": [team.pk]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(r"https?://\S+/partners/invitations/\S+/", mailoutbox[0].body).group(0)
    path = "/" + link.split("/", 3)[3]

    # End a partner's membership.
    membership = Membership.objects.get(partnership=partnership, organisation__name="Exampleshire College")
    response = admin.post(reverse("partners:membership_end", args=[slug, membership.pk]), {"ended_on": "2026-11-21"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_on == datetime.date(2026, 11, 21)

    # Record this year's strategic assessment.
    response = admin.post(
        reverse("plans:assessment_add", args=[slug]),
        {
            "title": "Strategic Assessment",
            "start_year": 2026,
            "end_year": 2027,
            "top_risks_text": "Assaults without injury\nShoplifting",
            "emerging_risks_text": "Knife crime among under-18s\nFraud against older residents",
        },
    )
    assert response.status_code == 302
    assessment = StrategicAssessment.objects.get(partnership=partnership, start_year=2026)

    # Create next year's plan from it, editing the first priority.
    form = admin.get(reverse("plans:plan_from_assessment", args=[slug, assessment.pk])).context["form"]
    assert form.initial == {"start_year": 2027, "end_year": 2028}
    risks = assessment.emerging_risks()
    response = admin.post(
        reverse("plans:plan_from_assessment", args=[slug, assessment.pk]),
        {
            "title": "Community Safety Action Plan",
            "start_year": 2027,
            "end_year": 2028,
            f"priority_{risks[0].pk}": "Prevent knife crime among young people",
            f"priority_{risks[1].pk}": risks[1].text,
        },
    )
    assert response.status_code == 302
    new_plan = ActionPlan.objects.get(slug="exampleshire-2027-2028")
    assert [p.title for p in new_plan.priorities.all()] == [
        "Prevent knife crime among young people",
        "Fraud against older residents",
    ]

    # Roll the open actions over: all preselected.
    page = admin.get(reverse("plans:roll_over", args=[plan.slug]))
    groups = page.context["form"].groups()
    open_ids = [action.pk for group in groups for action, checked in group["actions"] if checked]
    assert set(open_ids) == set(Action.objects.in_plan(plan).open().values_list("pk", flat=True))
    chosen = {"target": new_plan.pk, "actions": open_ids, "archive": "on"}
    assert admin.post(reverse("plans:roll_over", args=[plan.slug]), chosen).status_code == 200
    response = admin.post(reverse("plans:roll_over_confirm", args=[plan.slug]), chosen)
    assert response.status_code == 302
    carried = Action.objects.in_plan(new_plan)
    assert set(carried.values_list("carried_from", flat=True)) == set(open_ids)
    assert not Action.objects.in_plan(plan).filter(status=Status.OPEN).exists()
    plan.refresh_from_db()
    assert plan.is_archived and plan.rolled_over_to == new_plan

    # The invited person joins.
    client.logout()
    response = client.post(path, {"password1": "a long new passphrase 42", "password2": "a long new passphrase 42"})
    assert response.status_code == 302
    newcomer = User.objects.get(email="newcomer@example.org")
    assert newcomer.role_in(partnership) == Role.Kind.OFFICER
    assert list(newcomer.teams.all()) == [team]
