"""Logging in and posting forms the way a browser does (CSRF token from the page)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response

from bot.intake.models import StaffRole
from bot.intake.settings import PROJECT_ROOT
from bot.web.auth import create_account

CHROMIUM = Path("/usr/bin/chromium")
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Debian's chromium is not installed at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run does this)",
)

ADMIN = ("beheerder", "beheer-wachtwoord-1")
STAFF = ("medewerker", "medewerker-wachtwoord-1")

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_accounts(client: TestClient) -> None:
    sessions = client.app.state.sessions
    with sessions.begin() as session:
        create_account(session, ADMIN[0], ADMIN[1], StaffRole.ADMIN, "test")
        create_account(session, STAFF[0], STAFF[1], StaffRole.STAFF, "test")


def csrf_token(client: TestClient, page: str = "/staff/login") -> str:
    response = client.get(page)
    assert response.status_code == 200, response.text
    match = _TOKEN.search(response.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def login(client: TestClient, account: tuple[str, str] = STAFF) -> Response:
    token = csrf_token(client)
    return client.post(
        "/staff/login",
        data={"username": account[0], "password": account[1], "csrf_token": token},
        follow_redirects=False,
    )


def post_form(
    client: TestClient, path: str, data: dict[str, Any], page: str = "/staff/"
) -> Response:
    token = csrf_token(client, page)
    return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)


def create_staff_account(
    env: dict[str, str], username: str, password: str, *, admin: bool = False
) -> None:
    """The account CLI as an administrator runs it, against the database in `env`."""
    created = subprocess.run(
        [sys.executable, "-m", "bot.web.accounts", "create", "--username", username,
         *(["--admin"] if admin else [])],
        cwd=PROJECT_ROOT,
        env={**os.environ, **env, "PYTHONPATH": str(PROJECT_ROOT),
             "LANS_ACCOUNT_PASSWORD": password},
        capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr


def dashboard_env(folder: Path, secrets: Any, **settings: str) -> dict[str, str]:
    """The environment of an intake service with the dashboard on SQLite in `folder`."""
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'dashboard.sqlite3'}",
        "INTAKE_API_TOKEN": secrets.token,
        "LANS_DATA_KEY": secrets.data_key,
        "LANS_BLIND_INDEX_KEY": secrets.index_key,
        **settings,
    }
