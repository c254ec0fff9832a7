"""When PostgreSQL goes away: a friendly 503, /readyz says why, and the same workers
recover on their own when it is back, without losing or doubling a report.

The outage test stops a PostgreSQL cluster of its own (tests/reliability/services.py)
while residents and reporters use the site; it runs in the PostgreSQL run of the
suite. The shorter tests, of a server whose database is not there at all, run
on SQLite too.
"""

import json
import socket
import time
from collections import Counter

import psycopg
import pytest

from tests.production.servers import (
    SECRET_KEY,
    AppServer,
    Browser,
    free_port,
    manage,
    production_env,
)
from tests.reliability.load import (
    CLIENT_TIMEOUT,
    Bounds,
    Recorder,
    Reporter,
    Threads,
    public_pages,
    summary,
    visit,
)
from tests.reliability.services import worker_pids

OUTAGE_TEXT = "Tjänsten är tillfälligt otillgänglig"
LEAKS = ("Traceback", "OperationalError", "psycopg", "sqlite3", "Connection refused", SECRET_KEY)
JSON = {"Accept": "application/json"}
SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


def assert_friendly_outage_page(response, language: str = "sv") -> None:
    assert response.status == 503, (response.status, response.body[:500])
    assert response.header("Retry-After") == "30"
    assert "no-store" in response.header("Cache-Control")
    for name, value in SECURITY_HEADERS.items():
        assert response.header(name) == value, name
    assert "default-src 'self'" in response.header("Content-Security-Policy")
    assert "camera=()" in response.header("Permissions-Policy")
    if response.header("Content-Type") == "application/json":
        assert "databasen inte svarar" in json.loads(response.body)["detail"]
    else:
        assert f'<html lang="{language}">' in response.body
        if language == "sv":
            assert OUTAGE_TEXT in response.body
    for leak in LEAKS:
        assert leak not in response.body, leak


# --- A server whose database is not there -------------------------------------------


@pytest.fixture(scope="module", params=["postgresql", "sqlite"])
def server_without_database(request, collected_static, tmp_path_factory):
    """Production settings; PostgreSQL on a port nobody listens on, or an SQLite file
    in a folder that does not exist."""
    tmp = tmp_path_factory.mktemp(f"without-{request.param}")
    database_url = {
        "postgresql": f"postgres://postgres@127.0.0.1:{free_port()}/timra_absent",
        "sqlite": f"sqlite:///{tmp / 'absent' / 'db.sqlite3'}",
    }[request.param]
    env = production_env(
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=str(collected_static),
        API_ANON_REQUESTS_PER_MINUTE="1000000",
    )
    server = AppServer(env, tmp / "gunicorn.log").start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    ("path", "language"),
    [
        ("/", "sv"),
        ("/timra/2021-2022/loften/trygga-skolvagar/", "sv"),
        ("/sok/?q=trygghet", "sv"),
        ("/en/timra/", "en"),
        ("/no-such-page/", "sv"),
        ("/api/v1/promises/", None),
    ],
)
def test_every_page_answers_the_friendly_503_while_the_database_is_unreachable(
    server_without_database, path, language
):
    headers = JSON if path.startswith("/api/") else None
    response = server_without_database.browser().get(path, headers=headers)

    assert_friendly_outage_page(response, language)
    if language == "en":
        assert "The service is temporarily unavailable" in response.body


def test_a_logged_in_staff_member_gets_the_503_too(server_without_database):
    """The session lookup fails before any view runs; still the friendly page."""
    browser = server_without_database.browser()
    browser.cookies["sessionid"] = "a-staff-members-session-key"

    assert_friendly_outage_page(browser.get("/personal/"))
    assert_friendly_outage_page(browser.get("/timra/"))


def test_a_login_attempt_gets_the_503(server_without_database):
    browser = server_without_database.browser()
    form = browser.get("/konto/logga-in/")
    token = form.body.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(
        "/konto/logga-in/",
        {"csrfmiddlewaretoken": token, "username": "kommunpolis", "password": "x" * 20},
    )

    assert_friendly_outage_page(response)


def test_the_outage_is_logged_as_an_error_with_its_cause_and_readyz_names_the_database(
    server_without_database,
):
    browser = server_without_database.browser()
    browser.get("/timra/")

    ready = browser.get("/readyz")
    assert ready.status == 503
    assert json.loads(ready.body) == {"status": "unavailable", "failed": ["database"]}
    assert browser.get("/healthz").status == 200

    log = server_without_database.log()
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    outages = [r for r in records if r["logger"] == "django.request" and r.get("path") == "/timra/"]
    assert outages and outages[0]["status"] == 503 and outages[0]["level"] == "ERROR"
    assert "OperationalError" in outages[0]["exception"]
    assert "Error handling request" not in log  # nothing escaped Django to gunicorn


def test_a_database_server_that_never_answers_is_a_503_within_the_connect_timeout(
    start_app_server, collected_static
):
    """A host that takes the connection but says nothing (an overloaded or hung server):
    the request may not wait for gunicorn to kill the worker after 30 s."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts connections; nobody ever answers them
        server = start_app_server(
            DATABASE_URL=f"postgres://postgres@127.0.0.1:{silent.getsockname()[1]}/timra_silent",
            DJANGO_STATIC_ROOT=str(collected_static),
        )
        browser = Browser(server.url, timeout=45)
        started = time.monotonic()
        response = browser.get("/timra/")
        seconds = time.monotonic() - started

    assert_friendly_outage_page(response)
    assert seconds < 10, seconds


# --- PostgreSQL stops under load and comes back ---------------------------------------

PASSWORD = "ett-långt-lösenord-för-avbrottstestet"
REPORTER_USERNAMES = ["kommunpolis", "trygghetssamordnare"]
VISITORS = 10
BEFORE_SECONDS = 4
OUTAGE_SECONDS = 6
RECOVERY_LIMIT_SECONDS = 30
AFTER_SECONDS = 4
OUTAGE_LOAD_TEXT = "Avbrottstest"


@pytest.fixture
def site_on_private_postgres(
    postgresql_run, private_postgres, private_redis, collected_static, tmp_path
):
    """Timrå's data in a PostgreSQL of the test's own, served by two gunicorn workers.

    Workers are not recycled after a number of requests (GUNICORN_MAX_REQUESTS=0),
    so a new worker during the test can only be a crashed or killed one.
    """
    private_postgres.create_database("portal")
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.production.server_settings",
        DATABASE_URL=private_postgres.url("portal"),
        REDIS_URL=private_redis.url,
        DJANGO_STATIC_ROOT=str(collected_static),
        API_ANON_REQUESTS_PER_MINUTE="1000000",
        GUNICORN_MAX_REQUESTS="0",
    )
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "seed_demo")
    # The demo logins (kommunpolis, trygghetssamordnare, …) are made in debug mode only.
    manage({**env, "DJANGO_DEBUG": "1"}, "seed_demo_staff", "--password", PASSWORD)
    server = AppServer(env, tmp_path / "gunicorn.log", workers=2)
    server.start()
    try:
        yield server, private_postgres
    finally:
        server.stop()


def stored_texts(postgres, prefix: str) -> Counter:
    with psycopg.connect(postgres.url("portal")) as connection:
        rows = connection.execute(
            "SELECT text FROM activities_progressupdate WHERE text LIKE %s", [prefix + "%"]
        ).fetchall()
    return Counter(text for (text,) in rows)


def wait_for_recovery(browser: Browser, limit: float) -> float:
    """Seconds until a page made for a logged-in user and /readyz both answer 200 again."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if browser.get("/personal/").status == 200 and browser.get("/readyz").status == 200:
            return time.monotonic() - started
        time.sleep(0.1)
    pytest.fail(f"the site did not recover within {limit} s of PostgreSQL being back")


def test_a_postgresql_outage_under_load_is_a_friendly_503_and_recovers_without_a_restart(
    site_on_private_postgres, capsys
):
    server, postgres = site_on_private_postgres
    workers = worker_pids(server.process.pid)
    assert len(workers) == 2
    pages = public_pages(server.browser())
    recorder = Recorder()
    reporters = [
        Reporter(server.url, name, PASSWORD, recorder, f"{OUTAGE_LOAD_TEXT} {name}", seed=n)
        for n, name in enumerate(REPORTER_USERNAMES)
    ]
    # Someone who opens the form before the outage and presses "send" during it.
    latecomer = Reporter(server.url, "kommunpolis", PASSWORD, Recorder(), OUTAGE_LOAD_TEXT, 99)
    for reporter in [*reporters, latecomer]:
        reporter.log_in()
        reporter.find_activities()

    bounds = Bounds(
        BEFORE_SECONDS + OUTAGE_SECONDS + RECOVERY_LIMIT_SECONDS + AFTER_SECONDS + 30, 20_000
    )
    targets = [lambda r=r: r.report_repeatedly(bounds) for r in reporters] + [
        lambda n=n: visit(server.url, pages, recorder, bounds, seed=n) for n in range(VISITORS)
    ]
    load_started = time.monotonic()
    load = Threads(targets)
    try:
        time.sleep(BEFORE_SECONDS)
        form = latecomer.open_form()
        assert form is not None

        stopping = time.monotonic()
        postgres.stop("fast")
        stopped = time.monotonic()

        # During the outage: pages, the API, staff pages and a report are a friendly 503.
        assert_friendly_outage_page(latecomer.browser.get("/personal/"))
        with_cookie = server.browser()
        with_cookie.cookies["tracking"] = "1"  # not a visitor the page cache may serve
        assert_friendly_outage_page(with_cookie.get(pages[1].path))
        api = server.browser().get("/api/v1/activities/?page=2", headers=JSON)
        assert_friendly_outage_page(api)
        assert not latecomer.submit(form)
        assert form.posts == [503]
        ready = server.browser().get("/readyz")
        assert ready.status == 503
        assert json.loads(ready.body) == {"status": "unavailable", "failed": ["database"]}
        time.sleep(max(0.0, OUTAGE_SECONDS - (time.monotonic() - stopped)))

        starting = time.monotonic()
        postgres.start()
        started = time.monotonic()
        recovery = wait_for_recovery(latecomer.browser, RECOVERY_LIMIT_SECONDS)
        recovered = started + recovery
        time.sleep(AFTER_SECONDS)
    finally:
        bounds.stop.set()
        load.join(CLIENT_TIMEOUT + 10)
    load_seconds = time.monotonic() - load_started

    # The report refused during the outage was not saved; sent again it is, once.
    assert stored_texts(postgres, form.text) == Counter()
    assert latecomer.submit(form)
    assert latecomer.submit(form)  # and once more, impatiently
    assert stored_texts(postgres, form.text) == Counter({form.text: 1})
    # Reports still waiting when the load stopped are sent again now, as their authors would.
    for reporter in reporters:
        for pending in [f for f in reporter.forms if not f.accepted]:
            assert reporter.submit(pending), pending

    outcomes = recorder.snapshot()
    during = [o for o in outcomes if o.started >= stopped and o.finished <= starting]
    first_503 = min((o.finished for o in outcomes if o.status == 503), default=float("nan"))
    with capsys.disabled():
        print(f"\n{summary('PostgreSQL outage under load', outcomes, load_seconds)}")
        print(
            f"  stop took {stopped - stopping:.2f} s, first 503 after "
            f"{first_503 - stopping:.2f} s, outage {starting - stopping:.1f} s, start took "
            f"{started - starting:.2f} s, recovered {recovery:.2f} s after PostgreSQL was back"
        )

    unanswered = [o for o in outcomes if o.status is None]
    assert not unanswered, unanswered[:3]
    assert {o.status for o in outcomes} <= {200, 302, 503}, Counter(o.status for o in outcomes)
    for outcome in outcomes:
        if outcome.status == 503:
            assert OUTAGE_TEXT in outcome.body or "databasen inte svarar" in outcome.body
            assert not any(leak in outcome.body for leak in LEAKS), outcome.body
    assert all(o.status in {200, 302} for o in outcomes if o.finished < stopping)
    assert all(o.status in {200, 302} for o in outcomes if o.started > recovered)
    assert any(o.status == 503 for o in during), "the load never saw the outage"
    # During the outage only pages the cache already held can be served.
    for outcome in during:
        if outcome.with_cookies or outcome.method == "POST":
            assert outcome.status == 503, outcome
        else:
            assert outcome.status == 503 or outcome.cache == "hit" or outcome.kind == "static"

    # The same workers serve before and after: nothing crashed, timed out or restarted.
    assert worker_pids(server.process.pid) == workers
    log = server.log()
    assert log.count("Booting worker") == 2
    assert "Error handling request" not in log and "WORKER TIMEOUT" not in log

    # Every report accepted at any point is stored exactly once; nothing else is.
    forms = [f for r in reporters for f in r.forms]
    assert all(f.accepted for f in forms)
    expected = Counter(f.text for f in forms) + Counter({form.text: 1})
    assert stored_texts(postgres, OUTAGE_LOAD_TEXT) == expected
