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
            raise ImproperlyConfigured(f"{name} must name a database, e.g. postgres://host/portal.")
        # libpq waits for a server that takes the connection but never answers
        # until gunicorn kills the worker; a few seconds, then the friendly 503
        # (timra_trygghet.errors). ?connect_timeout=N in the URL overrides it.
        config.setdefault("OPTIONS", {}).setdefault(
            "connect_timeout", POSTGRES_CONNECT_TIMEOUT_SECONDS
        )
    return config


SMTP_TIMEOUT_SECONDS = 10
EMAIL_URL_SCHEMES = {
    # scheme -> (backend, default port, implicit TLS, STARTTLS)
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", 25, False, False),
    "submission": ("django.core.mail.backends.smtp.EmailBackend", 587, False, True),
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", 465, True, False),
    "console": ("django.core.mail.backends.console.EmailBackend", None, False, False),
}


def env_mailer(name: str, default_url: str) -> dict:
    """A ``MAILERS`` entry from a URL such as ``submission://user:password@host``.

    ``smtp://host:25`` (plain, or ``?starttls=1``), ``submission://host`` (port
    587 with STARTTLS) and ``smtps://host`` (port 465, TLS from the start);
    ``console://`` prints mail on standard output (development). User and
    password are percent-encoded in the URL (``%40`` for ``@``).
    """
    from urllib.parse import parse_qs, unquote

    url = os.environ.get(name) or default_url
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_URL_SCHEMES:
        raise ImproperlyConfigured(
            f"{name} must start with {', '.join(s + '://' for s in EMAIL_URL_SCHEMES)} "
            f"not {parts.scheme or url!r}."
        )
    backend, default_port, use_ssl, use_tls = EMAIL_URL_SCHEMES[parts.scheme]
    if default_port is None:
        return {"BACKEND": backend}
    if not parts.hostname:
        raise ImproperlyConfigured(f"{name} must name a host, e.g. smtp://mail.example.se:25.")
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has a port that is not a number: {url!r}.") from None
    query = parse_qs(parts.query)
    starttls = query.get("starttls", ["1" if use_tls else "0"])[-1]
    if starttls not in {"0", "1"}:
        raise ImproperlyConfigured(f"{name}: starttls must be 1 or 0, not {starttls!r}.")
    options = {
        "host": parts.hostname,
        "port": port,
        "use_ssl": use_ssl,
        "use_tls": starttls == "1",
        # An SMTP server that takes the connection but never answers would hold a
        # worker forever; the task retries later instead.
        "timeout": SMTP_TIMEOUT_SECONDS,
    }
    if parts.username:
        options["username"] = unquote(parts.username)
        options["password"] = unquote(parts.password or "")
    return {"BACKEND": backend, "OPTIONS": options}
