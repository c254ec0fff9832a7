#!/usr/bin/env python
"""Speed of the public pages as ratios to a trivial view, measured side by side in one run.

    make bench                                     # SQLite and local memory, --scale 300
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal REDIS_URL=redis://127.0.0.1:6379/0 \\
        make bench                                 # PostgreSQL (a throwaway portal_bench
                                                   # database) and Redis (own key prefix)
    .venv/bin/python scripts/bench.py --scale 20 --seconds 3 --json out.json

On two throwaway databases, one with Timrå alone (seed_demo, which loads Timrå first) and
one with Timrå among N demo municipalities (seed_demo --scale N), it serves each
with gunicorn as in production (gunicorn.conf.py, debug off, collected static
files, 2 workers) and drives the pages with ApacheBench (ab, 16 concurrent
connections, --seconds each, loopback only):

1. on the larger database every page (the national overview at / among them),
   uncached (a cookie makes the page cache step aside, as for a logged-in user)
   and cached (an anonymous visitor, from the page cache), between two runs of
   the trivial view;
2. then Timrå's pages uncached on both databases in turn (alone, among others,
   among others, alone; half the time each), so that the machine's drift falls
   on both alike and their ratio shows what the other municipalities cost.

It prints requests per second, p50 and p99 latency, SQL queries per request and
each page's throughput as a ratio to the trivial view (/healthz: a fixed short
answer through the whole middleware stack, the floor of what Django serves),
checks the targets below and writes everything as JSON (--json) to compare
commits (--compare OLD.json). Ratios, not seconds: these machines are shared
and noisy, and a ratio measured in one run cancels most of the machine out.
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# The server helpers the tests use too (development tooling, like this script).
from tests.production.servers import AppServer, manage, production_env  # noqa: E402

CONCURRENCY = 16
WORKERS = 2
UNCACHED_COOKIE = "bench=uncached"  # any cookie but the language makes the page cache step aside

# Targets of issue 7, each a ratio from one run.
CACHED_MIN_RATIO = 0.80
UNCACHED_MIN_RATIO = 0.15
UNCACHED_TARGET_PAGES = ("start", "promise")
# Issue 15: the national overview (/ with every municipality) is larger than any one
# municipality's page; uncached it has a target of its own.
OVERVIEW_UNCACHED_MIN_RATIO = 0.10
SCALE_MIN_RATIO = 0.90
SCALE_TARGET_PAGES = ("start", "promise", "meeting", "api")
P99_MAX_TIMES_P50 = 3.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=300, help="demo municipalities (300)")
    parser.add_argument("--seconds", type=int, default=10, help="per page and mode (10)")
    parser.add_argument("--json", type=Path, help="write the results to this file")
    parser.add_argument("--compare", type=Path, help="an earlier --json file to compare with")
    parser.add_argument(
        "--import-only",
        action="store_true",
        help="only time the activity-plan import (a throwaway database with Timrå alone)",
    )
    return parser.parse_args()


@dataclass
class Measurement:
    page: str
    path: str
    # "uncached": with a cookie, so the page cache steps aside (as for a logged-in
    # user); "cached": an anonymous visitor, served from the page cache;
    # "anonymous": the trivial view, which is never cached.
    mode: str
    # "scaled": Timrå among the demo municipalities, the main table; "timra-alone"
    # and "among-others": the same pages on the two databases measured alternately.
    phase: str
    requests_per_second: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    errors: int = 0
    queries: int | None = None
    ratio: float | None = None

    @property
    def tail(self) -> float:
        return self.p99_ms / self.p50_ms if self.p50_ms else float("inf")


@dataclass
class Results:
    scale: int
    seconds: float
    database: str
    cache: str
    commit: str
    measurements: list[Measurement] = field(default_factory=list)
    trivial_rps: float = 0.0
    worker_peak_rss_mib: list[float] = field(default_factory=list)
    targets: list[dict] = field(default_factory=list)


# --- The throwaway database -----------------------------------------------------------


class ThrowawayDatabase:
    """SQLite in a temporary folder, or a fresh PostgreSQL database beside DATABASE_URL's."""

    def __init__(self, folder: str, name: str) -> None:
        self.source = os.environ.get("DATABASE_URL", "")
        self.folder = folder
        self.name = name
        self.pg_name: str | None = None

    def __enter__(self) -> str:
        if not self.source.startswith(("postgres://", "postgresql://")):
            return f"sqlite:///{self.folder}/{self.name}.sqlite3"
        import psycopg

        parts = urlsplit(self.source)
        self.pg_name = f"{parts.path.lstrip('/')}_bench_{self.name}"
        self.maintenance = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(self.maintenance, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{self.pg_name}"')
        return urlunsplit(parts._replace(path="/" + self.pg_name))

    def __exit__(self, *exc) -> None:
        if "django.db" in sys.modules:
            from django.db import connections

            connections.close_all()
        if self.pg_name:
            import psycopg

            with psycopg.connect(self.maintenance, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')


def production_environment(database_url: str, static_root: str, cache_prefix: str) -> dict:
    """What the deployment guide sets, plus what a benchmark needs to measure pages at all."""
    env = production_env(
        DJANGO_SETTINGS_MODULE="timra_trygghet.settings",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=database_url,
        DJANGO_STATIC_ROOT=static_root,
        DJANGO_LOG_LEVEL="WARNING",
        CACHE_KEY_PREFIX=cache_prefix,
        # Every request comes from 127.0.0.1: the API's per-address throttle would
        # answer 429 after two seconds and measure nothing but itself.
        API_ANON_REQUESTS_PER_MINUTE="1000000000",
        # Production caches pages only with a shared cache (Redis); without one
        # each worker keeps its own copy, which is the same for pages nobody changes.
        PAGE_CACHE_SECONDS="600",
        # Recycling a worker mid-measurement would measure its start-up.
        GUNICORN_MAX_REQUESTS="0",
    )
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"]
    return env


def forget_cached_pages(cache_prefix: str) -> None:
    """Remove this run's keys from Redis (the generation number never expires on its own)."""
    if not os.environ.get("REDIS_URL"):
        return
    import redis

    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{cache_prefix}:*"))
    if keys:
        client.delete(*keys)
    client.close()


# --- ab ---------------------------------------------------------------------------------------


def ab(url: str, seconds: int, headers: dict[str, str], workdir: Path, warm_up=False) -> dict:
    """One ApacheBench run: requests per second, p50 and p99 in ms, errors.

    A warm-up sends two requests per connection, so both workers have compiled
    their templates and filled the page cache before anything is measured.
    """
    percentiles = workdir / "percentiles.csv"
    command = ["ab", "-q", "-r", "-s", "60", "-c", str(CONCURRENCY)]
    if warm_up:
        command += ["-n", str(2 * CONCURRENCY)]
    else:
        # -t implies at most 50,000 requests; -n after it sets the real ceiling.
        command += ["-t", str(seconds), "-n", "1000000"]
    command += ["-e", str(percentiles)]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 120
    ).stdout
    stats = {}
    for line in output.splitlines():
        if line.startswith("Requests per second:"):
            stats["rps"] = float(line.split()[3])
        elif line.startswith("Complete requests:"):
            stats["requests"] = int(line.split()[2])
        elif line.startswith("Non-2xx responses:"):
            stats["non_2xx"] = int(line.split()[2])
        elif line.startswith("Failed requests:"):
            stats["failed"] = int(line.split()[2])
        elif line.strip().startswith(("50%", "99%")):
            stats["table_" + line.split("%")[0].strip()] = float(line.split()[1])
    rows = dict(line.split(",") for line in percentiles.read_text().splitlines()[1:])
    stats["p50"], stats["p99"] = float(rows["50"]), float(rows["99"])
    if stats["p99"] < stats["p50"]:
        # ab's CSV loses the top percentiles of very short runs; its own table
        # (whole milliseconds) has them.
        stats["p50"], stats["p99"] = stats["table_50"], stats["table_99"]
    # ab counts a response of another length than the first as "failed"; the
    # pages are the same for every request here, so any failure is a real one.
    stats["errors"] = stats.get("non_2xx", 0) + stats.get("failed", 0)
    return stats


# --- The pages ------------------------------------------------------------------------------


def timra_pages() -> dict[str, str]:
    """The pages to measure, by name, built from Timrå's data (Django is set up)."""
    from django.contrib.staticfiles.storage import staticfiles_storage

    from followup.models import Meeting
    from promises.models import Period

    period = Period.objects.published().get(municipality__slug="timra")
    promise = period.promises.order_by("order", "pk").first()
    meeting = Meeting.objects.published().held().filter(council__municipality__slug="timra").first()
    base = f"/timra/{period.slug}/"
    return {
        "trivial": "/healthz",
        "static": "/static/" + staticfiles_storage.stored_name("css/site.css"),
        "start": "/timra/",
        "promise": base + f"loften/{promise.slug}/",
        "meeting": f"/timra/sammantraden/{meeting.pk}/",
        "search": "/sok/?q=trygghet",
        "api": f"/api/v1/promises/?municipality={period.municipality_id}",
        # With the demo municipalities, / is the national overview of all of Sweden's
        # municipalities (Timrå alone: its start page, measured as "start").
        "overview": "/",
    }


def count_queries(path: str) -> int:
    """SQL queries of one uncached request, counted in this process on the same database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_COOKIE=UNCACHED_COOKIE)
    client.get(path, secure=True)  # the first request of a process loads what later ones reuse
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, secure=True)
    if response.status_code != 200:
        sys.exit(f"{path} answered {response.status_code} in process")
    return len(captured)


def measure(
    server: AppServer, pages: dict[str, str], names, modes, phase: str, args, workdir: Path
) -> list[Measurement]:
    results = []
    for name in names:
        for mode in modes:
            headers = {"X-Forwarded-Proto": "https", "Accept": "*/*"}
            if mode == "uncached":
                headers["Cookie"] = UNCACHED_COOKIE
            url = server.url + pages[name]
            ab(url, args.seconds, headers, workdir, warm_up=True)
            stats = ab(url, args.seconds, headers, workdir)
            result = Measurement(
                page=name,
                path=pages[name],
                mode=mode,
                phase=phase,
                requests_per_second=stats["rps"],
                p50_ms=stats["p50"],
                p99_ms=stats["p99"],
                requests=stats.get("requests", 0),
                errors=stats["errors"],
            )
            print(
                f"  {phase:<12} {name:<11} {mode:<9} {result.requests_per_second:>6.0f} req/s"
                f"  p50 {result.p50_ms:>6.1f} ms  p99 {result.p99_ms:>6.1f} ms",
                flush=True,
            )
            results.append(result)
    return results


def measure_phase(server, pages, names, modes, phase, args, workdir) -> list[Measurement]:
    """The pages between two measurements of the trivial view.

    The floor is the trivial view measured first and last, so that a drift of
    the machine during the run shows in neither direction alone.
    """
    first = measure(server, pages, ["trivial"], ["anonymous"], phase, args, workdir)
    rows = measure(server, pages, names, modes, phase, args, workdir)
    last = measure(server, pages, ["trivial"], ["anonymous"], phase, args, workdir)
    last[0].page = "trivial-end"
    return [*first, *rows, *last]


def measure_side_by_side(alone, scaled, pages, names, args, workdir) -> list[Measurement]:
    """Each page uncached on both databases in turn, alone–scaled–scaled–alone.

    Two servers run at once, one on Timrå alone and one on Timrå among the
    demo municipalities, and are measured alternately for half the time each
    round, so the machine's drift falls on both alike.
    """
    half = argparse.Namespace(seconds=max(1, args.seconds // 2))
    rows = []
    for name in names:
        rounds = {"timra-alone": [], "among-others": []}
        for phase, server in (
            ("timra-alone", alone),
            ("among-others", scaled),
            ("among-others", scaled),
            ("timra-alone", alone),
        ):
            rounds[phase] += measure(server, pages, [name], ["uncached"], phase, half, workdir)
        rows += [combined(halves) for halves in rounds.values()]
    return rows


def combined(halves: list[Measurement]) -> Measurement:
    requests = sum(m.requests for m in halves)
    seconds = sum(m.requests / m.requests_per_second for m in halves)
    return Measurement(
        page=halves[0].page,
        path=halves[0].path,
        mode=halves[0].mode,
        phase=halves[0].phase,
        requests_per_second=round(requests / seconds, 1),
        p50_ms=max(m.p50_ms for m in halves),
        p99_ms=max(m.p99_ms for m in halves),
        requests=requests,
        errors=sum(m.errors for m in halves),
    )


def floor(measured: list[Measurement]) -> float:
    trivial = [m.requests_per_second for m in measured if m.page.startswith("trivial")]
    return sum(trivial) / len(trivial)


# --- Report ------------------------------------------------------------------------------------


def check_targets(results: Results) -> list[dict]:
    scaled = {(m.page, m.mode): m for m in results.measurements if m.phase == "scaled"}
    alone = {(m.page, m.mode): m for m in results.measurements if m.phase == "timra-alone"}
    beside = {(m.page, m.mode): m for m in results.measurements if m.phase == "among-others"}
    targets = []

    def target(name: str, value: float, limit: float, met: bool) -> None:
        targets.append({"target": name, "value": round(value, 2), "limit": limit, "met": met})

    for (page, mode), m in scaled.items():
        if mode == "cached" and page != "static":
            target(
                f"cached {page} / trivial", m.ratio, CACHED_MIN_RATIO, m.ratio >= CACHED_MIN_RATIO
            )
    for page in UNCACHED_TARGET_PAGES:
        m = scaled[(page, "uncached")]
        target(
            f"uncached {page} / trivial", m.ratio, UNCACHED_MIN_RATIO, m.ratio >= UNCACHED_MIN_RATIO
        )
    overview = scaled.get(("overview", "uncached"))
    if overview is not None:
        target(
            "uncached overview / trivial",
            overview.ratio,
            OVERVIEW_UNCACHED_MIN_RATIO,
            overview.ratio >= OVERVIEW_UNCACHED_MIN_RATIO,
        )
    for page in SCALE_TARGET_PAGES:
        ratio = (
            beside[(page, "uncached")].requests_per_second
            / alone[(page, "uncached")].requests_per_second
        )
        target(
            f"uncached {page}, {results.scale} more municipalities / Timrå alone",
            ratio,
            SCALE_MIN_RATIO,
            ratio >= SCALE_MIN_RATIO,
        )
    for m in results.measurements:
        if m.phase == "scaled":
            target(
                f"p99 / p50, {m.page} {m.mode}",
                m.tail,
                P99_MAX_TIMES_P50,
                m.tail <= P99_MAX_TIMES_P50,
            )
    errors = sum(m.errors for m in results.measurements)
    target("failed or non-2xx responses", errors, 0, errors == 0)
    return targets


def report(results: Results, compare: dict | None) -> None:
    earlier = {}
    if compare:
        earlier = {(m["page"], m["mode"], m["phase"]): m for m in compare.get("measurements", [])}
    print(
        f"\nscale {results.scale} · {results.database} · cache {results.cache} · "
        f"{WORKERS} gunicorn workers · {CONCURRENCY} connections · {results.seconds:g} s each"
        f" · commit {results.commit}\n"
    )
    header = (
        f"{'page':<11} {'mode':<9} {'phase':<12} {'req/s':>6} {'ratio':>6} "
        f"{'p50 ms':>7} {'p99 ms':>7} {'p99/p50':>7} {'queries':>7}"
    )
    if earlier:
        header += f" {'ratio before':>12}"
    print(header)
    for m in results.measurements:
        queries = "" if m.queries is None else str(m.queries)
        line = (
            f"{m.page:<11} {m.mode:<9} {m.phase:<12} {m.requests_per_second:>6.0f} "
            f"{m.ratio:>6.2f} {m.p50_ms:>7.1f} {m.p99_ms:>7.1f} {m.tail:>7.1f} {queries:>7}"
        )
        before = earlier.get((m.page, m.mode, m.phase))
        if earlier:
            line += f" {before['ratio']:>12.2f}" if before else f" {'–':>12}"
        print(line)
    print(f"\npeak resident memory of each gunicorn worker: {results.worker_peak_rss_mib} MiB")
    print("\ntargets (ratios from this run):")
    for t in results.targets:
        verdict = "met   " if t["met"] else "MISSED"
        comparison = "=" if t["limit"] == 0 else ("≤" if "p99" in t["target"] else "≥")
        print(f"  {verdict} {t['target']}: {t['value']} ({comparison} {t['limit']})")


# --- The activity-plan import ------------------------------------------------------------

IMPORT_ROWS = 2000  # the most rows activities.imports accepts in one file
IMPORT_PREVIEW_MAX_SECONDS = 5.0  # issue 13: checking the largest file takes seconds at most


def measure_activity_import(rows: int = IMPORT_ROWS) -> dict:
    """Seconds to preview (read and check) and to import (save) a plan of ``rows`` activities.

    A semicolon-separated Windows-1252 CSV, as Swedish Excel writes it, into
    Timrå's period, run as the admin runs it (``activities.imports``, every row
    saved through the services). Django is set up on a throwaway database.
    Seconds, unlike the pages' ratios: the import is one request, not a rate.
    """
    from django.contrib.auth import get_user_model

    from activities.imports import COLUMNS, import_plan, preview_plan, read_plan_file
    from promises.models import Organisation, Period

    period = Period.objects.published().get(municipality__slug="timra")
    promises = list(period.promises.values_list("slug", flat=True))
    lead = Organisation.objects.get(slug="polisen").slug
    start, end = period.starts_on.isoformat(), period.ends_on.isoformat()
    lines = [";".join(COLUMNS.values())]
    for number in range(rows):
        cells = [promises[number % len(promises)], f"Importerad aktivitet {number}"]
        cells += [f"Trygghetsvandring nummer {number} i Åkroken.", lead, "", start, end, "", "1"]
        lines.append(";".join(cells))
    content = "\r\n".join(lines).encode("cp1252")
    user = get_user_model().objects.create_superuser(f"bench-import-{secrets.token_hex(4)}")

    started = time.perf_counter()
    table = read_plan_file("plan.csv", content)
    preview = preview_plan(table, period, user)
    preview_seconds = time.perf_counter() - started
    if not preview.is_valid or len(preview.new) != rows:
        sys.exit(f"the import's bench plan did not check out: {preview.errors[:3]}")
    started = time.perf_counter()
    import_plan(table, period, user)
    import_seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "preview_seconds": round(preview_seconds, 2),
        "import_seconds": round(import_seconds, 2),
        "preview_target_met": preview_seconds <= IMPORT_PREVIEW_MAX_SECONDS,
    }


def report_activity_import(figures: dict) -> None:
    verdict = "met   " if figures["preview_target_met"] else "MISSED"
    print(
        f"\nactivity-plan import of {figures['rows']} rows: preview "
        f"{figures['preview_seconds']:.2f} s, import {figures['import_seconds']:.2f} s\n"
        f"  {verdict} preview of {figures['rows']} rows: {figures['preview_seconds']:.2f} s "
        f"(≤ {IMPORT_PREVIEW_MAX_SECONDS:g})"
    )


def import_only() -> None:
    """``--import-only``: the import's figure alone, on Timrå's data in a throwaway database."""
    with (
        tempfile.TemporaryDirectory(prefix="timra-bench-") as folder,
        ThrowawayDatabase(folder, "import") as url,
    ):
        env = production_environment(url, str(Path(folder) / "static"), "timra-bench-import")
        seed(env, 0)
        os.environ.update(env)
        import django

        django.setup()
        figures = measure_activity_import()
    print(f"{'PostgreSQL' if url.startswith('postgres') else 'SQLite'}:", end="")
    report_activity_import(figures)


# --- Main ----------------------------------------------------------------------------------


def commit() -> str:
    result = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def seed(env: dict, scale: int) -> None:
    manage(env, "migrate", "--no-input", "-v0")
    # Sweden's 290 municipalities first, as make run does, in both databases (so
    # Timrå's rows keep the same ids in both): the overview lists them all.
    manage(env, "load_municipalities", "-v0")
    manage(env, "seed_demo", f"--scale={scale}", "-v0")
    analyze(env["DATABASE_URL"])


def analyze(database_url: str) -> None:
    """Gather PostgreSQL's table statistics, as autovacuum does soon after a bulk load.

    Without them the planner guesses, and ignores the search's GIN indexes: on a
    freshly seeded database one search cost some 145 ms in PostgreSQL instead of
    8 ms, and autovacuum's own ANALYZE arrived at a random moment of the run.
    """
    if database_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("ANALYZE")


def main() -> None:
    args = parse_args()
    if args.import_only:
        import_only()
        return
    if shutil.which("ab") is None:
        sys.exit("ApacheBench (ab) is missing: apt-get install apache2-utils")
    compare = json.loads(args.compare.read_text()) if args.compare else None
    with (
        tempfile.TemporaryDirectory(prefix="timra-bench-") as folder,
        ThrowawayDatabase(folder, "alone") as alone_url,
        ThrowawayDatabase(folder, "scaled") as scaled_url,
    ):
        workdir = Path(folder)
        cache_prefix = f"timra-bench-{secrets.token_hex(6)}"
        static = str(workdir / "static")
        alone_env = production_environment(alone_url, static, cache_prefix + "-alone")
        env = production_environment(scaled_url, static, cache_prefix)
        started = time.perf_counter()
        manage(env, "collectstatic", "--no-input", "-v0")
        # Timrå is loaded first in both, so its rows have the same ids in both.
        seed(alone_env, 0)
        seed(env, args.scale)
        print(
            f"Seeded Timrå alone, and Timrå among {args.scale} municipalities, in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )
        os.environ.update(env)
        import django

        django.setup()
        pages = timra_pages()
        results = Results(
            scale=args.scale,
            seconds=args.seconds,
            database="PostgreSQL" if scaled_url.startswith("postgres") else "SQLite",
            cache="Redis" if env.get("REDIS_URL") else "local memory",
            commit=commit(),
        )
        with (
            AppServer(env, workdir / "gunicorn.log", WORKERS, start_seconds=60) as server,
            AppServer(
                alone_env, workdir / "gunicorn-alone.log", WORKERS, start_seconds=60
            ) as alone_server,
        ):
            measured = [name for name in pages if name != "trivial"]
            scaled = measure_phase(
                server, pages, measured, ["uncached", "cached"], "scaled", args, workdir
            )
            side_by_side = measure_side_by_side(
                alone_server, server, pages, SCALE_TARGET_PAGES, args, workdir
            )
            results.worker_peak_rss_mib = server.worker_peak_rss_mib()
        results.measurements = [*scaled, *side_by_side]
        results.trivial_rps = floor(scaled)
        for m in results.measurements:
            m.ratio = round(m.requests_per_second / results.trivial_rps, 3)
            if m.mode == "uncached" and m.phase == "scaled" and m.page != "static":
                m.queries = count_queries(m.path)
        results.targets = check_targets(results)
        forget_cached_pages(cache_prefix)
        activity_import = measure_activity_import()  # last: it adds to the plan
    report(results, compare)
    report_activity_import(activity_import)
    if args.json:
        payload = asdict(results)
        payload["activity_import"] = activity_import
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
        print(f"\nwrote {args.json}")


if __name__ == "__main__":
    main()
