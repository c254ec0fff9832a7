"""Requests at truly the same moment on PostgreSQL: threads, a barrier and a row gate.

``row_gate`` holds ``SELECT ... FOR UPDATE`` on one row from a connection of its
own. Requests started while it is held run until they need that row and then wait
in the database; once as many sessions wait as there are requests, the gate opens
and they all continue at once. So a test knows that every request has read what
it read before any of them wrote, whatever the thread scheduling.

Tests using it need committed data: ``django_db(transaction=True)``.
"""

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection, connections
from psycopg import sql


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip(
            "Truly concurrent requests need PostgreSQL (row locks): "
            "run with DATABASE_URL=postgres://…"
        )


def _connect(autocommit: bool) -> psycopg.Connection:
    s = connection.settings_dict
    return psycopg.connect(
        dbname=s["NAME"],
        user=s["USER"] or None,
        password=s["PASSWORD"] or None,
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        autocommit=autocommit,
    )


class RowGate:
    def __init__(self, observer: psycopg.Connection):
        self.observer = observer

    def waiting(self) -> int:
        """Sessions of the test database that wait for a lock."""
        row = self.observer.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock' "
            "AND pid <> pg_backend_pid()"
        ).fetchone()
        return row[0]

    def wait_for(self, sessions: int, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while self.waiting() < sessions:
            if time.monotonic() > deadline:
                pytest.fail(f"{sessions} requests did not reach the locked row in {timeout} s")
            time.sleep(0.02)


@contextmanager
def row_gate(model, pk: int) -> Iterator[RowGate]:
    """Lock one row of ``model`` until the block ends."""
    holder = _connect(autocommit=False)
    observer = _connect(autocommit=True)
    try:
        query = sql.SQL("SELECT 1 FROM {} WHERE id = %s FOR UPDATE").format(
            sql.Identifier(model._meta.db_table)
        )
        holder.execute(query, [pk])
        yield RowGate(observer)
    finally:
        holder.rollback()
        holder.close()
        observer.close()


class Together:
    """Calls started in threads behind a barrier; ``results()`` joins them."""

    def __init__(self, *calls: Callable):
        self.barrier = threading.Barrier(len(calls))
        self.values: list = [None] * len(calls)
        self.errors: list[BaseException] = []
        self.threads = [
            threading.Thread(target=self._run, args=(index, call), daemon=True)
            for index, call in enumerate(calls)
        ]
        for thread in self.threads:
            thread.start()

    def _run(self, index: int, call: Callable) -> None:
        try:
            self.barrier.wait(timeout=20)
            self.values[index] = call()
        except BaseException as error:  # noqa: BLE001 - reported by results()
            self.errors.append(error)
        finally:
            connections.close_all()

    def results(self, timeout: float = 60) -> list:
        for thread in self.threads:
            thread.join(timeout)
            assert not thread.is_alive(), "a concurrent request did not finish"
        if self.errors:
            raise self.errors[0]
        return self.values
