"""The servers and programs the service tests need, checked once when a session starts.

Without one of them the tests that need it skip, each with the reason: fine on a laptop. In CI
(CI=true, which .ci/run sets) a skip for a missing server or browser would hide a missing
install step behind a green run, so there the session stops at once and names what is missing.
tests/service/conftest.py imports the hook; .ci/run installs everything listed here.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from shutil import which

import pytest
from local_servers import find_pg_ctl

ROOT = Path(__file__).resolve().parents[2]


def _nginx() -> bool:
    return bool(shutil.which("nginx")) or any(
        os.access(path, os.X_OK) for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx")
    )


# What is missing -> how to get it (Debian), and how to tell it is there.
REQUIRED: dict[str, tuple[str, Callable[[], bool]]] = {
    "PostgreSQL server (pg_ctl)": ("apt-get install postgresql", lambda: find_pg_ctl() is not None),
    "Redis (redis-server)": ("apt-get install redis-server", lambda: bool(which("redis-server"))),
    "nginx": ("apt-get install nginx-light", _nginx),
    "Chromium (/usr/bin/chromium)": ("apt-get install chromium", Path("/usr/bin/chromium").exists),
    "systemd-analyze": ("apt-get install systemd", lambda: bool(which("systemd-analyze"))),
    "the engine environment (.venv-engine)": (
        "make setup",
        (ROOT / ".venv-engine" / "bin" / "python").exists,
    ),
}  # fmt: skip


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def missing_tools() -> list[str]:
    return [f"{name} ({how})" for name, (how, present) in REQUIRED.items() if not present()]


def pytest_sessionstart(session: pytest.Session) -> None:
    if in_ci() and (missing := missing_tools()):
        pytest.exit(
            "CI=true, but the service tests would skip without: " + "; ".join(missing),
            returncode=pytest.ExitCode.USAGE_ERROR,
        )
