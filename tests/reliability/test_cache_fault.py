"""When Redis goes away the site keeps serving, uncached, and staff keep working;
when it is back, pages are cached again, without restarting anything.

The outage tests stop (or freeze) a redis-server of their own
(tests/reliability/services.py) under app servers on the test's PostgreSQL
database; they run in the PostgreSQL run of the suite.
"""

import json
import logging
import time

import pytest
from django.test import override_settings
from django.urls import reverse

from activities.models import ProgressUpdate
from caching import generation
from demo.scene import build_scene
from tests.conftest import STAFF_PASSWORD
from tests.production.servers import AppServer, free_port, production_env
from tests.reliability.load import Page, Recorder, Reporter, public_pages
from tests.reliability.services import worker_pids

# Generous for one request on an idle server; far below redis-py's default of
# 5 s per command, which a frozen Redis would cost each cache call.
SLOWEST_ANSWER_SECONDS = 3
RECACHE_ATTEMPTS = 10


@pytest.fixture
def start_site(postgres_url, private_redis, collected_static, tmp_path, police_reporter):
    """Start gunicorn on Timrå's data in the test database, the page cache in our own Redis.

    The API keeps its production limit; workers are never recycled
    (GUNICORN_MAX_REQUESTS=0), so a new worker could only be a crashed one.
    """
    build_scene()
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.production.server_settings",
        DATABASE_URL=postgres_url,
        REDIS_URL=private_redis.url,
        DJANGO_STATIC_ROOT=str(collected_static),
        GUNICORN_MAX_REQUESTS="0",
    )
    servers = []

    def start(workers: int) -> AppServer:
        server = AppServer(env, tmp_path / f"gunicorn-{len(servers)}.log", workers=workers)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


def get(server: AppServer, page: Page):
    started = time.monotonic()
    response = server.browser().get(page.path, headers=page.headers)
    return response, time.monotonic() - started


def assert_cached(server: AppServer, page: Page, attempts: int = 2) -> None:
    """Within ``attempts`` anonymous reads the page comes from the cache."""
    seen = []
    for _ in range(attempts):
        response, _seconds = get(server, page)
        assert response.status == 200, (page, response.status)
        seen.append(response.header("X-Cache"))
        if seen[-1] == "hit":
            return
    pytest.fail(f"{page.path} never came from the cache: {seen}")


def assert_served_uncached(server: AppServer, page: Page, reads: int = 4) -> None:
    """Several reads, so every worker answers: each 200, uncached, and without waiting long."""
    for _ in range(reads):
        response, seconds = get(server, page)
        assert response.status == 200, (page, response.status, response.body[:300])
        assert response.header("X-Cache") == "bypass"
        assert seconds < SLOWEST_ANSWER_SECONDS, (page, seconds)


def sample(pages: list[Page]) -> list[Page]:
    """A start page, a promise, a meeting, the search and an API list."""
    kinds = ["home", "promise", "meeting", "search", "api"]
    return [next(page for page in pages if page.kind == kind) for kind in kinds]


def report_through_the_staff_pages(server: AppServer, label: str) -> str:
    """Log in, send one report and see it confirmed; the report's text."""
    reporter = Reporter(server.url, "kommunpolisen", STAFF_PASSWORD, Recorder(), label, seed=1)
    reporter.log_in()
    reporter.find_activities()
    form = reporter.open_form()
    assert form is not None
    assert reporter.submit(form)
    confirmation = reporter.browser.get("/personal/")
    assert confirmation.status == 200
    assert "är sparad och publicerad" in confirmation.body
    return form.text


def readiness(server: AppServer) -> tuple[int, dict]:
    response = server.browser().get("/readyz")
    return response.status, json.loads(response.body)


@pytest.mark.django_db(transaction=True)
def test_a_redis_outage_serves_uncached_pages_staff_can_report_and_caching_returns_by_itself(
    start_site, private_redis
):
    server = start_site(workers=2)
    workers = worker_pids(server.process.pid)
    pages = sample(public_pages(server.browser()))
    for page in pages:
        assert_cached(server, page)

    private_redis.stop()

    for page in pages:
        assert_served_uncached(server, page)
    assert readiness(server) == (503, {"status": "unavailable", "failed": ["cache"]})
    # Sessions and the login lockout live in the database, so staff work on.
    text = report_through_the_staff_pages(server, "Under Redis-avbrottet")
    assert ProgressUpdate.objects.filter(text=text).count() == 1

    private_redis.start()  # empty, on the same port

    for page in pages:
        assert_cached(server, page, attempts=RECACHE_ATTEMPTS)
    assert readiness(server) == (200, {"status": "ok"})
    assert worker_pids(server.process.pid) == workers
    log = server.log()
    assert log.count("Booting worker") == 2
    assert "Page cache unavailable: serving uncached." in log
    assert "API throttle: cache unavailable, request let through." in log
    assert "Error handling request" not in log
    assert '"status": 500' not in log


@pytest.mark.django_db(transaction=True)
def test_a_frozen_redis_slows_answers_by_its_socket_timeout_and_no_page_goes_stale(
    start_site, private_redis
):
    """A Redis that accepts connections but never answers (stopped with SIGSTOP), and
    that still holds every page when it answers again.

    One worker, so that the worker which took the report is the one that reads
    next: the invalidation it could not make is made on its next contact with
    the cache (caching.generation). With several workers another one may serve
    the old page until then.
    """
    server = start_site(workers=1)
    every_page = [p for p in public_pages(server.browser()) if p.kind != "static"]
    for page in every_page:
        assert_cached(server, page)
    pages = sample(every_page)

    private_redis.freeze()
    try:
        for page in [pages[0], pages[-1]]:  # a page, and the API with its throttle
            assert_served_uncached(server, page, reads=2)
        status, body = readiness(server)
        text = report_through_the_staff_pages(server, "Medan Redis stod still")
    finally:
        private_redis.thaw()

    assert (status, body) == (503, {"status": "unavailable", "failed": ["cache"]})
    update = ProgressUpdate.objects.select_related("activity__promise__period__municipality").get(
        text=text
    )
    # Redis still holds the promise page cached before the report; it must not come back.
    promise_page = Page("promise", promise_url(update.activity.promise))
    after, _seconds = get(server, promise_page)
    assert after.status == 200 and after.header("X-Cache") != "hit"
    assert text in after.body
    for page in [*pages, promise_page]:
        assert_cached(server, page, attempts=RECACHE_ATTEMPTS)


def test_an_invalidation_that_could_not_reach_redis_is_made_when_it_answers_again(
    private_redis,
):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": private_redis.url,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=caches):
        before = generation.current_generation()
        private_redis.freeze()
        try:
            assert generation.invalidate_pages() is False
            assert generation.current_generation() is None
        finally:
            private_redis.thaw()

        assert generation.current_generation() > before
        assert generation.current_generation() == generation.current_generation()


def promise_url(promise) -> str:
    return reverse(
        "promises:promise",
        kwargs={
            "municipality": promise.period.municipality.slug,
            "period": promise.period.slug,
            "promise": promise.slug,
        },
    )


@pytest.mark.django_db
def test_the_api_lets_requests_through_when_its_throttle_cannot_reach_the_cache(client, caplog):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }
    with override_settings(CACHES=unreachable), caplog.at_level(logging.WARNING):
        response = client.get("/api/v1/promises/")

    assert response.status_code == 200
    assert "API throttle: cache unavailable" in caplog.text
