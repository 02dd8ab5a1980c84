"""The production stack for the full-stack benchmark, started like tests/service/production does.

PostgreSQL and Redis come from tests/service/production/servers.py and nginx from
deploy/nginx.conf as tests/service/production/nginx.py renders it; the Telegram fake Bot API and
the bridge launcher from tests/service/telegram/tg_fakes.py. Those helpers live with the tests;
`test_helpers_on_path()` puts their folders on sys.path exactly as pytest does.

One Rasa replica or two is a matter of nginx: with one, both `server` lines of an upstream point
at the same process, so every request still takes the production path (bridge -> nginx -> Rasa
-> nginx -> action server -> nginx -> intake service).
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil

from bot.engine_process import PROJECT_ROOT, ManagedServer, actions_args, engine_env, rasa_args
from bot.intake.process import IntakeService, running_intake

TEST_HELPERS = [PROJECT_ROOT / "tests" / "service", PROJECT_ROOT / "tests" / "service" / "telegram"]
PRODUCTION_ENDPOINTS = PROJECT_ROOT / "deploy" / "endpoints.production.yml"
UNLIMITED = PROJECT_ROOT / "benchmarks" / "bot_api_unlimited"
WEBHOOK_SECRET = "bench-webhook-secret-" + secrets.token_hex(8)


def test_helpers_on_path() -> None:
    for folder in TEST_HELPERS:
        if str(folder) not in sys.path:
            sys.path.append(str(folder))


test_helpers_on_path()

from local_servers import free_port  # noqa: E402
from production.nginx import UPSTREAM_PORTS, Nginx, find_nginx, render  # noqa: E402
from production.servers import (  # noqa: E402
    Postgres,
    Redis,
    production_env,
    start_postgres,
    start_redis,
)
from tg_fakes import BOT_USER as BOT_USER  # noqa: E402 (re-exported for telegram_load)
from tg_fakes import Call as Call  # noqa: E402
from tg_fakes import FakeBotApi, ThreadServer, running_bridge  # noqa: E402


@dataclass
class Infrastructure:
    """What stays up for the whole run: databases, intake, action servers, fake Bot API."""

    postgres: Postgres
    redis: Redis
    intake: IntakeService
    actions: list[ManagedServer]
    api: FakeBotApi
    ports: dict[str, int]
    log_dir: Path
    engine_env: dict[str, str] = field(default_factory=dict)

    def referral_count(self) -> int:
        with self.postgres.connect("intake") as db:
            return db.execute("SELECT count(*) FROM referrals").fetchone()[0]


@contextmanager
def infrastructure(log_dir: Path) -> Iterator[Infrastructure]:
    ports = {role: free_port() for role in UPSTREAM_PORTS}
    with ExitStack() as stack:
        postgres = stack.enter_context(start_postgres())
        redis = stack.enter_context(start_redis())
        intake_env = {
            "DATABASE_URL": postgres.url("intake"),
            "INTAKE_API_TOKEN": secrets.token_urlsafe(24),
            "LANS_DATA_KEY": _fernet_key(),
            "LANS_BLIND_INDEX_KEY": secrets.token_urlsafe(24),
        }
        intake = stack.enter_context(running_intake(ports["intake_a"], log_dir, intake_env))
        env = engine_env(
            {
                **production_env(postgres, redis, f"http://127.0.0.1:{ports['actions_lb']}"),
                # Through nginx, as in production (INTAKE_URL=http://127.0.0.1:8000).
                "INTAKE_URL": f"http://127.0.0.1:{ports['intake_lb']}",
                "INTAKE_API_TOKEN": intake_env["INTAKE_API_TOKEN"],
                "LANS_OUTBOX_KEY": _fernet_key(),
            }
        )
        actions = [
            ManagedServer(
                actions_args(ports[f"actions_{name}"]),
                f"http://127.0.0.1:{ports[f'actions_{name}']}/health",
                log_dir / f"actions-{name}.log",
                {**env, "LANS_OUTBOX_PATH": str(log_dir / f"outbox-{name}.sqlite3")},
            )
            for name in ("a", "b")
        ]
        stack.callback(lambda: [server.stop() for server in actions])
        api = FakeBotApi()
        api.url = stack.enter_context(ThreadServer(api.app())).url
        yield Infrastructure(postgres, redis, intake, actions, api, ports, log_dir, env)


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def replicas_for(infra: Infrastructure, model: Path) -> list[ManagedServer]:
    return [
        ManagedServer(
            rasa_args(model, infra.ports[f"rasa_{name}"], PRODUCTION_ENDPOINTS),
            f"http://127.0.0.1:{infra.ports[f'rasa_{name}']}/",
            infra.log_dir / f"rasa-{model.name.removesuffix('.tar.gz')}-{name}.log",
            infra.engine_env,
            timeout=600,
        )
        for name in ("a", "b")
    ]


def start_servers(servers: list[ManagedServer]) -> None:
    """Launch all first (models load in parallel), then wait for each."""
    todo = [s for s in servers if not s.running]
    for server in todo:
        server.launch()
    for server in todo:
        server.wait()


@contextmanager
def running_nginx(infra: Infrastructure, replicas: int) -> Iterator[Nginx]:
    """deploy/nginx.conf; with one replica, B's upstream lines point at A's processes."""
    executable = find_nginx()
    if executable is None:
        raise RuntimeError("nginx not found (Debian: apt-get install nginx-light)")
    prefix = infra.log_dir / f"nginx-{replicas}"
    prefix.mkdir(parents=True, exist_ok=True)
    ports = dict(infra.ports)
    ports["intake_b"] = ports["intake_a"]  # one intake process: it is not what is scaled here
    if replicas == 1:
        ports["rasa_b"], ports["actions_b"] = ports["rasa_a"], ports["actions_a"]
    http_port, https_port = free_port(), free_port()
    config = render(prefix, ports, http_port, https_port)
    server = Nginx(executable, config, prefix, ports, http_port, https_port)
    checked = server.check()
    if checked.returncode != 0:
        raise RuntimeError(checked.stderr)
    try:
        server.start()  # stopped below also when it did not come up in time
        yield server
    finally:
        server.stop()


@dataclass
class BridgeHandle:
    process: subprocess.Popen
    webhook_url: str


@contextmanager
def running_webhook_bridge(
    infra: Infrastructure, rasa_url: str, bot_api_limit: bool = True
) -> Iterator[BridgeHandle]:
    """`python -m bot.telegram` in webhook mode against the fake Bot API, ready for updates.

    `bot_api_limit=False`: without the 30 calls/s overall limit (bot_api_unlimited/).
    """
    port = free_port()
    log = infra.log_dir / f"bridge-{port}.log"
    extra = {
        "TELEGRAM_MODE": "webhook",
        "TELEGRAM_WEBHOOK_URL": "https://bench.invalid/telegram",
        "TELEGRAM_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "TELEGRAM_WEBHOOK_PORT": str(port),
        "TELEGRAM_RASA_ATTEMPTS": "4",  # the production default (the tests use 2)
    }
    if not bot_api_limit:
        extra["PYTHONPATH"] = f"{UNLIMITED}:{PROJECT_ROOT}"
        extra["LANS_BENCH_NO_BOT_API_LIMIT"] = "1"
    with running_bridge(infra.api, rasa_url, log, **extra) as bridge:
        url = f"http://127.0.0.1:{port}/telegram"
        deadline = time.monotonic() + 60
        while True:  # setWebhook of an earlier bridge is in the fake's record: probe the port
            try:
                if httpx.post(url, json={}, timeout=5).status_code == 403:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline or bridge.process.poll() is not None:
                raise RuntimeError(f"the bridge did not start; see {log}")
            time.sleep(0.1)
        yield BridgeHandle(bridge.process, url)


# ---------------------------------------------------------------- memory and CPU per process


class ProcessWatch:
    """Peak RSS (sampled every 0.25 s) and CPU seconds of named processes and their children.

    PostgreSQL and nginx are a main process with children (one backend per connection, the
    workers): their RSS is summed, which counts shared memory more than once (an upper bound).
    Children are looked up every 2 s only: finding them scans all of /proc.
    """

    def __init__(self) -> None:
        self.pids: dict[str, tuple[int, bool]] = {}
        self.peak: dict[str, float] = {}
        self._trees: dict[str, list[psutil.Process]] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def track(self, name: str, pid: int, children: bool = True) -> None:
        self.pids[name] = (pid, children)
        self._trees[name] = self._tree(pid, children)

    def forget(self, prefix: str) -> None:
        for name in [n for n in self.pids if n.startswith(prefix)]:
            del self.pids[name]
            self._trees.pop(name, None)

    @staticmethod
    def _tree(pid: int, children: bool) -> list[psutil.Process]:
        try:
            main = psutil.Process(pid)
            return [main, *main.children(recursive=True)] if children else [main]
        except psutil.Error:
            return []

    def _sum(self, name: str, measure) -> float:
        total = 0.0
        for process in self._trees.get(name, []):
            with suppress(psutil.Error):
                total += measure(process)
        return total

    def cpu_seconds(self) -> dict[str, float]:
        def cpu(process: psutil.Process) -> float:
            times = process.cpu_times()
            return times.user + times.system

        return {name: self._sum(name, cpu) for name in list(self.pids)}

    def _run(self) -> None:
        rounds = 0
        while not self._stop.wait(0.25):
            rounds += 1
            for name, (pid, children) in list(self.pids.items()):
                if children and rounds % 8 == 0:
                    self._trees[name] = self._tree(pid, children)
                rss = self._sum(name, lambda p: p.memory_info().rss) / 2**20
                self.peak[name] = max(self.peak.get(name, 0.0), rss)

    def __enter__(self) -> ProcessWatch:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
