"""Shared test data: one partnership with a plan, and the five people of STYLE.md.

- ``officer``: in the team that owns ``action``;
- ``other_officer``: an officer of the same partnership in another team;
- ``chair``, ``admin``: the partnership's chair and administrator;
- ``outsider``: an admin of another partnership.
"""

import pytest

from partners.models import Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.AXES_ENABLED = True
    # A loaded CI machine renders slower than a user's server; the tests of the limit set their own.
    settings.PDF_DIRECT_TIMEOUT = 120


@pytest.fixture
def partnership(db):
    return f.PartnershipFactory(short_name="Testshire", name="Testshire Community Safety Partnership", slug="testshire")


@pytest.fixture
def other_partnership(db):
    return f.PartnershipFactory(short_name="Otherton", name="Otherton Community Safety Partnership", slug="otherton")


@pytest.fixture
def council(partnership):
    org = f.OrganisationFactory(name="Testshire Borough Council")
    f.MembershipFactory(partnership=partnership, organisation=org)
    return org


@pytest.fixture
def police(partnership):
    org = f.OrganisationFactory(name="Testshire Constabulary", sector="police")
    f.MembershipFactory(partnership=partnership, organisation=org)
    return org


@pytest.fixture
def team(partnership, council):
    return f.TeamFactory(name="Testshire Community Safety Team", organisation=council, partnership=partnership)


@pytest.fixture
def other_team(partnership, police):
    return f.TeamFactory(name="Testshire SNT", organisation=police, partnership=partnership)


@pytest.fixture
def plan(partnership):
    return f.PlanFactory(partnership=partnership, start_year=2025, end_year=2026, slug="testshire-2025-2026")


@pytest.fixture
def priority(plan):
    return f.PriorityFactory(plan=plan, number=1, title="Reduce anti-social behaviour")


@pytest.fixture
def issue(priority):
    return f.IssueFactory(priority=priority, title="Improve feelings of safety")


@pytest.fixture
def action(issue, team):
    return f.ActionFactory(issue=issue, text="Deliver Safer Street events", owner_teams=[team])


def _person(username, partnership, role, teams=()):
    user = f.UserFactory(username=username, teams=list(teams))
    f.RoleFactory(user=user, partnership=partnership, role=role)
    return user


@pytest.fixture
def officer(partnership, team):
    return _person("officer", partnership, Role.Kind.OFFICER, [team])


@pytest.fixture
def other_officer(partnership, other_team):
    return _person("other_officer", partnership, Role.Kind.OFFICER, [other_team])


@pytest.fixture
def chair(partnership):
    return _person("chair", partnership, Role.Kind.CHAIR)


@pytest.fixture
def admin(partnership):
    return _person("admin", partnership, Role.Kind.ADMIN)


@pytest.fixture
def outsider(other_partnership):
    return _person("outsider", other_partnership, Role.Kind.ADMIN)


@pytest.fixture
def superuser(db):
    return f.UserFactory(username="root", is_superuser=True, is_staff=True)


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client signed in as ``user``."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def seeded(db):
    """The real partnerships from fixtures/ (Hertsmere, Dacorum, St Albans), loaded as `make run` does."""
    from django.core.management import call_command

    call_command("load_seed", verbosity=0)


@pytest.fixture
def hertsmere_plan(seeded):
    from plans.models import ActionPlan

    return ActionPlan.objects.select_related("partnership").get(slug="hertsmere-2019-2020")


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Background tasks run as they are queued, in the test's process (Django's immediate
    backend); tests of the queue itself use the ``database_queue`` fixture."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings):
    """Tasks wait in the database queue (django-tasks-db) until a worker takes them."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
