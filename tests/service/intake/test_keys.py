"""`python -m bot.intake.keys init`: creates secrets once, private, and never prints them."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

from bot.intake.keys import init
from bot.intake.settings import PROJECT_ROOT, Settings


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _env(path: Path) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
    return {name: value for name, value in pairs if not name.startswith("#")}


def test_init_creates_private_secrets_and_prints_none(tmp_path: Path) -> None:
    folder = tmp_path / "var" / "secrets"
    result = subprocess.run(
        [sys.executable, "-m", "bot.intake.keys", "init", "--dir", str(folder)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    data_key = (folder / "data.key").read_text().strip()
    tracker_key = (folder / "tracker.key").read_text().strip()
    env = _env(folder / "local.env")
    assert set(env) == {"INTAKE_API_TOKEN", "LANS_BLIND_INDEX_KEY"}
    Fernet(data_key)  # valid keys, and two different ones
    Fernet(tracker_key)
    assert data_key != tracker_key
    assert all(len(value) >= 32 for value in env.values())
    for secret in (data_key, tracker_key, *env.values()):
        assert secret not in result.stdout + result.stderr
    assert _mode(folder) == 0o700
    for name in ("data.key", "tracker.key", "local.env"):
        assert _mode(folder / name) == 0o600

    settings = Settings(
        _env_file=folder / "local.env", lans_data_key_file=folder / "data.key", lans_data_key=None
    )
    assert settings.api_token() == env["INTAKE_API_TOKEN"]
    settings.data_cipher()


def test_init_is_idempotent_and_completes_a_partial_env(tmp_path: Path) -> None:
    init(tmp_path)
    key_before = (tmp_path / "data.key").read_text()
    tracker_key_before = (tmp_path / "tracker.key").read_text()
    env_before = _env(tmp_path / "local.env")
    assert all(line.startswith("kept") for line in init(tmp_path))
    assert (tmp_path / "data.key").read_text() == key_before
    assert (tmp_path / "tracker.key").read_text() == tracker_key_before
    assert _env(tmp_path / "local.env") == env_before

    (tmp_path / "local.env").write_text(f"INTAKE_API_TOKEN={env_before['INTAKE_API_TOKEN']}")
    (tmp_path / "local.env").chmod(0o644)
    report = init(tmp_path)
    env_after = _env(tmp_path / "local.env")
    assert any("added" in line and "LANS_BLIND_INDEX_KEY" in line for line in report)
    assert env_after["INTAKE_API_TOKEN"] == env_before["INTAKE_API_TOKEN"]
    assert len(env_after["LANS_BLIND_INDEX_KEY"]) >= 32
    assert _mode(tmp_path / "local.env") == 0o600
