"""`python -m bot.web.accounts`: the first admin is created from the shell."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from intake.conftest import Secrets
from intake.helpers import raw_rows
from sqlalchemy import make_url

from bot.intake.settings import PROJECT_ROOT


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.web.accounts", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_create_list_reset_deactivate(tmp_path: Path, test_secrets: Secrets) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    env = {
        **os.environ,
        "PYTHONPATH": str(PROJECT_ROOT),
        "DATABASE_URL": url,
        "INTAKE_API_TOKEN": test_secrets.token,
        "LANS_DATA_KEY": test_secrets.data_key,
        "LANS_BLIND_INDEX_KEY": test_secrets.index_key,
        "LANS_ACCOUNT_PASSWORD": "eerste-beheerder-ww",
    }
    created = _run(["create", "--username", "Anna.Beheer", "--admin"], env)
    assert created.returncode == 0, created.stderr
    assert "anna.beheer (admin)" in created.stdout
    assert "eerste-beheerder-ww" not in created.stdout + created.stderr
    again = _run(["create", "--username", "anna.beheer"], env)
    assert again.returncode == 1 and "bestaat al" in again.stderr
    short = _run(["create", "--username", "bob"], {**env, "LANS_ACCOUNT_PASSWORD": "kort"})
    assert short.returncode == 1 and "minstens 12" in short.stderr
    assert _run(["create", "--username", "bob"], env).returncode == 0
    listed = _run(["list"], env)
    assert listed.stdout.splitlines() == ["anna.beheer\tadmin\tactief", "bob\tstaff\tactief"]
    reset = _run(
        ["reset-password", "--username", "bob"], {**env, "LANS_ACCOUNT_PASSWORD": "n" * 14}
    )
    assert reset.returncode == 0
    assert _run(["deactivate", "--username", "bob"], env).returncode == 0
    assert "bob\tstaff\tgedeactiveerd" in _run(["list"], env).stdout
    assert _run(["deactivate", "--username", "niemand"], env).returncode == 1
    rows = raw_rows(make_url(url), "SELECT username, password_hash FROM staff_users")
    assert all(row["password_hash"].startswith("$argon2id$") for row in rows)
    # Without a password in the environment and no terminal to ask on, it refuses.
    no_password = {k: v for k, v in env.items() if k != "LANS_ACCOUNT_PASSWORD"}
    refused = _run(["create", "--username", "carla"], no_password)
    assert refused.returncode == 1 and "LANS_ACCOUNT_PASSWORD" in refused.stderr
