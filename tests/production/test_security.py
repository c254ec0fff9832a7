"""Security under the production environment, checked on a real gunicorn process.

The server runs with exactly what the deployment guide sets (debug off, a real
secret key, allowed hosts, a database URL) and is spoken to as the TLS proxy
does, with X-Forwarded-Proto: https.
"""

import json
import re
import subprocess
import sys

import pytest

from tests.production.servers import ROOT, SECRET_KEY, AppServer, production_env

SECURITY_HEADERS = {
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory, collected_static):
    """A production app server with the test-only URLs, on a database of its own."""
    tmp = tmp_path_factory.mktemp("security-server")
    env = production_env(
        DJANGO_SETTINGS_MODULE="tests.production.server_settings",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        DJANGO_STATIC_ROOT=str(collected_static),
    )
    migrate = subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert migrate.returncode == 0, migrate.stderr
    app_server = AppServer(env, tmp / "gunicorn.log").start()
    yield app_server
    app_server.stop()


def assert_security_headers(response) -> None:
    for name, value in SECURITY_HEADERS.items():
        assert response.header(name) == value, f"{name}: {response.header(name)!r}"
    policy = response.header("Content-Security-Policy")
    assert policy and "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "camera=()" in response.header("Permissions-Policy")
    assert "geolocation=()" in response.header("Permissions-Policy")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/healthz", 200),
        ("/admin/login/", 200),
        ("/admin/", 302),
        ("/no-such-page/", 404),
        ("/test/boom/", 500),
    ],
)
def test_every_response_carries_the_security_headers(server, path, status):
    response = server.browser().get(path)
    assert response.status == status
    assert_security_headers(response)


def test_a_request_for_a_foreign_host_is_refused_with_the_security_headers(server):
    response = server.browser().get("/", headers={"Host": "evil.example"})

    assert response.status == 400
    assert_security_headers(response)


def test_plain_http_is_redirected_to_https_except_the_health_checks(server):
    browser = server.browser()
    response = browser.get("/admin/login/", headers={"X-Forwarded-Proto": "http"})
    assert response.status == 301
    assert response.header("Location").startswith("https://")
    assert browser.get("/readyz", headers={"X-Forwarded-Proto": "http"}).status in {200, 503}
    assert browser.get("/healthz", headers={"X-Forwarded-Proto": "http"}).status == 200


def test_cookies_are_secure_httponly_and_same_site(server):
    response = server.browser().get("/admin/login/")
    cookies = response.set_cookies()
    assert cookies, "the login form sets the CSRF cookie"
    for cookie in cookies:
        attributes = {part.strip().lower() for part in cookie.split(";")}
        assert "secure" in attributes and "httponly" in attributes, cookie
        assert "samesite=lax" in attributes, cookie


def test_a_server_error_shows_no_trace_sql_or_secret_and_is_logged_as_json(server):
    response = server.browser().get("/test/boom/")

    assert response.status == 500
    for leak in ("Traceback", "secret_column", "table_that_does_not_exist", "SELECT", SECRET_KEY):
        assert leak not in response.body
    assert "DJANGO_SECRET_KEY" not in response.body

    records = [json.loads(line) for line in server.log().splitlines() if line.startswith("{")]
    errors = [r for r in records if r["logger"] == "django.request" and r.get("status") == 500]
    assert errors, server.log()
    assert errors[-1]["level"] == "ERROR"
    assert errors[-1]["path"] == "/test/boom/"
    assert "table_that_does_not_exist" in errors[-1]["exception"]
    accesses = [r for r in records if r["logger"] == "gunicorn.access"]
    assert any(r["path"] == "/test/boom/" and r["status"] == 500 for r in accesses)


def test_every_line_the_server_logs_is_json(server):
    server.browser().get("/no-such-page/")
    lines = [line for line in server.log().splitlines() if line.strip()]
    assert lines
    for line in lines:
        json.loads(line)


def test_hashed_static_files_are_served_compressed_with_a_long_max_age(server):
    login = server.browser().get("/admin/login/")
    stylesheet = re.search(r'href="(/static/admin/css/base\.[0-9a-f]{12}\.css)"', login.body)
    assert stylesheet, "the admin links its stylesheet under a hashed name"

    response = server.browser().get(stylesheet.group(1), headers={"Accept-Encoding": "gzip"})

    assert response.status == 200
    assert "max-age=315360000" in response.header("Cache-Control")
    assert "immutable" in response.header("Cache-Control")
    assert response.header("Content-Encoding") == "gzip"
    for name, value in SECURITY_HEADERS.items():
        if name != "X-Frame-Options":  # a stylesheet is never framed
            assert response.header(name) == value, name
    assert "camera=()" in response.header("Permissions-Policy")


def test_check_deploy_is_clean_with_the_production_environment():
    """Exactly the variables the deployment guide sets, nothing inherited."""
    env = production_env(
        DJANGO_ALLOWED_HOSTS="trygghet.timra.se",
        DATABASE_URL="postgres://portal:secret@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
