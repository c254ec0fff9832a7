"""The 500 handler: an unreachable database is a 503 "try again soon", anything else a 500.

The database errors are real ones, from connecting to a port nobody listens on
or opening an SQLite file in a folder that does not exist.
"""

import json

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.utils import ConnectionHandler
from django.utils import translation

from tests.production.servers import free_port
from timra_trygghet import errors


def connection_error(django_db_blocker, database: dict) -> DatabaseError:
    """The error Django raises when it cannot connect to ``database``."""
    unreachable = ConnectionHandler({"default": database})["default"]
    with django_db_blocker.unblock(), pytest.raises(DatabaseError) as caught:
        unreachable.ensure_connection()
    return caught.value


@pytest.fixture
def postgresql_refused(django_db_blocker):
    return connection_error(
        django_db_blocker,
        {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "127.0.0.1",
            "PORT": free_port(),
            "NAME": "timra_absent",
            "USER": "postgres",
        },
    )


@pytest.fixture
def sqlite_unopenable(django_db_blocker, tmp_path):
    return connection_error(
        django_db_blocker,
        {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "absent" / "db.sqlite3")},
    )


def handle(rf, error: BaseException, path: str = "/timra/"):
    """Call the handler as Django does: while the error is being handled."""
    request = rf.get(path)
    try:
        raise error
    except BaseException:
        return errors.server_error(request)


def test_a_refused_postgresql_connection_means_the_database_is_unavailable(postgresql_refused):
    assert errors.database_unavailable(postgresql_refused)


def test_an_sqlite_file_that_cannot_be_opened_means_the_database_is_unavailable(
    sqlite_unopenable,
):
    assert errors.database_unavailable(sqlite_unopenable)


@pytest.mark.django_db
def test_a_query_on_a_missing_table_is_a_bug_not_an_outage():
    # SQLite calls this an OperationalError too; it must still be a 500.
    with pytest.raises(DatabaseError) as caught, connection.cursor() as cursor:
        cursor.execute("SELECT secret_column FROM table_that_does_not_exist")

    assert not errors.database_unavailable(caught.value)


@pytest.mark.django_db
def test_a_statement_timeout_is_not_an_outage():
    if connection.vendor != "postgresql":
        pytest.skip("Statement timeouts are PostgreSQL's.")
    with pytest.raises(DatabaseError) as caught, transaction.atomic(), connection.cursor() as c:
        c.execute("SET LOCAL statement_timeout = 1")
        c.execute("SELECT pg_sleep(1)")

    assert type(caught.value).__name__ == "OperationalError"
    assert not errors.database_unavailable(caught.value)


def test_other_errors_are_not_an_outage():
    assert not errors.database_unavailable(ValueError("no"))
    assert not errors.database_unavailable(None)


def test_an_unreachable_database_answers_503_with_a_friendly_swedish_page(rf, postgresql_refused):
    # pytest-django blocks the database here: the page must render without one.
    response = handle(rf, postgresql_refused)

    assert response.status_code == 503
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    body = response.content.decode()
    assert '<html lang="sv">' in body
    assert "Tjänsten är tillfälligt otillgänglig" in body
    for leak in ("Traceback", "OperationalError", "Connection refused", "timra_absent"):
        assert leak not in body


def test_the_outage_page_is_in_english_on_the_english_site(rf, sqlite_unopenable):
    with translation.override("en"):
        response = handle(rf, sqlite_unopenable, path="/en/timra/")

    assert response.status_code == 503
    body = response.content.decode()
    assert '<html lang="en">' in body
    assert "The service is temporarily unavailable" in body


def test_the_api_answers_a_json_503_saying_why(rf, postgresql_refused):
    response = handle(rf, postgresql_refused, path="/api/v1/promises/")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response["Retry-After"] == str(errors.RETRY_AFTER_SECONDS)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "databasen inte svarar" in json.loads(response.content)["detail"]


def test_any_other_error_still_gets_the_500_page(rf):
    response = handle(rf, ZeroDivisionError("division by zero"))

    assert response.status_code == 500
    assert "Något gick fel" in response.content.decode()
    assert not response.has_header("Retry-After")
