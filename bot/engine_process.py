"""Start the Rasa server and the action server as child processes, and stop them again.

Standard library only, so that both environments can use it: the service environment
(`make run`, the benchmark, HTTP tests) starts the engine environment's `rasa` executable.
"""

from __future__ import annotations

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
        **os.environ,
        **(extra or {}),
        "PYTHONPATH": str(PROJECT_ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        # No usage data or crash reports leave the machine: they could contain user text.
        "RASA_TELEMETRY_ENABLED": "false",
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
) -> Iterator[Engine]:
    """Run both servers on localhost for the duration of the block.

    `env` adds settings for the action server, such as where the intake service is.
    """
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="lans-engine-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = engine_env(env)
    endpoints = log_dir / "endpoints.yml"
    actions_url = f"http://127.0.0.1:{actions_port}"
    endpoints.write_text(f"action_endpoint:\n  url: {actions_url}/webhook\n")
    rasa_exe = str(ENGINE_BIN / "rasa")

    actions = None
    rasa = None
    try:
        if with_actions:
            log = log_dir / "actions.log"
            actions = spawn(
                [rasa_exe, "run", "actions", "--actions", "actions", "--port", str(actions_port)],
                log,
                env,
            )
            wait_until_up(f"{actions_url}/health", actions, timeout, log)
        log = log_dir / "rasa.log"
        args = [
            rasa_exe, "run",
            "--model", str(model),
            "--endpoints", str(endpoints),
            "--credentials", str(PROJECT_ROOT / "credentials.yml"),
            "--interface", "127.0.0.1",
            "--port", str(rasa_port),
        ]  # fmt: skip
        if enable_api:
            args.append("--enable-api")
        rasa = spawn(args, log, env)
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
