"""Start the Rasa server and the action server as child processes, and stop them again.

Standard library only, so that both environments can use it: the service environment
(`make run`, the benchmark, HTTP tests) starts the engine environment's `rasa` executable.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENGINE_BIN = PROJECT_ROOT / ".venv-engine" / "bin"
DEFAULT_MODEL = PROJECT_ROOT / "models" / "lans.tar.gz"
LOCAL_ACTIONS_URL = "http://localhost:5055"


class EngineStartError(RuntimeError):
    """A server did not come up; the message names its log file."""


@dataclass
class Engine:
    """Addresses and processes of a running Rasa server and action server."""

    rasa_url: str
    actions_url: str
    rasa: subprocess.Popen
    actions: subprocess.Popen | None
    log_dir: Path

    @property
    def webhook_url(self) -> str:
        return f"{self.rasa_url}/webhooks/rest/webhook"


def engine_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the engine's `rasa` processes."""
    return {
        # rasa_sdk's action server binds SANIC_HOST, 0.0.0.0 unless set: keep it on loopback.
        "SANIC_HOST": "127.0.0.1",
        **os.environ,
        **(extra or {}),
        "PYTHONPATH": str(PROJECT_ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # No usage data or crash reports leave the machine: they could contain user text.
        "RASA_TELEMETRY_ENABLED": "false",
    }


def new_tracker_key() -> str:
    """A Fernet key (32 random bytes, URL-safe base64) for the tracker store's encryption."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def tracker_defaults(log_dir: Path) -> dict[str, str]:
    """Where endpoints.yml's SQLite tracker store writes, unless the caller says so: a file in
    this run's log folder, encrypted with a key made for this run (a test's conversations
    are gone with its folder). `make run` passes var/conversations.db and the machine's key."""
    return {
        "LANS_TRACKER_DB": str(log_dir / "conversations.db"),
        "LANS_TRACKER_KEY": new_tracker_key(),
    }


def wait_until_up(url: str, process: subprocess.Popen, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EngineStartError(f"{url} exited early (code {process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise EngineStartError(f"{url} did not come up within {timeout:.0f} s; see {log}")


def spawn(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    handle = log.open("ab")
    return subprocess.Popen(
        args, cwd=PROJECT_ROOT, stdout=handle, stderr=subprocess.STDOUT, env=env
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def local_endpoints(actions_url: str) -> str:
    """The project's endpoints.yml with the action server at `actions_url`."""
    text = (PROJECT_ROOT / "endpoints.yml").read_text()
    if LOCAL_ACTIONS_URL not in text:
        raise EngineStartError(f"endpoints.yml does not name the action server {LOCAL_ACTIONS_URL}")
    return text.replace(LOCAL_ACTIONS_URL, actions_url)


def rasa_args(
    model: Path,
    port: int,
    endpoints: Path,
    enable_api: bool = False,
    interface: str = "127.0.0.1",
) -> list[str]:
    """Command line of one Rasa server (the REST channel from credentials.yml)."""
    args = [
        str(ENGINE_BIN / "rasa"), "run",
        "--model", str(model),
        "--endpoints", str(endpoints),
        "--credentials", str(PROJECT_ROOT / "credentials.yml"),
        "--interface", interface,
        "--port", str(port),
    ]  # fmt: skip
    if enable_api:
        args.append("--enable-api")
    return args


def actions_args(port: int) -> list[str]:
    """Command line of one action server (rasa_sdk with the project's actions/)."""
    return [str(ENGINE_BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]


@dataclass
class ManagedServer:
    """One server process that can be started, stopped, killed and started again.

    For production-like set-ups and fault tests: several replicas, each restarted on its own.
    """

    args: list[str]
    health_url: str
    log: Path
    env: dict[str, str]
    timeout: float = 240.0
    process: subprocess.Popen | None = None

    def launch(self) -> None:
        """Start without waiting (several servers load their models in parallel)."""
        self.process = spawn(self.args, self.log, self.env)

    def wait(self) -> None:
        assert self.process is not None, "launch() first"
        wait_until_up(self.health_url, self.process, self.timeout, self.log)

    def start(self) -> None:
        self.launch()
        self.wait()

    def stop(self) -> None:
        stop(self.process)
        self.process = None

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when a machine or container dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None


@contextmanager
def running_engine(
    model: Path = DEFAULT_MODEL,
    rasa_port: int = 5005,
    actions_port: int = 5055,
    with_actions: bool = True,
    enable_api: bool = False,
    log_dir: Path | None = None,
    timeout: float = 240.0,
    env: dict[str, str] | None = None,
    endpoints: Path | None = None,
) -> Iterator[Engine]:
    """Run both servers on localhost for the duration of the block.

    `env` adds settings for the action server, such as where the intake service is.
    `endpoints` replaces the generated endpoints.yml (e.g. deploy/endpoints.production.yml,
    whose ${VARIABLES} then come from `env`).
    """
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="lans-engine-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env({**tracker_defaults(log_dir), **(env or {})})
    actions_url = f"http://127.0.0.1:{actions_port}"
    if endpoints is None:
        endpoints = log_dir / "endpoints.yml"
        endpoints.write_text(local_endpoints(actions_url))

    actions = None
    rasa = None
    try:
        if with_actions:
            log = log_dir / "actions.log"
            actions = spawn(actions_args(actions_port), log, env)
            wait_until_up(f"{actions_url}/health", actions, timeout, log)
        log = log_dir / "rasa.log"
        rasa = spawn(rasa_args(model, rasa_port, endpoints, enable_api), log, env)
        rasa_url = f"http://127.0.0.1:{rasa_port}"
        wait_until_up(f"{rasa_url}/", rasa, timeout, log)
        yield Engine(rasa_url, actions_url, rasa, actions, log_dir)
    finally:
        stop(rasa)
        stop(actions)


if __name__ == "__main__":  # pragma: no cover - manual use
    with running_engine() as engine:
        print(engine.webhook_url, file=sys.stderr)
        input("Press Enter to stop. ")
