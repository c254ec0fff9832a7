"""The documented backup (pg_dump) restores: scripts/backup_restore_check.sh, run
against the test database and a scratch database of the test's own name."""

import subprocess
import sys

import pytest
from django.db import connection

from tests.activities.factories import ProgressUpdateFactory
from tests.production.servers import ROOT, production_env

SCRIPT = ROOT / "scripts" / "backup_restore_check.sh"

# Committed data: pg_dump reads the database from another process.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def script_env(postgres_url):
    scratch = f"{connection.settings_dict['NAME']}_restore_check"
    return production_env(
        DATABASE_URL=postgres_url, RESTORE_CHECK_DATABASE=scratch, PYTHON=sys.executable
    )


def run(env, *args):
    return subprocess.run(
        ["bash", str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


def scratch_exists(env) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [env["RESTORE_CHECK_DATABASE"]]
        )
        return cursor.fetchone() is not None


def test_a_fresh_dump_restores_with_every_row(script_env):
    ProgressUpdateFactory.create_batch(3)

    result = run(script_env)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "tables match" in result.stdout
    assert "OK: the backup restores." in result.stdout
    assert not scratch_exists(script_env), "the scratch database is dropped"


def test_an_existing_dump_file_restores(script_env, tmp_path):
    ProgressUpdateFactory()
    dump = tmp_path / "nightly.dump"
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", script_env["DATABASE_URL"]], check=True
    )

    result = run(script_env, str(dump))

    assert result.returncode == 0, result.stdout + result.stderr
    assert "activities_progressupdate" in result.stdout
    assert not scratch_exists(script_env)


def test_a_damaged_dump_fails_and_leaves_nothing_behind(script_env, tmp_path):
    dump = tmp_path / "damaged.dump"
    dump.write_bytes(b"PGDMP" + b"\x00" * 200)

    result = run(script_env, str(dump))

    assert result.returncode != 0
    assert "OK" not in result.stdout
    assert not scratch_exists(script_env)
