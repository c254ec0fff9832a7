"""Every migration applies to, and the newest rolls back on, a database full of data.

A PostgreSQL database of the test's own (named after the test database, so runs
on a shared server do not meet) is migrated and filled as ``make run`` does,
with 20 demo municipalities on top (``seed_demo --scale 20``). Then each project
app's newest migration is rolled back and applied again, and all apps are rolled
back to their first migration and forward again, by ``manage.py`` in subprocesses.

What must survive: the row count of every table that exists throughout. A
rollback that removes a table drops its rows by nature; those tables are listed
in ``DROPPED_ON_ROLLBACK`` with the reason, so that a new migration whose rollback
loses data is a decision, not an accident.
"""

import subprocess
import sys

import psycopg
import pytest
from django.db.migrations.loader import MigrationLoader
from psycopg import sql

from tests.production.servers import ROOT, manage, production_env

PROJECT_APPS = ["participation", "followup", "activities", "promises", "accounts", "staff"]

DROPPED_ON_ROLLBACK = {
    # Created by activities.0002; the history of corrections to progress updates
    # goes with it (the updates themselves stay).
    "activities_historicalprogressupdate",
    # staff has one migration: rolling back its newest is rolling it back to zero.
    "staff_reportsubmission",
    # Created by promises.0003 (reference data, reloaded by load_municipalities).
    "promises_county",
    # Created by activities.0003: measurements' history, like the updates' above (the
    # measurements themselves stay).
    "activities_historicalmeasurement",
    # Created by accounts.0003: which municipalities a staff member works in. Before
    # roles per municipality there was no such scope; the roles themselves stay.
    "accounts_staffprofile_municipalities",
    # participation has one migration: rolling back its newest is rolling it back to
    # zero, and the dialogues and residents' questions go with it.
    "participation_dialogue",
    "participation_dialogue_focus_areas",
    "participation_question",
    "participation_questionedit",
}


def _connection_settings():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(
            "Needs PostgreSQL: migrations are checked on a filled PostgreSQL database "
            "(CI's PostgreSQL run does it); run with DATABASE_URL=postgres://…"
        )
    return connection.settings_dict


class Database:
    def __init__(self, settings: dict, name: str):
        self.settings = settings
        self.name = name

    def connect(self, dbname: str) -> psycopg.Connection:
        s = self.settings
        return psycopg.connect(
            dbname=dbname,
            user=s["USER"] or None,
            password=s["PASSWORD"] or None,
            host=s["HOST"] or "127.0.0.1",
            port=s["PORT"] or 5432,
            autocommit=True,
        )

    @property
    def url(self) -> str:
        s = self.settings
        password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
        host = f"{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
        return f"postgres://{s['USER']}{password}@{host}/{self.name}"

    def recreate(self) -> None:
        with self.connect("postgres") as connection:
            self._drop(connection)
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))

    def drop(self) -> None:
        with self.connect("postgres") as connection:
            self._drop(connection)

    def _drop(self, connection) -> None:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )

    def row_counts(self) -> dict[str, int]:
        with self.connect(self.name) as connection:
            tables = [
                name
                for (name,) in connection.execute(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                )
            ]
            return {
                table: connection.execute(
                    sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
                ).fetchone()[0]
                for table in tables
            }


@pytest.fixture(scope="module")
def filled(django_db_setup):
    settings = _connection_settings()
    # The test database is test_<name>; ours is <name>_migrations.
    base = settings["NAME"].removeprefix("test_")
    database = Database(settings, f"{base}_migrations")
    database.recreate()
    env = production_env(DJANGO_DEBUG="1", DATABASE_URL=database.url)
    try:
        manage(env, "migrate", "--no-input", "-v0")
        manage(env, "seed_demo", "--scale", "20")
        manage(env, "seed_demo_staff", "--password", "Ett-demolösenord-2026")
        yield database, env
    finally:
        database.drop()


def newest_and_previous(app: str) -> tuple[str, str]:
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    (newest,) = graph.leaf_nodes(app)
    parents = [parent for parent in graph.node_map[newest].parents if parent[0] == app]
    return newest[1], parents[0][1] if parents else "zero"


def round_trip(database: Database, env: dict, targets: list[tuple[str, str]]) -> None:
    """Roll back to ``targets`` and forward again; every surviving table keeps its rows."""
    before = database.row_counts()
    for app, target in targets:
        manage(env, "migrate", app, target, "--no-input", "-v0")
    rolled_back = database.row_counts()
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "migrate", "--check", "--no-input", "-v0")  # nothing left unapplied
    after = database.row_counts()

    dropped = {table for table in before if table not in rolled_back and before[table]}
    assert dropped <= DROPPED_ON_ROLLBACK, (
        f"rolling back to {targets} drops rows of {sorted(dropped - DROPPED_ON_ROLLBACK)}"
    )
    assert set(after) == set(before), "the tables differ after migrating forward again"
    kept = {table: count for table, count in before.items() if table in rolled_back}
    assert {table: after[table] for table in kept} == kept
    assert before["activities_progressupdate"] > 700  # the data really was there


def test_the_filled_database_has_every_kind_of_data(filled):
    database, _env = filled
    counts = database.row_counts()
    for table in [
        "promises_municipality",
        "promises_promise",
        "activities_activity",
        "activities_progressupdate",
        "activities_measurement",
        "followup_meeting",
        "followup_followup",
        "accounts_staffprofile",
        "auth_user_groups",
        "activities_historicalprogressupdate",
    ]:
        assert counts[table] > 0, table
    assert counts["promises_municipality"] == 21


@pytest.mark.parametrize("app", PROJECT_APPS)
def test_rolling_back_an_apps_newest_migration_and_applying_it_again_keeps_the_data(
    filled, app
):
    database, env = filled
    newest, previous = newest_and_previous(app)
    round_trip(database, env, [(app, previous)])


def test_rolling_every_app_back_to_its_first_migration_and_forward_again_keeps_the_data(
    filled,
):
    database, env = filled
    round_trip(database, env, [(app, "0001") for app in PROJECT_APPS])
