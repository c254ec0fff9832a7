"""A PostgreSQL and a Redis of a test's own, to stop and start again while app servers run.

Both live in a temporary folder, listen on 127.0.0.1 on a free port and are
removed afterwards; the machine's shared PostgreSQL and Redis are never touched.
"""

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest
import redis

from tests.production.servers import free_port


def unavailable(message: str):
    """Skip locally; in CI a missing server program is a broken CI image."""
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def _postgres_program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


class PrivatePostgres:
    """A cluster made by initdb in a temporary folder, on its own port.

    initdb refuses to run as root, so as root the cluster belongs to the
    ``postgres`` user and its programs run through runuser.
    """

    def __init__(self) -> None:
        self.initdb = _postgres_program("initdb")
        self.pg_ctl = _postgres_program("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            unavailable("initdb and pg_ctl (PostgreSQL's server programs) are not installed.")
        self.as_owner: list[str] = []
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                unavailable("Running as root needs a 'postgres' user to own the cluster.")
            if not shutil.which("runuser"):
                unavailable("Running as root needs runuser to start PostgreSQL as postgres.")
            self.as_owner = ["runuser", "-u", "postgres", "--"]
        # Not under pytest's tmp_path: that is private to root, and the socket path
        # must stay short.
        self.dir = Path(tempfile.mkdtemp(prefix="timra-pg-"))
        if self.as_owner:
            shutil.chown(self.dir, "postgres")
        self.data = self.dir / "data"
        self.port = free_port()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        result = subprocess.run(
            [*self.as_owner, *args], capture_output=True, text=True, timeout=60, check=False
        )
        assert result.returncode == 0, f"{args[0]} failed:\n{result.stdout}{result.stderr}"

    def initialise(self) -> None:
        self._run(
            self.initdb,
            *("-D", str(self.data), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
            # A throwaway cluster: no need to wait for the disk.
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.dir / "postgres.log")
        self._run(self.pg_ctl, "-D", str(self.data), "-l", log, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        if not (self.data / "postmaster.pid").exists():
            return False
        result = subprocess.run(
            [*self.as_owner, self.pg_ctl, "-D", str(self.data), "status"],
            capture_output=True,
            timeout=30,
            check=False,
        )
        return result.returncode == 0

    def create_database(self, name: str) -> None:
        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')

    def remove(self) -> None:
        try:
            if self.running():
                self.stop("immediate")
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


class PrivateRedis:
    """A redis-server without persistence in a temporary folder, on its own port."""

    def __init__(self) -> None:
        self.program = shutil.which("redis-server")
        if not self.program:
            unavailable("redis-server is not installed.")
        self.dir = Path(tempfile.mkdtemp(prefix="timra-redis-"))
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Start, on the same port every time, and wait until it answers."""
        with (self.dir / "redis.log").open("ab") as log:
            self.process = subprocess.Popen(
                [
                    self.program,
                    *("--port", str(self.port), "--bind", "127.0.0.1"),
                    *("--save", "", "--appendonly", "no", "--dir", str(self.dir)),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                if client.ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start:\n{self.log()}")

    def stop(self) -> None:
        """Shut down without saving, the way a crash or a restart loses the cache."""
        if self.process is None or self.process.poll() is not None:
            return
        # The connection closes as the server shuts down, which redis-py reports as an error.
        with contextlib.suppress(redis.exceptions.RedisError):
            redis.Redis.from_url(self.url, socket_timeout=5).shutdown(nosave=True)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def freeze(self) -> None:
        """Stop the process without closing its port: connections open, nothing answers."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def thaw(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def log(self) -> str:
        return (self.dir / "redis.log").read_text(errors="replace")

    def remove(self) -> None:
        try:
            if self.process is not None and self.process.poll() is None:
                self.thaw()
                self.process.terminate()
                self.process.wait(timeout=10)
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


def worker_pids(master_pid: int) -> set[int]:
    """The gunicorn workers: the master's child processes."""
    children = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == master_pid:
            children.add(int(stat.parent.name))
    return children
