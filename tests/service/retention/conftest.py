"""Retention tests reuse the intake tests' databases (SQLite always, PostgreSQL when installed)
and secrets; the project's tracker store (Rasa's SQLTrackerStore, encrypting) writes and reads
the trackers in the engine environment."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    PostgresServer,
    backend,
    database_url,
    postgres_server,
    postgres_template,
    settings,
    sqlite_template,
    test_secrets,
)
from sqlalchemy.orm import Session, sessionmaker

from bot.engine_process import new_tracker_key
from bot.intake.crypto import install_cipher
from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.settings import Settings

PROJECT_ROOT = Path(__file__).resolve().parents[3]
ENGINE_PYTHON = PROJECT_ROOT / ".venv-engine" / "bin" / "python"
ENGINE_SIDE = Path(__file__).with_name("engine_side.py")
_tracker_numbers = count()
TRACKER_KEY = new_tracker_key()


@pytest.fixture
def sessions(settings: Settings) -> Iterator[sessionmaker[Session]]:  # noqa: F811
    """Sessions on the test's intake database, with its data key installed for seeding."""
    install_cipher(settings.data_cipher())
    engine = make_engine(settings.sqlalchemy_url())
    yield make_sessionmaker(engine)
    engine.dispose()


def engine_side(*args: str, env: dict[str, str] | None = None) -> str:
    """Run engine_side.py with the engine environment's Python (Rasa 3.6); its stdout."""
    if not ENGINE_PYTHON.exists():
        pytest.skip("no engine environment (.venv-engine): run `make setup`")
    result = subprocess.run(
        [str(ENGINE_PYTHON), str(ENGINE_SIDE), *args],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=PROJECT_ROOT,
        env={
            **os.environ,
            "PYTHONPATH": str(PROJECT_ROOT),
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LANS_TRACKER_KEY": TRACKER_KEY,
            **(env or {}),
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""


@dataclass(frozen=True)
class TrackerDatabase:
    """One empty tracker database: how Rasa opens it and the URL the retention gets."""

    rasa_args: dict[str, object]
    url: str

    def write(self, conversations: dict[str, list[float]]) -> None:
        """Save a tracker per sender with Rasa, one exchange at each age (days)."""
        engine_side("write-trackers", json.dumps(self.rasa_args), json.dumps(conversations))

    def read(self) -> dict[str, int]:
        """Sender -> number of events in all sessions, read back through the tracker store."""
        return json.loads(engine_side("read-trackers", json.dumps(self.rasa_args)))


@pytest.fixture
def tracker_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path):  # noqa: F811
    if backend == "sqlite":
        path = tmp_path / "rasa-trackers.db"
        yield TrackerDatabase({"dialect": "sqlite", "db": str(path)}, f"sqlite:///{path}")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    dbname = f"trackers_{os.getpid()}_{next(_tracker_numbers)}"
    with server.janitor(dbname):
        rasa_args = {
            "dialect": "postgresql",
            "host": server.host,
            "port": server.port,
            "db": dbname,
            "username": "postgres",
        }
        url = f"postgresql://postgres@{server.host}:{server.port}/{dbname}"
        yield TrackerDatabase(rasa_args, url)
