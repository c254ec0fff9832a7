#!/usr/bin/env python
"""Speed and memory of the main public pages and the API, on a throwaway database.

    .venv/bin/python scripts/benchmark.py --scale 20            # SQLite in a temporary folder
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal \\
        .venv/bin/python scripts/benchmark.py --scale 300       # PostgreSQL: creates and
                                                                # drops portal_bench (the
                                                                # database portal is not used)
    ... --json bench.json --url /some/other/path/               # save results, add URLs

It migrates the throwaway database, loads Timrå (load_timra) and the demo data
(seed_demo --scale N), then for each URL, in this process with the production
settings (debug off) and Django's test client:

- SQL queries per request, uncached;
- requests per second, uncached (a cookie makes the page cache step aside) and
  cached (as an anonymous visitor, from the shared page cache);
- peak memory allocated by Python while serving one uncached request (tracemalloc);
- and at the end the process's peak resident memory.

URLs that answer 404 on this build (pages from branches not merged yet) are
listed as skipped. The numbers compare commits on one machine; they are not a
promise about another machine. Speed targets are checked in the test suite by
query counts, never by timing.
"""

import argparse
import json
import os
import resource
import secrets
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=20, help="seed_demo --scale N (default 20)")
    parser.add_argument("--requests", type=int, default=200, help="requests per URL and mode")
    parser.add_argument("--url", action="append", default=[], help="another path to measure")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    return parser.parse_args()


class ThrowawayDatabase:
    """SQLite in a temporary folder, or a fresh PostgreSQL database beside DATABASE_URL's."""

    def __init__(self) -> None:
        self.source = os.environ.get("DATABASE_URL", "")
        self.tmp = tempfile.TemporaryDirectory(prefix="timra-bench-")
        self.pg_name = None

    def __enter__(self) -> str:
        if not self.source.startswith(("postgres://", "postgresql://")):
            return f"sqlite:///{self.tmp.name}/bench.sqlite3"
        import psycopg

        parts = urlsplit(self.source)
        self.pg_name = parts.path.lstrip("/") + "_bench"
        # Create and drop through the server's maintenance database.
        self.maintenance = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(self.maintenance, autocommit=True) as admin:
            exists = admin.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [self.pg_name]
            ).fetchone()
            if exists:
                sys.exit(f"Database {self.pg_name} exists already; drop it first.")
            admin.execute(f'CREATE DATABASE "{self.pg_name}"')
        return urlunsplit(parts._replace(path="/" + self.pg_name))

    def __exit__(self, *exc) -> None:
        from django.db import connections

        connections.close_all()
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.maintenance, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        self.tmp.cleanup()


def configure(database_url: str, static_root: str) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "timra_trygghet.settings",
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
            "DJANGO_ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": database_url,
            "DJANGO_STATIC_ROOT": static_root,
            "DJANGO_LOG_LEVEL": "ERROR",
            # One process, so the page cache may live in its local memory.
            "PAGE_CACHE_SECONDS": "600",
        }
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()


def seed(scale: int) -> None:
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_timra", verbosity=0)
    call_command("seed_demo", scale=scale, verbosity=0)
    print(f"Seeded Timrå and {scale} demo municipalities in {time.perf_counter() - started:.0f} s")


def candidate_urls(extra: list[str]) -> list[str]:
    """The main public pages and API lists for Timrå, built from its data."""
    from followup.models import Meeting
    from promises.models import FocusArea, Promise

    promise = Promise.objects.filter(period__municipality__slug="timra").first()
    area = FocusArea.objects.filter(period__municipality__slug="timra").first()
    meeting = Meeting.objects.filter(council__municipality__slug="timra").published().first()
    period = promise.period if promise else None
    urls = ["/healthz", "/", "/timra/"]  # /healthz: the floor, what any view costs
    if period:
        base = f"/timra/{period.slug}/"
        urls += [base, base + "loften/", base + f"loften/{promise.slug}/"]
        if area:
            urls.append(base + f"omraden/{area.slug}/")
    urls.append("/timra/sammantraden/")
    if meeting:
        urls.append(f"/timra/sammantraden/{meeting.pk}/")
    urls.append("/sok/?q=trygghet")
    urls += [f"/api/v1/{name}/" for name in ("promises", "activities", "meetings")]
    if promise:
        urls.append(f"/api/v1/promises/{promise.pk}/")
    return urls + extra


def measure(url: str, requests: int) -> dict:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    bypass = {"HTTP_COOKIE": "benchmark=uncached"}
    first = client.get(url, secure=True, **bypass)
    if first.status_code != 200:
        return {"url": url, "status": first.status_code}

    with CaptureQueriesContext(connection) as captured:
        client.get(url, secure=True, **bypass)
    queries = len(captured)  # now: every request clears the connection's query log

    tracemalloc.start()
    client.get(url, secure=True, **bypass)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    started = time.perf_counter()
    for _ in range(requests):
        client.get(url, secure=True, **bypass)
    uncached = requests / (time.perf_counter() - started)

    anonymous = Client()
    anonymous.get(url, secure=True)
    hit = anonymous.get(url, secure=True)
    started = time.perf_counter()
    for _ in range(requests):
        anonymous.get(url, secure=True)
    cached = requests / (time.perf_counter() - started)

    return {
        "url": url,
        "status": 200,
        "queries": queries,
        "uncached_rps": round(uncached, 1),
        "cached_rps": round(cached, 1) if hit.get("X-Cache") == "hit" else None,
        "peak_kib": round(peak / 1024),
    }


def report(results: list[dict], scale: int) -> None:
    print(f"\nscale {scale}   (requests/s measured in-process, one client, no network)\n")
    width = max([52, *(len(r["url"]) + 1 for r in results)])
    print(f"{'URL':<{width}} {'queries':>7} {'uncached/s':>11} {'cached/s':>10} {'peak KiB':>9}")
    for r in results:
        if r["status"] != 200:
            continue
        cached = f"{r['cached_rps']:>10.0f}" if r["cached_rps"] else f"{'not cached':>10}"
        print(
            f"{r['url']:<{width}} {r['queries']:>7} {r['uncached_rps']:>11.0f} {cached} "
            f"{r['peak_kib']:>9}"
        )
    skipped = [r for r in results if r["status"] != 200]
    for r in skipped:
        reason = "not on this build" if r["status"] == 404 else "not measured"
        print(f"skipped {r['url']}: {r['status']} ({reason})")
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\npeak resident memory of this process: {peak_rss / 1024:.0f} MiB")


def main() -> None:
    args = parse_args()
    with ThrowawayDatabase() as database_url, tempfile.TemporaryDirectory() as static_root:
        configure(database_url, static_root)
        from django.conf import settings
        from django.test.utils import override_settings

        # Templates link static files by name; no collectstatic in a throwaway run.
        storages = {
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }
        with override_settings(STORAGES=storages):
            seed(args.scale)
            results = [measure(url, args.requests) for url in candidate_urls(args.url)]
        report(results, args.scale)
        if args.json:
            args.json.write_text(json.dumps({"scale": args.scale, "results": results}, indent=2))


if __name__ == "__main__":
    main()
