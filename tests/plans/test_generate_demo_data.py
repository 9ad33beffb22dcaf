import pytest
from django.core.management import call_command

from actions.models import Action, ActionUpdate, Rag
from partners.models import Partnership, Role, User


@pytest.fixture
def generated(db):
    call_command("generate_demo_data", partnerships=2, actions_per_plan=6, updates_per_action=4, stdout=None)


def test_generates_the_requested_numbers_of_fictional_rows(generated):
    assert list(Partnership.objects.values_list("name", "is_fictional")) == [
        ("Generated CSP 001", True),
        ("Generated CSP 002", True),
    ]
    assert Action.objects.count() == 12
    assert ActionUpdate.objects.count() == 48


def test_each_action_carries_the_rating_of_its_latest_update(generated):
    for action in Action.objects.prefetch_related("updates"):
        updates = sorted(action.updates.all(), key=lambda u: (u.date, u.order, u.id))
        assert action.rag == updates[-1].rag
        assert updates[0].previous_rag == Rag.NOT_RATED
        assert all(b.previous_rag == a.rag for a, b in zip(updates, updates[1:], strict=False))


def test_history_exists_as_the_app_would_write_it(generated):
    assert Action.history.filter(history_type="+").count() == 12
    assert ActionUpdate.history.filter(history_type="+").count() == 48
    changes = sum(1 for u in ActionUpdate.objects.all() if u.rag != u.previous_rag)
    assert Action.history.filter(history_type="~").count() == changes


def test_the_county_user_chairs_every_generated_partnership(generated):
    county = User.objects.get(username="generated-county")
    assert set(county.roles.values_list("role", flat=True)) == {Role.Kind.CHAIR}
    assert county.roles.count() == 2


def test_running_twice_adds_more_partnerships(generated):
    call_command("generate_demo_data", partnerships=1, actions_per_plan=1, updates_per_action=1, stdout=None)
    assert Partnership.objects.filter(name="Generated CSP 003").exists()


def _indexes(table):
    """(name, columns, type) of each index of ``table``."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return sorted(
        (name, tuple(info["columns"]), info.get("type")) for name, info in constraints.items() if info["index"]
    )


@pytest.mark.django_db(transaction=True)
def test_a_large_load_on_postgresql_builds_the_dropped_indexes_again(monkeypatch):
    from django.db import connection

    from csp.management.commands import generate_demo_data

    if connection.vendor != "postgresql":
        pytest.skip("COPY and the index rebuild are for PostgreSQL")
    tables = [ActionUpdate._meta.db_table, ActionUpdate.history.model._meta.db_table]
    before = [_indexes(table) for table in tables]
    monkeypatch.setattr(generate_demo_data, "REBUILD_INDEXES_FROM", 1)
    call_command("generate_demo_data", partnerships=1, actions_per_plan=3, updates_per_action=4, stdout=None)
    assert [_indexes(table) for table in tables] == before
    assert ActionUpdate.objects.count() == 12 and ActionUpdate.history.count() == 12


def test_copy_gives_each_update_history_row_its_updates_values(generated):
    for update in ActionUpdate.objects.all():
        row = ActionUpdate.history.get(id=update.pk)
        assert (row.text, row.rag, row.action_id, row.history_date) == (
            update.text,
            update.rag,
            update.action_id,
            update.created_at,
        )
