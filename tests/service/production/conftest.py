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
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from cryptography.fernet import Fernet
from local_servers import PG_USER, held_by_others, on_free_ports

from bot.engine_process import (
    DEFAULT_MODEL,
    PROJECT_ROOT,
    ManagedServer,
    actions_args,
    engine_env,
    rasa_args,
)
from bot.intake.process import IntakeService, running_intake
from production.nginx import PORT_COUNT, Nginx, find_nginx, running_nginx
from production.servers import (
    Postgres,
    Redis,
    ServerMissing,
    production_env,
    start_postgres,
    start_redis,
)

T = TypeVar("T")

PRODUCTION_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.production.yml"


# ---------------------------------------------------------------- PostgreSQL and Redis


def _or_skip(manager: AbstractContextManager[T]) -> Iterator[T]:
    """Enter a server's context manager; a missing server binary skips the tests that need it."""
    try:
        server = manager.__enter__()
    except ServerMissing as missing:
        pytest.skip(str(missing))
    try:
        yield server
    finally:
        manager.__exit__(None, None, None)


@pytest.fixture(scope="session")
def postgres() -> Iterator[Postgres]:
    yield from _or_skip(start_postgres())


@pytest.fixture(scope="session")
def redis() -> Iterator[Redis]:
    yield from _or_skip(start_redis())


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


@pytest.fixture(scope="session")
def nginx(tmp_path_factory) -> Iterator[Nginx]:
    """deploy/nginx.conf on free loopback ports; the upstreams start later (stack)."""
    executable = find_nginx()
    if executable is None:
        pytest.skip("nginx not found (Debian: apt-get install nginx-light)")
    prefix = tmp_path_factory.mktemp("nginx")
    # The upstream ports are chosen here too; the servers behind them bind them later (stack).
    start = lambda *ports: running_nginx(executable, prefix, *ports)  # noqa: E731
    with on_free_ports(start, PORT_COUNT) as server:
        yield server


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
            # These ports were chosen with nginx's, minutes ago: none may have gone to a stranger.
            taken = held_by_others(list(nginx.ports.values()))
            assert not taken, f"another process listens on upstream ports {taken}; run again"
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
