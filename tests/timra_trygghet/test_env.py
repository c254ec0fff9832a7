import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from timra_trygghet.env import env_bool, env_database, env_int, env_list

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("0", False), ("", False)])
def test_env_bool_reads_1_and_0(monkeypatch, raw, expected):
    monkeypatch.setenv("FLAG", raw)

    assert env_bool("FLAG") is expected


@pytest.mark.parametrize("raw", ["yes", "true", "True", "on", "2"])
def test_env_bool_rejects_other_spellings_by_name(monkeypatch, raw):
    monkeypatch.setenv("FLAG", raw)

    with pytest.raises(ImproperlyConfigured, match="FLAG must be 1 or 0"):
        env_bool("FLAG")


def test_env_int_rejects_words(monkeypatch):
    monkeypatch.setenv("NUMBER", "many")

    with pytest.raises(ImproperlyConfigured, match="NUMBER must be a whole number"):
        env_int("NUMBER", 1)


def test_env_list_splits_on_commas_and_rejects_empty_items(monkeypatch):
    monkeypatch.setenv("HOSTS", "a.example, b.example")
    assert env_list("HOSTS") == ["a.example", "b.example"]

    monkeypatch.setenv("HOSTS", "a.example,,b.example")
    with pytest.raises(ImproperlyConfigured, match="HOSTS must be a comma-separated list"):
        env_list("HOSTS")


def test_without_database_url_the_portal_uses_sqlite_in_the_project(monkeypatch):
    monkeypatch.delenv("DB_URL", raising=False)

    config = env_database("DB_URL", "/srv/db.sqlite3")

    assert (config["ENGINE"], config["NAME"]) == ("django.db.backends.sqlite3", "/srv/db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_postgres_url_gives_postgresql_with_persistent_checked_connections(monkeypatch):
    monkeypatch.setenv("DB_URL", "postgres://portal:secret@db.internal:5433/trygghet")

    config = env_database("DB_URL", "unused")

    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "trygghet")
    assert config["CONN_MAX_AGE"] > 0
    assert config["CONN_HEALTH_CHECKS"] is True


def test_a_postgres_connection_gives_up_after_a_few_seconds_unless_the_url_says_otherwise(
    monkeypatch,
):
    monkeypatch.setenv("DB_URL", "postgres://portal@db.internal/trygghet")
    assert env_database("DB_URL", "unused")["OPTIONS"]["connect_timeout"] == 5

    monkeypatch.setenv("DB_URL", "postgres://portal@db.internal/trygghet?connect_timeout=12")
    assert env_database("DB_URL", "unused")["OPTIONS"]["connect_timeout"] == 12


@pytest.mark.parametrize(
    "url", ["mysql://root@localhost/db", "localhost:5432", "postgres://localhost:5432"]
)
def test_unsupported_or_incomplete_database_urls_are_rejected(monkeypatch, url):
    monkeypatch.setenv("DB_URL", url)

    with pytest.raises(ImproperlyConfigured, match="DB_URL"):
        env_database("DB_URL", "unused")


def run_check(**env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "timra_trygghet.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_with_debug_off_it_refuses_to_start_without_a_real_secret_key():
    result = run_check()

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_with_debug_off_it_refuses_djangos_insecure_placeholder_key():
    result = run_check(DJANGO_SECRET_KEY="django-insecure-" + "x" * 60)

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_a_malformed_debug_value_stops_the_process_with_its_name():
    result = run_check(DJANGO_DEBUG="yes")

    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0, not 'yes'" in result.stderr


def test_development_values_start_without_configuration():
    result = run_check(DJANGO_DEBUG="1")

    assert result.returncode == 0, result.stderr
