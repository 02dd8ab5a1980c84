"""Run the engine environment's `rasa` command from tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bot.engine_process import engine_env

ROOT = Path(__file__).resolve().parents[2]


def rasa(*args: str, timeout: int = 900) -> subprocess.CompletedProcess:
    env = engine_env()
    executable = Path(sys.executable).parent / "rasa"
    return subprocess.run(
        [str(executable), *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
