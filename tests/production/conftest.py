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


@pytest.fixture(scope="module")
def redis_url():
    """Redis database 3 with a key prefix of this module's own; only those keys are removed."""
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


@pytest.fixture(scope="module")
def postgres_url(django_db_setup):
    """The test database's URL, for app server processes to share with the tests.

    Tests that use it need committed data: ``django_db(transaction=True)``.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Needs PostgreSQL: run with DATABASE_URL=postgres://…")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    return f"postgres://{s['USER']}{password}@{host}/{s['NAME']}"


class ServerPool:
    """Starts gunicorn processes with a production environment and stops them all."""

    def __init__(self, log_dir) -> None:
        self.log_dir = log_dir
        self.servers: list[AppServer] = []

    def start(self, name: str = "app", **env: str) -> AppServer:
        server = AppServer(production_env(**env), self.log_dir / f"{name}.log")
        self.servers.append(server)
        return server.start()

    def stop_all(self) -> None:
        for server in self.servers:
            server.stop()


@pytest.fixture
def start_app_server(tmp_path):
    """Start gunicorn processes for one test; all stopped afterwards."""
    pool = ServerPool(tmp_path)
    yield pool.start
    pool.stop_all()


@pytest.fixture
def two_app_servers(postgres_url, redis_url, collected_static, tmp_path):
    """Two app servers, A and B, sharing the test's PostgreSQL database and Redis.

    They run the production settings with the test-only URLs added
    (tests/production/urls.py); point the browser of either at any path. Fresh
    processes for each test: the flush between transactional tests recreates
    rows (content types) that a longer-lived process would still have cached.
    """
    url, prefix = redis_url
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.production.server_settings",
        "DATABASE_URL": postgres_url,
        "REDIS_URL": url,
        "CACHE_KEY_PREFIX": prefix,
        "DJANGO_STATIC_ROOT": str(collected_static),
        # The tests write through the admin as a superuser with a password only.
        "DJANGO_REQUIRE_2FA": "0",
    }
    pool = ServerPool(tmp_path)
    try:
        yield pool.start("a", **env), pool.start("b", **env)
    finally:
        pool.stop_all()
