"""Without Redis: two app server processes on one machine, one SQLite database and one
cache folder. A change made through one is what the other serves on its very next
request, although it had the page cached."""

import json
from types import SimpleNamespace

import pytest

from tests.production.servers import AppServer, manage, production_env
from tests.production.test_two_app_servers import PASSWORD, report_progress_through_admin

# Both behind one reverse proxy: the same host name, whichever process answers.
SITE = {"Host": "localhost"}

CREATE_PROMISE = f"""
import json
from datetime import date
from django.contrib.auth import get_user_model
from tests.activities.factories import ActivityFactory, ProgressUpdateFactory
from tests.promises.factories import PromiseFactory
promise = PromiseFactory(title="Trygga skolvägar", period__slug="2021-2022")
activity = ActivityFactory(promise=promise)
ProgressUpdateFactory(activity=activity, percent_complete=37, reported_on=date(2025, 3, 1))
get_user_model().objects.create_superuser("admin", "admin@example.invalid", "{PASSWORD}")
print(json.dumps([promise.pk, activity.pk, activity.lead_organisation_id]))
"""


@pytest.fixture
def one_machine(tmp_path, collected_static):
    """Two gunicorn processes sharing a SQLite file and a cache folder, as one server would."""
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.production.server_settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CACHE_DIR=str(tmp_path / "cache"),
        DJANGO_STATIC_ROOT=str(collected_static),
        # The change is made through the admin as a superuser with a password only.
        DJANGO_REQUIRE_2FA="0",
    )
    assert "REDIS_URL" not in env
    manage(env, "migrate", "--no-input", "-v0")
    created = manage(env, "shell", "-c", CREATE_PROMISE).strip().splitlines()[-1]
    promise, activity, organisation = json.loads(created)
    servers = [AppServer(env, tmp_path / f"{name}.log") for name in ("a", "b")]
    try:
        yield (
            [server.start() for server in servers],
            promise,
            SimpleNamespace(pk=activity, lead_organisation_id=organisation),
        )
    finally:
        for server in servers:
            server.stop()


def get(server: AppServer, path: str):
    response = server.browser().get(path, headers=SITE)
    assert response.status == 200, response.body[:500]
    return response


def test_two_processes_without_redis_share_cached_pages_and_one_invalidation(one_machine):
    (server_a, server_b), promise, activity = one_machine
    path = f"/test/promise/{promise}/"

    assert get(server_a, path).header("X-Cache") == "miss"
    cached = get(server_b, path)  # stored by A, served by B: one cache for both
    assert cached.header("X-Cache") == "hit"
    assert "Trygga skolvägar: 37%" in cached.body

    report_progress_through_admin(server_a, activity, 83)

    after = get(server_b, path)
    assert after.header("X-Cache") == "miss"
    assert "Trygga skolvägar: 83%" in after.body
    assert get(server_a, path).header("X-Cache") == "hit"
