"""Run the intake service as a child process (standard library only), for `make run` and tests.

Tests stop and start it again to prove that referrals confirmed while it was down arrive
exactly once.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot.engine_process import PROJECT_ROOT, spawn, stop, wait_until_up


@dataclass
class IntakeService:
    url: str
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = field(default=None)

    def start(self, timeout: float = 60.0) -> None:
        args = [sys.executable, "-m", "bot.intake.serve"]
        self.process = spawn(args, self.log, self.env)
        wait_until_up(f"{self.url}/healthz", self.process, timeout, self.log)

    def stop(self) -> None:
        stop(self.process)
        self.process = None


def throwaway_environment(folder: Path) -> dict[str, str]:
    """Settings for a test or benchmark intake service: SQLite and fresh secrets in `folder`."""
    from cryptography.fernet import Fernet

    return {
        "DATABASE_URL": f"sqlite:///{folder / 'intake.sqlite3'}",
        "INTAKE_API_TOKEN": secrets.token_urlsafe(24),
        "LANS_DATA_KEY": Fernet.generate_key().decode(),
        "LANS_BLIND_INDEX_KEY": secrets.token_urlsafe(24),
        "LANS_OUTBOX_PATH": str(folder / "outbox.sqlite3"),
    }


@contextmanager
def running_intake(
    port: int = 8040, log_dir: Path | None = None, env: dict[str, str] | None = None
) -> Iterator[IntakeService]:
    """The intake service on 127.0.0.1:port; `env` sets DATABASE_URL, secrets and the like."""
    log_dir = Path(log_dir or PROJECT_ROOT / "logs")
    log_dir.mkdir(parents=True, exist_ok=True)
    service_env = {
        **os.environ,
        **(env or {}),
        "PYTHONPATH": str(PROJECT_ROOT),
        "INTAKE_HOST": "127.0.0.1",
        "INTAKE_PORT": str(port),
    }
    service = IntakeService(f"http://127.0.0.1:{port}", service_env, log_dir / "intake.log")
    service.start()
    try:
        yield service
    finally:
        service.stop()
