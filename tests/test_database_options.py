"""PostgreSQL settings the app connects with (csp/settings.py, docs/performance.md): no JIT
compilation and no parallel workers, unless DB_JIT_OFF=0 / DB_PARALLEL_OFF=0 (behind PgBouncer,
where they are set on the database instead)."""

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's start-up options")


@pytest.mark.parametrize(("setting", "value"), [("jit", "off"), ("max_parallel_workers_per_gather", "0")])
def test_postgresql_connects_with_the_options_of_the_settings(db, setting, value):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        assert cursor.fetchone()[0] == value
