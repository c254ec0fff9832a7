"""Read settings from the environment, failing loudly on malformed values.

Every setting the deployment can change goes through these helpers, so that a
typo such as ``DJANGO_DEBUG=yes`` stops the process with a clear message
instead of silently meaning something else.
"""

import os
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

POSTGRES_CONNECT_TIMEOUT_SECONDS = 5


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value == "1":
        return True
    if value == "0":
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0, not {value!r}.")


def env_int(name: str, default: int, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {value!r}.")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return list(default or [])
    items = [item.strip() for item in value.split(",")]
    if any(item == "" for item in items):
        raise ImproperlyConfigured(
            f"{name} must be a comma-separated list without empty items, not {value!r}."
        )
    return items


def env_database(name: str, default_sqlite_path: str) -> dict:
    """A database from a URL such as postgres://user@host:5432/db; SQLite if unset."""
    url = os.environ.get(name, "")
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": default_sqlite_path,
            # Writers queue for the lock instead of failing with "database is locked".
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    scheme = urlsplit(url).scheme
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must start with postgres:// or sqlite://, not {scheme or url!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=600, conn_health_checks=True)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if scheme.startswith("postgres"):
        if not config.get("NAME"):
            raise ImproperlyConfigured(
                f"{name} must name a database, e.g. postgres://host/portal."
            )
        # libpq waits for a server that takes the connection but never answers
        # until gunicorn kills the worker; a few seconds, then the friendly 503
        # (timra_trygghet.errors). ?connect_timeout=N in the URL overrides it.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS
        )
    return config
