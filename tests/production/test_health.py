"""/healthz says the process is alive; /readyz that it can serve pages."""

import json

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings

from tests.production.servers import free_port
from timra_trygghet import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forget_migration_state():
    health._migrations_seen_applied = False
    yield
    health._migrations_seen_applied = False


def test_healthz_answers_ok_uncached_and_without_cookies(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert client.get("/healthz")["X-Cache"] != "hit"


def test_readyz_is_ok_when_database_cache_and_migrations_are(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies


def test_readyz_is_unavailable_while_a_migration_is_not_applied(client):
    MigrationRecorder.Migration.objects.filter(app="followup").delete()

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["migrations"]}


def test_readyz_is_unavailable_when_the_cache_is_unreachable(client):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/readyz")
        assert client.get("/healthz").status_code == 200

    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": ["cache"]}


def test_health_checks_accept_only_get_and_head(client):
    assert client.post("/healthz").status_code == 405
    assert client.head("/readyz").status_code == 200


def test_readyz_is_unavailable_when_the_database_is_unreachable(start_app_server, tmp_path):
    """A real app server whose PostgreSQL is down: alive, but not ready, and says why."""
    server = start_app_server(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{free_port()}/timra_production_absent",
        DJANGO_STATIC_ROOT=str(tmp_path),
    )
    browser = server.browser()

    ready = browser.get("/readyz")
    alive = browser.get("/healthz")

    assert ready.status == 503
    body = json.loads(ready.body)
    assert body["status"] == "unavailable"
    assert "database" in body["failed"] and "cache" not in body["failed"]
    assert alive.status == 200 and json.loads(alive.body) == {"status": "ok"}
    assert not ready.set_cookies()
