"""Fixtures for the reliability tests: a PostgreSQL and a Redis of the test's own.

The long tests (the load, the database and the cache outage) run once per CI
run, in the PostgreSQL run of the suite; on SQLite they are skipped with the
reason. The quick ones (the outage page of a server whose database is absent)
run on both.
"""

import pytest
from django.conf import settings

# The production tests' fixtures: a collected static folder, the test database's
# URL for app servers (skips on SQLite), a Redis key prefix, gunicorn processes.
from tests.production.conftest import (  # noqa: F401
    collected_static,
    postgres_url,
    redis_url,
    start_app_server,
)
from tests.reliability.services import PrivatePostgres, PrivateRedis


@pytest.fixture
def postgresql_run():
    """Skip unless the suite itself runs on PostgreSQL (once per CI, not on both runs)."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip(
            "Runs once per CI, in the suite's PostgreSQL run: "
            "DATABASE_URL=postgres://… .venv/bin/pytest tests/reliability"
        )


@pytest.fixture
def private_postgres():
    """A running PostgreSQL cluster of this test's own; stopped and removed afterwards."""
    postgres = PrivatePostgres()
    try:
        postgres.initialise()
        postgres.start()
        yield postgres
    finally:
        postgres.remove()


@pytest.fixture
def private_redis():
    """A running redis-server of this test's own; stopped and removed afterwards."""
    server = PrivateRedis()
    try:
        server.start()
        yield server
    finally:
        server.remove()
