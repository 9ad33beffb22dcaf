"""The partnership administrator's pages in a real browser, each checked with axe-core."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import Rag, Status
from partners.models import Contact, Role
from plans.models import Risk
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def year(partnership, council, team, plan, action):
    """A finished plan with an open action, an assessment with emerging risks, a group, contacts."""
    f.ActionFactory(issue=action.issue, text="Finished work", status=Status.COMPLETED, rag=Rag.BLUE)
    action.rag = Rag.AMBER
    action.save()
    assessment = f.AssessmentFactory(partnership=partnership, start_year=2025, end_year=2026)
    f.RiskFactory(assessment=assessment, kind=Risk.Kind.TOP, text="Residential burglary")
    f.RiskFactory(assessment=assessment, kind=Risk.Kind.EMERGING, text="Serious youth violence")
    f.RiskFactory(assessment=assessment, kind=Risk.Kind.EMERGING, text="Domestic abuse")
    f.StrategicAimFactory(strategy=f.StrategyFactory(partnership=partnership), text="Reduce crime")
    group = f.GovernanceGroupFactory(partnership=partnership, name="Testshire RAG")
    group.members.add(council)
    Contact.objects.create(
        partnership=partnership, organisation=council, name="Council switchboard", phone="01234 567890", is_public=True
    )
    return assessment


def test_every_directory_page_is_accessible(page, sign_in, admin, partnership, council, team, year, assert_accessible):
    sign_in(admin)
    p = partnership
    for url, heading in [
        (f"/partners/{p.slug}/", f"Partners of {p.name}"),
        (f"/partners/{p.slug}/organisations/{council.pk}/", council.name),
        (f"/partners/{p.slug}/organisations/{council.pk}/edit/", f"Change {council.name}"),
        (f"/partners/{p.slug}/add/", "Add a partner"),
        (f"/partners/{p.slug}/memberships/{council.memberships.get().pk}/end/", f"End {council.name}'s membership"),
        (f"/partners/{p.slug}/teams/{team.pk}/delete/", f"Delete {team.name}"),
        (f"/partners/{p.slug}/contacts/", f"{p.name}: contact details"),
        (f"/partners/{p.slug}/groups/", "Governance groups"),
        (f"/partners/{p.slug}/groups/new/", "Add a governance group"),
        (f"/partners/{p.slug}/people/", f"People in {p.name}"),
        (f"/partners/{p.slug}/people/invite/", "Invite a person"),
        (f"/partners/{p.slug}/people/{admin.pk}/", admin.get_full_name()),
        (f"/plans/cycle/{p.slug}/", "Yearly planning"),
        (f"/plans/cycle/{p.slug}/strategies/new/", "Add a strategy"),
        (f"/plans/cycle/{p.slug}/assessments/new/", "Record a strategic assessment"),
        (f"/plans/cycle/{p.slug}/assessments/{year.pk}/", str(year)),
        (f"/plans/cycle/{p.slug}/assessments/{year.pk}/new-plan/", f"Create next year's plan from {year}"),
        ("/plans/testshire-2025-2026/archive/", "Archive Testshire Community Safety Action Plan 2025 - 2026"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, heading)


def test_an_error_on_the_add_partner_page_is_accessible(page, sign_in, admin, partnership, council, assert_accessible):
    sign_in(admin)
    page.goto(f"/partners/{partnership.slug}/add/")
    page.get_by_label("Or a new organisation's name").fill("testshire borough COUNCIL")
    page.get_by_label("Statutory responsible authority").check()
    page.get_by_role("button", name="Add partner").click()
    expect(page.get_by_text("There is a problem")).to_be_visible()
    assert_accessible(page, "Add a partner")


def test_demo_admin_runs_the_year(
    page, sign_in, admin, partnership, council, team, action, year, assert_accessible, mailoutbox, live_server
):
    """Invite a person with a team and role, end a membership, record an assessment,
    create next year's plan from it and roll the open actions over."""
    sign_in(admin)

    # Invite a person.
    page.goto(f"/partners/{partnership.slug}/people/invite/")
    page.get_by_label("Email address").fill("sam.new@example.org")
    page.get_by_label("Chair or reviewer").check()
    page.get_by_label(re.compile("Testshire Community Safety Team")).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("An invitation was sent to sam.new@example.org")).to_be_visible()
    assert_accessible(page, "People in Testshire Community Safety Partnership")

    # End a partner's membership.
    police = f.OrganisationFactory(name="Old Probation Company")
    membership = f.MembershipFactory(partnership=partnership, organisation=police)
    page.goto(f"/partners/{partnership.slug}/memberships/{membership.pk}/end/")
    page.get_by_label("Left on").fill("2024-03-31")
    page.get_by_role("button", name="End membership").click()
    expect(page.get_by_text("membership has ended")).to_be_visible()
    assert_accessible(page, "Old Probation Company")

    # Record an assessment.
    page.goto(f"/plans/cycle/{partnership.slug}/assessments/new/")
    page.get_by_label("First year", exact=True).fill("2026")
    page.get_by_label("Last year", exact=True).fill("2027")
    page.get_by_label("Top risks").fill("Assaults without injury\nResidential burglary")
    page.get_by_label("Emerging risks").fill("Knife crime\nExploitation of young people")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Strategic Assessment 2026 - 2027")).to_be_visible()
    assert_accessible(page, "Strategic Assessment 2026 - 2027")

    # Create next year's plan from it, editing a priority.
    page.get_by_role("link", name="Create next year's plan").click()
    page.get_by_label("Priority 1").fill("Identify and prevent serious youth violence, with a focus on knife crime")
    page.get_by_role("button", name="Create plan").click()
    expect(page.get_by_role("heading", name=re.compile("Action Plan 2027 - 2028"))).to_be_visible()

    # Roll the open actions of 2025-2026 over, into 2027-2028.
    page.goto("/plans/testshire-2025-2026/roll-over/")
    assert page.get_by_role("checkbox", name=re.compile("Deliver Safer Street events")).is_checked()
    assert_accessible(page, "Roll over Testshire Community Safety Action Plan 2025 - 2026")
    page.get_by_role("button", name=re.compile("Roll over and archive")).click()
    expect(page.get_by_text("1 action carried forward")).to_be_visible()
    expect(page.get_by_role("link", name="Deliver Safer Street events")).to_be_visible()
    assert_accessible(page, "Testshire Community Safety Action Plan 2027 - 2028")

    # The invited person sets a password and arrives with their role.
    link = re.search(r"https?://\S+/partners/invitations/\S+/", mailoutbox[0].body).group(0)
    page.context.clear_cookies()
    page.goto(link.replace(re.match(r"https?://[^/]+", link).group(0), live_server.url))
    assert_accessible(page, "Join Testshire Community Safety Partnership")
    page.get_by_label("Choose a password").fill("a long new passphrase 42")
    page.get_by_label("Type the password again").fill("a long new passphrase 42")
    page.get_by_role("button", name="Set password and join").click()
    expect(page.get_by_text("Welcome")).to_be_visible()
    from partners.models import User

    assert User.objects.get(email="sam.new@example.org").role_in(partnership) == Role.Kind.CHAIR


def test_public_pages_without_sign_in_are_accessible(page, partnership, council, year, assert_accessible):
    partnership.contacts_public = True
    partnership.save()
    assert page.goto(f"/partners/{partnership.slug}/contacts/").status == 200
    expect(page.get_by_text("Council switchboard")).to_be_visible()
    assert_accessible(page, "Testshire Community Safety Partnership: contact details")
    assert page.goto("/partners/invitations/no-such-token/").status == 404
    assert_accessible(page, "This link does not work")


def test_every_administration_page_on_the_demo_data_is_accessible(page, sign_in, assert_accessible):
    import datetime

    from csp.loaders.demo import load_demo
    from partners.models import Membership, Team, User
    from plans.models import ActionPlan, StrategicAssessment

    load_demo(password="correct horse battery staple", reset=True, today=datetime.date(2026, 11, 22))
    admin = User.objects.get(username="admin")
    plan = ActionPlan.objects.get(slug="exampleshire-2026-2027")
    s = plan.partnership.slug
    membership = Membership.objects.filter(partnership=plan.partnership).first()
    team = Team.objects.get(name="Exampleshire Community Safety Team")
    assessment = StrategicAssessment.objects.filter(partnership=plan.partnership).first()
    sign_in(admin)
    name = plan.partnership.name
    organisation = membership.organisation.name
    for url, heading in [
        (f"/partners/{s}/", f"Partners of {name}"),
        (f"/partners/{s}/organisations/{membership.organisation_id}/", organisation),
        (f"/partners/{s}/memberships/{membership.pk}/end/", f"End {organisation}'s membership"),
        (f"/partners/{s}/teams/{team.pk}/delete/", f"Delete {team.name}"),
        (f"/partners/{s}/contacts/", f"{name}: contact details"),
        (f"/partners/{s}/groups/", "Governance groups"),
        (f"/partners/{s}/groups/new/", "Add a governance group"),
        (f"/partners/{s}/people/", f"People in {name}"),
        (f"/partners/{s}/people/invite/", "Invite a person"),
        (f"/partners/{s}/people/{admin.pk}/", admin.get_full_name()),
        (f"/plans/cycle/{s}/", "Yearly planning"),
        (f"/plans/cycle/{s}/assessments/{assessment.pk}/", str(assessment)),
        (f"/plans/cycle/{s}/assessments/{assessment.pk}/new-plan/", f"Create next year's plan from {assessment}"),
        (f"/plans/{plan.slug}/roll-over/", f"Roll over {plan.full_title}"),
        (f"/plans/{plan.slug}/archive/", f"Archive {plan.full_title}"),
        (f"/plans/{plan.slug}/", plan.full_title),
        ("/plans/exampleshire-2025-2026/", "Exampleshire Community Safety Action Plan 2025 - 2026"),
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page, heading)
