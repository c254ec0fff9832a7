"""Error pages: "try again soon" (503) while the database is unreachable, else the 500 page.

Why a ``handler500`` rather than a middleware: Django turns every exception
raised anywhere in the request, in a view, in any middleware (the session and
authentication middleware read the database before any view runs) or while
rendering the 404 page, into a call of the 500 handler, with the exception
still being handled. A middleware's ``process_exception`` would only see
exceptions from views, so a logged-in user's request, which fails in the
session lookup, would still get the 500 page.

The exception reaches the JSON log as usual: Django logs every 5xx answer of
the handler at ERROR level with its traceback ("Service Unavailable: /path").

Nothing here may touch the database: the pages are rendered without a request
context (no user, no session, no messages), exactly as Django's own 500 page is.
"""

import sqlite3
import sys

import psycopg
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import defaults

# Seconds after which a client (or a crawler) may try again.
RETRY_AFTER_SECONDS = 30

# PostgreSQL errors that mean the server is going away or not there yet: the
# administrator stopped it, it crashed, or it is starting up or shutting down.
# Class 08 covers the connection exceptions.
SERVER_GONE_SQLSTATES = {"57P01", "57P02", "57P03"}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` means the database cannot be reached (rather than a bug).

    Only an ``OperationalError`` coming from the connection counts: psycopg
    reports a failed connection, or a connection that broke, without an
    SQLSTATE (the server never answered) or with a class-08 or shutdown code.
    Other operational errors with a code (a statement timeout, a deadlock, a
    serialization failure) and every ``ProgrammingError``, ``InterfaceError``
    (psycopg raises it for misuse, such as a closed cursor) or ``DataError``
    are bugs or load problems to look into: they stay a 500. On SQLite only
    a database file that cannot be opened counts; "no such table" is also an
    OperationalError there and is a bug.
    """
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    if isinstance(cause, psycopg.OperationalError):
        sqlstate = cause.sqlstate
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in SERVER_GONE_SQLSTATES
    if isinstance(cause, sqlite3.OperationalError):
        return "unable to open database file" in str(cause)
    return False


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 for an unreachable database, otherwise Django's 500 page."""
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable(request)
    return defaults.server_error(request)


def service_unavailable(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        response = JsonResponse(
            {
                "detail": _(
                    "Tjänsten är tillfälligt otillgänglig eftersom databasen inte svarar. "
                    "Försök igen om en stund."
                )
            },
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
        response["Access-Control-Allow-Origin"] = "*"
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Neither the page cache, a proxy nor the browser may keep the outage page.
    add_never_cache_headers(response)
    return response
