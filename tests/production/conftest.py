import os
import subprocess
import sys
import uuid

import pytest

from tests.production.servers import ROOT, AppServer, production_env

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory):
    """`collectstatic` as a deployment runs it: hashed, compressed files in STATIC_ROOT."""
    static_root = tmp_path_factory.mktemp("staticfiles")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=production_env(DJANGO_STATIC_ROOT=str(static_root)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return static_root


@pytest.fixture
def redis_url():
    """Redis database 3 with a key prefix of this test's own; only those keys are removed."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {REDIS_TEST_URL}; CI must run these tests.")
        pytest.skip(f"Redis is not reachable at {REDIS_TEST_URL}.")
    prefix = f"timra-production-test-{uuid.uuid4().hex[:12]}"
    yield REDIS_TEST_URL, prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


@pytest.fixture
def postgres_url(transactional_db):
    """The test database's URL, for app server processes to share with the test."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: run with DATABASE_URL=postgres://…")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


@pytest.fixture
def start_app_server(tmp_path):
    """Start gunicorn processes with a production environment; all stopped afterwards."""
    servers: list[AppServer] = []

    def start(name: str = "app", **env: str) -> AppServer:
        server = AppServer(production_env(**env), tmp_path / f"{name}.log")
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def two_app_servers(postgres_url, redis_url, collected_static, start_app_server):
    """Two app servers, A and B, sharing the test's PostgreSQL database and Redis.

    The servers are stopped before the database is flushed (fixture order).
    They run the production settings with the test-only URLs added
    (tests/production/urls.py); point the browser of either at any path.
    """
    url, prefix = redis_url
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.production.server_settings",
        "DATABASE_URL": postgres_url,
        "REDIS_URL": url,
        "CACHE_KEY_PREFIX": prefix,
        "DJANGO_STATIC_ROOT": str(collected_static),
    }
    server_a = start_app_server("a", **env)
    server_b = start_app_server("b", **env)
    return server_a, server_b
