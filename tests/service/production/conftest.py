"""The production set-up on one machine, for consistency and fault tests.

PostgreSQL (Rasa's SQL tracker store and the intake database), Redis (Rasa's lock store), two
Rasa replicas started with deploy/endpoints.production.yml, one action server with its durable
outbox, and the intake service: all real processes on loopback with free ports, started once per
session (each Rasa replica needs about 1.3 GB and 40-60 s to load). Fault tests kill and restart
single parts and must leave everything running again.

Needs Debian's postgresql and redis-server (`.ci/run` installs them); without them these tests are
skipped with the reason.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import sqlite3
import stat
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg
import pytest
from cryptography.fernet import Fernet
from intake.conftest import PG_USER, _find_pg_ctl, free_port
from pytest_postgresql.executors import PostgreSQLExecutor
from pytest_postgresql.janitor import DatabaseJanitor

from bot.engine_process import (
    DEFAULT_MODEL,
    PROJECT_ROOT,
    ManagedServer,
    actions_args,
    engine_env,
    rasa_args,
)
from bot.intake.process import IntakeService, running_intake
from production.nginx import UPSTREAM_PORTS, Nginx, find_nginx, render

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.production.yml"


# ---------------------------------------------------------------- PostgreSQL


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


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    pg_ctl = _find_pg_ctl()
    if pg_ctl is None:
        pytest.skip("PostgreSQL server binaries not found (Debian: apt-get install postgresql)")
    workdir = Path(tempfile.mkdtemp(prefix="lans-prod-pg-"))
    executable = pg_ctl
    if os.geteuid() == 0:
        # PostgreSQL will not run as root: run pg_ctl (and so initdb and postgres) as `postgres`.
        runuser = shutil.which("runuser")
        if runuser is None:
            pytest.skip("running as root and `runuser` is missing: cannot start PostgreSQL")
        try:
            shutil.chown(workdir, user=PG_USER)
        except LookupError:
            pytest.skip(f"running as root and there is no `{PG_USER}` system user")
        wrapper = workdir / "pg_ctl"
        wrapper.write_text(f'#!/bin/sh\nexec {runuser} -u {PG_USER} -- {pg_ctl} "$@"\n')
        wrapper.chmod(stat.S_IRWXU)
        executable = str(wrapper)
    datadir = workdir / "data"
    executor = PostgreSQLExecutor(
        executable=executable,
        host="127.0.0.1",
        port=free_port(),
        datadir=str(datadir),
        unixsocketdir=str(workdir),
        logfile=str(workdir / "postgresql.log"),
        startparams="-w",
        dbname="rasa",
        user=PG_USER,
        # Keep durability on: the restart test must not lose what was committed.
        postgres_options="",
    )
    executor.start()
    server = Postgres(
        executor, executable, datadir, executor.host, int(executor.port), secrets.token_hex(12)
    )
    try:
        for dbname in ("rasa", "intake"):
            DatabaseJanitor(user=PG_USER, host=server.host, port=server.port, dbname=dbname).init()
        with server.connect("postgres") as db:
            # Loopback trusts everyone in a test cluster; the password shows the set-up's shape.
            db.execute(f"ALTER USER {PG_USER} PASSWORD '{server.password}'")
        yield server
    finally:
        executor.stop()
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------- Redis


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


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not found (Debian: apt-get install redis-server)")
    workdir = Path(tempfile.mkdtemp(prefix="lans-prod-redis-"))
    port = free_port()
    password = secrets.token_hex(12)
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir), "--requirepass", password, "--logfile", str(workdir / "redis.log")],
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
            assert process.poll() is None and time.monotonic() < deadline, "redis did not start"
            time.sleep(0.2)
        yield redis
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(workdir, ignore_errors=True)


# ---------------------------------------------------------------- the whole stack


@dataclass
class Stack:
    """Two Rasa replicas on one tracker store and lock store; two action servers behind nginx
    (deploy/nginx.conf), each with its own outbox; the intake service on PostgreSQL."""

    replicas: list[ManagedServer]
    actions: list[ManagedServer]
    outboxes: list[Path]
    intake: IntakeService
    nginx: Nginx
    postgres: Postgres
    redis: Redis
    log_dir: Path
    intake_env: dict[str, str] = field(default_factory=dict)

    def url(self, replica: int) -> str:
        return self.replicas[replica].health_url.rstrip("/")

    def referrals(self, reference: str) -> list[tuple]:
        with self.postgres.connect("intake") as db:
            return db.execute(
                "SELECT status, child_first_name FROM referrals WHERE reference = %s",
                (reference.replace("-", ""),),
            ).fetchall()

    def decrypt(self, token: str) -> str:
        return json.loads(Fernet(self.intake_env["LANS_DATA_KEY"]).decrypt(token.encode()))

    def outbox_state(self, index: int, reference: str) -> list[str]:
        if not self.outboxes[index].exists():
            return []
        with closing(sqlite3.connect(self.outboxes[index])) as db:
            rows = db.execute(
                "SELECT state FROM outbox WHERE replace(reference, '-', '') = ?",
                (reference.replace("-", ""),),
            ).fetchall()
        return [state for (state,) in rows]

    def ensure_running(self) -> None:
        """Fault tests end with everything up again; this guards the next test."""
        if self.intake.process is None:
            self.intake.start()
        down = [s for s in [*self.actions, *self.replicas] if not s.running]
        for server in down:
            server.launch()
        for server in down:
            server.wait()


def production_env(postgres: Postgres, redis: Redis, actions_url: str) -> dict[str, str]:
    """The variables deploy/endpoints.production.yml reads (see deploy/lans.env.example)."""
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
    }


@pytest.fixture(scope="session")
def nginx(tmp_path_factory) -> Iterator[Nginx]:
    """deploy/nginx.conf on free loopback ports; the upstreams start later (stack)."""
    executable = find_nginx()
    if executable is None:
        pytest.skip("nginx not found (Debian: apt-get install nginx-light)")
    prefix = tmp_path_factory.mktemp("nginx")
    ports = {role: free_port() for role in UPSTREAM_PORTS}
    config = render(prefix, ports, http_port := free_port(), https_port := free_port())
    server = Nginx(executable, config, prefix, ports, http_port, https_port)
    checked = server.check()
    assert checked.returncode == 0, checked.stderr
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, postgres: Postgres, redis: Redis, nginx: Nginx) -> Iterator[Stack]:
    assert DEFAULT_MODEL.exists(), "run `make train` first: no trained model"
    log_dir = tmp_path_factory.mktemp("production")
    intake_env = {
        "DATABASE_URL": f"postgresql://{PG_USER}:{postgres.password}@{postgres.host}:"
        f"{postgres.port}/intake",
        "INTAKE_API_TOKEN": secrets.token_urlsafe(24),
        "LANS_DATA_KEY": Fernet.generate_key().decode(),
        "LANS_BLIND_INDEX_KEY": secrets.token_urlsafe(24),
    }
    # The second intake replica and the Telegram bridge stay down: nginx must cope.
    with running_intake(nginx.ports["intake_a"], log_dir, intake_env) as intake:
        common = engine_env(
            {
                **production_env(postgres, redis, nginx.internal("actions_lb")),
                "INTAKE_URL": intake.url,
                "INTAKE_API_TOKEN": intake_env["INTAKE_API_TOKEN"],
                "LANS_OUTBOX_KEY": Fernet.generate_key().decode(),
            }
        )
        actions, outboxes = [], []
        for name in ("a", "b"):
            port = nginx.ports[f"actions_{name}"]
            outboxes.append(log_dir / f"outbox-{name}.sqlite3")  # one outbox per server
            actions.append(
                ManagedServer(
                    actions_args(port),
                    f"http://127.0.0.1:{port}/health",
                    log_dir / f"actions-{name}.log",
                    {**common, "LANS_OUTBOX_PATH": str(outboxes[-1])},
                )
            )
        replicas = []
        for name in ("a", "b"):
            port = nginx.ports[f"rasa_{name}"]
            replicas.append(
                ManagedServer(
                    # The HTTP API (loopback only) lets tests read the shared tracker.
                    rasa_args(DEFAULT_MODEL, port, PRODUCTION_ENDPOINTS, enable_api=True),
                    f"http://127.0.0.1:{port}/",
                    log_dir / f"rasa-{name}.log",
                    common,
                )
            )
        servers = [*actions, *replicas]
        try:
            for server in servers:  # the replicas load their models in parallel
                server.launch()
            for server in servers:
                server.wait()
            yield Stack(
                replicas, actions, outboxes, intake, nginx, postgres, redis, log_dir, intake_env
            )
        finally:
            for server in servers:
                server.stop()


@pytest.fixture
def healthy_stack(stack: Stack) -> Iterator[Stack]:
    """For fault tests: everything up before, and up again after (also when the test failed)."""
    stack.ensure_running()
    yield stack
    stack.ensure_running()


# ---------------------------------------------------------------- talking to it


class Chat:
    """One user; each turn goes to the replica the test chooses."""

    def __init__(self, stack: Stack, client: httpx.AsyncClient, prefix: str = "prod") -> None:
        self.stack = stack
        self.client = client
        self.sender = f"{prefix}-{secrets.token_hex(6)}"
        self.sent: list[str] = []

    async def attempt(self, text: str, replica: int) -> tuple[int, str]:
        """Send a turn: the HTTP status and the reply's texts joined ("" when none)."""
        response = await self.client.post(
            f"{self.stack.url(replica)}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=120,
        )
        if response.status_code != 200:
            return response.status_code, ""
        self.sent.append(text)
        return 200, "\n".join(m.get("text", "") for m in response.json())

    async def say(self, text: str, replica: int) -> str:
        status, reply = await self.attempt(text, replica)
        assert status == 200, (replica, status)
        return reply

    async def user_turns(self, replica: int) -> list[str]:
        """What the tracker store holds for this conversation, read through one replica."""
        response = await self.client.get(
            f"{self.stack.url(replica)}/conversations/{self.sender}/tracker", timeout=60
        )
        response.raise_for_status()
        return [e["text"] for e in response.json()["events"] if e["event"] == "user"]
