"""Health checks for the load balancer and the process supervisor.

``/healthz`` answers as long as the process can serve a request (liveness:
restart the process when it fails). ``/readyz`` also checks what a page needs
(readiness: send no traffic to this app server while it fails): every database
reachable, the cache reachable, no migration waiting. Both are plain JSON, never
cached, set no cookie and do not touch the session.
"""

import logging
import secrets

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Once a process has seen every migration applied it stays so: new migrations
# arrive only with new code, which means new processes.
_migrations_seen_applied = False


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request):
    failed = []
    for name, check, needs in CHECKS:
        # Without the database the migration state is unknown, not a second cause.
        if needs in failed:
            continue
        if not _passes(name, check):
            failed.append(name)
    if failed:
        return JsonResponse({"status": "unavailable", "failed": failed}, status=503)
    return JsonResponse({"status": "ok"})


def _passes(name: str, check) -> bool:
    try:
        return check()
    except Exception:
        logger.warning("Readiness check %s failed.", name, exc_info=True)
        return False


def _database() -> bool:
    for connection in connections.all(initialized_only=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    return True


def _cache() -> bool:
    token = secrets.token_hex(8)
    cache.set("readyz:probe", token, timeout=10)
    return cache.get("readyz:probe") == token


def _migrations() -> bool:
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return True
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrations_seen_applied = not plan
    return _migrations_seen_applied


# (name, check, the check it needs to have passed)
CHECKS = [
    ("database", _database, None),
    ("cache", _cache, None),
    ("migrations", _migrations, "database"),
]
