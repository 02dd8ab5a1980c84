"""Fixtures for the staff notifications: the intake tests' databases (SQLite, and PostgreSQL
when installed), a local SMTP server with STARTTLS and the fake Telegram Bot API."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    auth,
    backend,
    database_url,
    postgres_server,
    postgres_template,
    settings,
    sqlite_template,
    test_secrets,
)
from local_servers import free_port, on_free_ports

from .smtp_server import PASSWORD, USER, Recorder, SmtpServer, self_signed

# The fake Bot API of the Telegram tests (that folder is no package: see tg_fakes.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "telegram"))
from tg_fakes import BOT_TOKEN, FakeBotApi, ThreadServer

from bot.notify.settings import NotifySettings

STAFF_CHAT = "-1001234567890"
STAFF_ADDRESSES = ["lans-team@example.nl", "zorgcoordinator@example.nl"]


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return self_signed(tmp_path_factory.mktemp("smtp-tls"))


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def smtp(certificate: tuple[Path, Path], recorder: Recorder) -> Iterator[SmtpServer]:
    cert, key = certificate
    with on_free_ports(lambda port: SmtpServer(port, cert, key, recorder)) as server:
        yield server


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    with ThreadServer(api.app()) as server:
        api.url = server.url
        yield api


def notify_settings(
    certificate: tuple[Path, Path], smtp_port: int | None, bot_api_url: str | None, **extra
) -> NotifySettings:
    """Both channels (or the ones given), quick polling and retries, no local.env."""
    values: dict = {
        "lans_dashboard_url": "https://lans.example.nl/staff",
        "lans_notify_poll_seconds": 0.1,
        "lans_notify_retry_seconds": 0.2,
        "lans_notify_retry_max_seconds": 0.5,
    }
    if smtp_port is not None:
        values |= {
            "lans_notify_email_to": ", ".join(STAFF_ADDRESSES),
            "lans_smtp_host": "127.0.0.1",
            "lans_smtp_port": smtp_port,
            "lans_smtp_user": USER,
            "lans_smtp_password": PASSWORD,
            "lans_smtp_from": "lans-assistent@example.nl",
            "lans_smtp_ca_file": str(certificate[0]),
            "lans_smtp_timeout_seconds": 5,
        }
    if bot_api_url is not None:
        values |= {
            "lans_notify_telegram_chat_id": STAFF_CHAT,
            "lans_notify_telegram_bot_token": BOT_TOKEN,
            "lans_notify_telegram_base_url": f"{bot_api_url}/bot",
        }
    return NotifySettings(_env_file=None, **(values | extra))


__all__ = ["free_port", "notify_settings"]
