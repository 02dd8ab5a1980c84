"""deploy/systemd: `systemd-analyze verify` accepts every unit (with /opt/lans pointed at this
checkout, so the executables it checks exist)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.engine_process import PROJECT_ROOT

UNITS = PROJECT_ROOT / "deploy" / "systemd"
OURS = [
    "lans-rasa@.service", "lans-actions@.service", "lans-intake@.service",
    "lans-migrate.service", "lans-telegram.service", "lans.target",
]  # fmt: skip


def test_the_units_pass_systemd_analyze_verify(tmp_path: Path):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not found (Debian: part of the systemd package)")
    files = []
    for name in OURS:
        text = (UNITS / name).read_text().replace("/opt/lans", str(PROJECT_ROOT))
        target = tmp_path / name.replace("@.", "@5005.")  # an instance, as systemctl would
        target.write_text(text)
        files.append(str(target))
    done = subprocess.run(
        [analyze, "verify", "--man=no", *files],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "SYSTEMD_LOG_LEVEL": "notice"},
    )
    problems = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 0 and problems == [], problems
