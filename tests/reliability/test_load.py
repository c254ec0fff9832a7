"""A minute at 64 connections: residents reading, reporters reporting, nothing failing.

One gunicorn with two sync workers, the production settings, the test's
PostgreSQL database and Redis, as in production behind the proxy. Runs in the
PostgreSQL run of the suite only (the postgres_url fixture skips it on SQLite),
so CI spends the minute once.
"""

import os
import time
from collections import Counter

import pytest

from accounts.roles import REPORTER
from accounts.services import staff_user_create
from activities.models import ProgressUpdate
from demo.scene import build_scene
from tests.conftest import STAFF_PASSWORD
from tests.production.servers import AppServer, production_env
from tests.reliability.load import (
    CLIENT_TIMEOUT,
    Bounds,
    Recorder,
    Reporter,
    public_pages,
    run_threads,
    summary,
    visit,
)

pytestmark = pytest.mark.django_db(transaction=True)

# The load of issue 7; CI always runs all of it. Locally a shorter run can be
# asked for with RELIABILITY_LOAD_SECONDS=10.
LOAD_SECONDS = 60
CONNECTIONS = 64
EXTRA_REPORTERS_PER_ORGANISATION = 3
# Far more than a minute allows; the deadline ends the loops, this only bounds them.
MAX_REQUESTS_PER_CONNECTION = 20_000
LOAD_TEXT = "Lasttest"

EXPECTED_STATUS = {
    "home": 200,
    "promise-list": 200,
    "promise": 200,
    "meeting": 200,
    "search": 200,
    "api": 200,
    "static": 200,
    "login-form": 200,
    "login": 302,
    "report-form": 200,
    "report": 302,
    "double-submit": 302,
    "my-activities": 200,
}


def load_seconds() -> float:
    if os.environ.get("CI"):
        return LOAD_SECONDS
    return float(os.environ.get("RELIABILITY_LOAD_SECONDS", LOAD_SECONDS))


@pytest.fixture
def reporters(
    police_reporter, municipality_reporter, police_organisation, municipality_organisation
):
    """Timrå's promises with the demo activity plan, and eight reporters of two organisations."""
    build_scene()
    users = [police_reporter, municipality_reporter]
    for organisation in (police_organisation, municipality_organisation):
        for n in range(2, 2 + EXTRA_REPORTERS_PER_ORGANISATION):
            users.append(
                staff_user_create(
                    username=f"{organisation.slug}-rapportor-{n}",
                    role=REPORTER,
                    organisation=organisation,
                    password=STAFF_PASSWORD,
                    email=f"{organisation.slug}-{n}@example.invalid",
                )
            )
    return users


@pytest.fixture
def app_server(postgres_url, redis_url, collected_static, tmp_path):
    """Two workers on the test database and Redis, with production settings and limits,
    except the API's per-address limit: every simulated resident comes from 127.0.0.1."""
    url, prefix = redis_url
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.production.server_settings",
        DATABASE_URL=postgres_url,
        REDIS_URL=url,
        CACHE_KEY_PREFIX=prefix,
        DJANGO_STATIC_ROOT=str(collected_static),
        API_ANON_REQUESTS_PER_MINUTE="1000000",
    )
    server = AppServer(env, tmp_path / "gunicorn.log", workers=2)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_a_minute_at_64_connections_has_no_error_and_stores_each_accepted_report_once(
    app_server, reporters, capsys
):
    seconds = load_seconds()
    pages = public_pages(app_server.browser())
    recorder = Recorder()
    clients = [
        Reporter(app_server.url, user.username, STAFF_PASSWORD, recorder, f"{LOAD_TEXT} {n}", n)
        for n, user in enumerate(reporters)
    ]
    for client in clients:
        client.log_in()
        client.find_activities()

    bounds = Bounds(seconds, MAX_REQUESTS_PER_CONNECTION)
    visitors = CONNECTIONS - len(clients)
    targets = [lambda c=c: c.report_repeatedly(bounds) for c in clients] + [
        lambda n=n: visit(app_server.url, pages, recorder, bounds, seed=n) for n in range(visitors)
    ]
    started = time.monotonic()
    run_threads(targets, join_seconds=seconds + CLIENT_TIMEOUT + 30)
    elapsed = time.monotonic() - started

    outcomes = recorder.snapshot()
    forms = [form for client in clients for form in client.forms]
    doubled = [form for client in clients for form in client.double_submitted]
    log = app_server.log()
    title = f"Load, {CONNECTIONS} connections ({len(clients)} reporters)"
    with capsys.disabled():
        print(f"\n{summary(title, outcomes, elapsed)}")
        print(
            f"  reports: {sum(f.accepted for f in forms)} accepted of {len(forms)} sent, "
            f"{len(doubled)} sent twice; workers recycled (GUNICORN_MAX_REQUESTS): "
            f"{log.count('Booting worker') - 2}"
        )

    unanswered = [o for o in outcomes if o.status is None]
    assert not unanswered, f"{len(unanswered)} requests got no answer, e.g. {unanswered[:3]}"
    server_errors = [o for o in outcomes if o.status >= 500]
    assert not server_errors, f"{len(server_errors)} server errors, e.g. {server_errors[:2]}"
    unexpected = [o for o in outcomes if o.status != EXPECTED_STATUS[o.kind]]
    assert not unexpected, f"{len(unexpected)} unexpected answers, e.g. {unexpected[:3]}"
    assert "Error handling request" not in log and "WORKER TIMEOUT" not in log

    # The load really was a load, and every reporter reported.
    assert len(outcomes) >= CONNECTIONS * 10
    assert all(len(client.forms) >= 3 for client in clients), [len(c.forms) for c in clients]
    assert doubled, "no form was sent twice"

    assert all(form.accepted for form in forms)
    # Each form's text is unique: stored once each, and nothing else stored.
    stored = Counter(
        ProgressUpdate.objects.filter(text__startswith=LOAD_TEXT).values_list("text", flat=True)
    )
    assert len(forms) == len({form.text for form in forms})
    assert stored == Counter(form.text for form in forms)
