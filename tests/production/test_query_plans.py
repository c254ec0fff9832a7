"""Timrå's pages cost the same however many other municipalities share the database:
every query of every page the benchmark measures reads through an index.

PostgreSQL is asked for each query's plan with sequential scans priced out
(``enable_seqscan = off``); a sequential scan that remains in such a plan has no
index to use, and would read every municipality's rows.
"""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from followup.models import Meeting
from promises.models import Municipality, Period

pytestmark = pytest.mark.django_db


@pytest.fixture
def timra_among_others():
    if connection.vendor != "postgresql":
        pytest.skip("Query plans are checked on PostgreSQL: run with DATABASE_URL=postgres://…")
    call_command("load_timra", verbosity=0)
    call_command("seed_demo", scale=3, verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timra_pages() -> list[str]:
    """The pages scripts/bench.py measures, for Timrå."""
    period = Period.objects.published().get(municipality__slug="timra")
    promise = period.promises.order_by("order", "pk").first()
    area = period.focus_areas.order_by("order", "pk").first()
    meeting = Meeting.objects.published().held().filter(council__municipality__slug="timra").first()
    municipality = Municipality.objects.get(slug="timra")
    base = f"/timra/{period.slug}/"
    return [
        "/timra/",
        base,
        base + "loften/",
        base + f"loften/{promise.slug}/",
        base + f"omraden/{area.slug}/",
        "/timra/sammantraden/",
        f"/timra/sammantraden/{meeting.pk}/",
        f"/api/v1/promises/?municipality={municipality.pk}",
        f"/api/v1/activities/?municipality={municipality.pk}",
        f"/api/v1/meetings/?municipality={municipality.pk}",
    ]


def sequential_scans(plan: dict) -> list[str]:
    found = []
    if plan.get("Node Type") == "Seq Scan":
        found.append(plan["Relation Name"])
    for child in plan.get("Plans", []):
        found += sequential_scans(child)
    return found


def unindexed_reads(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
        cursor.execute("RESET enable_seqscan")
    if isinstance(plan, str):
        plan = json.loads(plan)
    return sequential_scans(plan[0]["Plan"])


def test_every_query_of_timras_pages_reads_through_an_index(client, timra_among_others):
    checked = 0
    problems = []
    for path in timra_pages():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, path
        for query in captured.captured_queries:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            checked += 1
            tables = unindexed_reads(query["sql"])
            if tables:
                problems.append(f"{path}: {', '.join(tables)} in {query['sql'][:300]}")

    assert checked > 50, "the pages ran fewer queries than expected: is anything measured?"
    assert not problems, "queries without an index:\n" + "\n".join(problems)


def test_a_query_without_an_index_is_caught(timra_among_others):
    """The check itself: a filter on a column without an index shows as a sequential scan."""
    sql = "SELECT id FROM promises_promise WHERE with_residents"
    assert unindexed_reads(sql) == ["promises_promise"]


def indexes_used(plan: dict) -> set[str]:
    found = {plan["Index Name"]} if "Index Name" in plan else set()
    for child in plan.get("Plans", []):
        found |= indexes_used(child)
    return found


def plan_of(sql: str) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        (plan,) = cursor.fetchone()
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]


@pytest.mark.parametrize("query", ["trafik", "vald", "narvarande poliser"])
def test_the_search_reads_through_its_full_text_indexes(client, timra_among_others, query):
    """Each kind the search reads is found through its GIN index (pages/migrations)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    searches = [q["sql"] for q in captured.captured_queries if "to_tsvector" in q["sql"]]
    assert len(searches) == 6
    # On this small database a whole-table read is cheaper than any index, so the
    # planner is asked whether the full-text index is usable at all.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    missing = [
        sql[:200]
        for sql in searches
        if not any(name.startswith("search_") for name in indexes_used(plan_of(sql)))
    ]
    assert not missing, "search queries not using their full-text index:\n" + "\n".join(missing)
