"""PostgreSQL and Redis on loopback, started as throwaway servers (free ports, temporary folders).

Plain context managers, so that the production tests (conftest.py, which turns a missing server
binary into a skip) and the full-stack benchmark (benchmarks/bench_stack.py) start them the same
way.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from local_servers import PG_USER, ServerMissing, on_free_ports, pg_cluster
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from bot.engine_process import new_tracker_key


@dataclass
class Postgres:
    """A throwaway cluster that a test can restart (pg_ctl restart, as an operator would)."""

    executor: PostgreSQLExecutor
    pg_ctl: str
    datadir: Path
    host: str
    port: int
    password: str

    def connect(self, dbname: str) -> psycopg.Connection:
        return psycopg.connect(
            host=self.host, port=self.port, user=PG_USER, password=self.password, dbname=dbname
        )

    def url(self, dbname: str) -> str:
        return f"postgresql://{PG_USER}:{self.password}@{self.host}:{self.port}/{dbname}"

    def postmaster_pid(self) -> int:
        return int((self.datadir / "postmaster.pid").read_text().split()[0])

    def restart(self) -> None:
        # Output to the server log: the new server inherits pg_ctl's stdout and stderr, so a pipe
        # would never reach end-of-file.
        subprocess.run(
            [self.pg_ctl, "restart", "-D", str(self.datadir), "-m", "fast", "-w", "-t", "60",
             "-l", str(self.datadir.parent / "postgresql.log")],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=90,
        )  # fmt: skip


@contextmanager
def start_postgres(dbnames: tuple[str, ...] = ("rasa", "intake")) -> Iterator[Postgres]:
    """A cluster with `dbnames` and a password for PG_USER; removed afterwards."""
    # Keep durability on: the restart test must not lose what was committed.
    with pg_cluster("lans-prod-pg-", dbnames[0]) as cluster:
        executor = cluster.executor
        server = Postgres(
            executor,
            cluster.pg_ctl,
            cluster.datadir,
            executor.host,
            int(executor.port),
            secrets.token_hex(12),
        )
        for dbname in dbnames:
            DatabaseJanitor(user=PG_USER, host=server.host, port=server.port, dbname=dbname).init()
        with server.connect("postgres") as db:
            # Loopback trusts everyone in a test cluster; the password shows the set-up's shape.
            db.execute(f"ALTER USER {PG_USER} PASSWORD '{server.password}'")
        yield server


@dataclass
class Redis:
    port: int
    password: str
    process: subprocess.Popen

    def command(self, *args: str) -> str:
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), "--no-auth-warning", "-a", self.password, *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()


@contextmanager
def start_redis() -> Iterator[Redis]:
    """Redis without persistence, with a password, on a free loopback port."""
    server = shutil.which("redis-server")
    if server is None:
        raise ServerMissing("redis-server not found (Debian: apt-get install redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="lans-prod-redis-"))
    password = secrets.token_hex(12)
    try:
        with on_free_ports(lambda port: _redis(server, workdir, port, password)) as redis:
            yield redis
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


@contextmanager
def _redis(server: str, workdir: Path, port: int, password: str) -> Iterator[Redis]:
    log = workdir / "redis.log"
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--requirepass", password, "--logfile", str(log)],
        cwd=workdir,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    redis = Redis(port, password, process)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if redis.command("PING") == "PONG":
                    break
            except subprocess.CalledProcessError:
                pass
            assert process.poll() is None and time.monotonic() < deadline, (
                f"redis did not start; see {log}"
            )
            time.sleep(0.2)
        yield redis
    finally:
        process.terminate()
        process.wait(timeout=20)


TRACKER_KEY = new_tracker_key()


def production_env(postgres: Postgres, redis: Redis, actions_url: str) -> dict[str, str]:
    """The variables deploy/endpoints.production.yml reads (see deploy/env/rasa.env.example)."""
    return {
        "LANS_ACTION_ENDPOINT_URL": f"{actions_url}/webhook",
        "RASA_DB_HOST": postgres.host,
        "RASA_DB_PORT": str(postgres.port),
        "RASA_DB_NAME": "rasa",
        "RASA_DB_USER": PG_USER,
        "RASA_DB_PASSWORD": postgres.password,
        "REDIS_HOST": "127.0.0.1",
        "REDIS_PORT": str(redis.port),
        "REDIS_PASSWORD": redis.password,
        "REDIS_LOCK_DB": "1",
        # One key for all replicas of this set-up: each must read what another wrote.
        "LANS_TRACKER_KEY": TRACKER_KEY,
    }
