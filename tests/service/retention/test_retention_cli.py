"""`python -m bot.retention` as a real process: counts per kind, --dry-run erases nothing, a bad
database URL gives a clear message and a non-zero exit status, and no data is printed."""

from __future__ import annotations

import os
import subprocess
import sys

from local_servers import free_port
from sqlalchemy import URL
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.columns import utcnow

from .conftest import PROJECT_ROOT, TrackerDatabase
from .seed import CHILD, PHONE, QUESTION, seed


def retention_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("LANS_", "DATABASE_URL", "QUESTION_EXPIRY"))
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.retention", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=PROJECT_ROOT,
        env={**base, "PYTHONPATH": str(PROJECT_ROOT), **env},
    )


def test_the_command_counts_erases_and_prints_no_data(
    database_url: URL, sessions: sessionmaker[Session], tracker_db: TrackerDatabase
) -> None:
    seed(sessions, utcnow())
    tracker_db.write({"tg-old": [40], "web-young": [35, 3]})
    env = {
        "DATABASE_URL": database_url.render_as_string(hide_password=False),
        "LANS_TRACKER_DATABASE_URL": tracker_db.url,
    }

    dry = retention_cli("--dry-run", **env)
    assert dry.returncode == 0, dry.stderr
    assert "dry run: nothing was erased" in dry.stdout
    assert "Rasa conversations, last message over 30 days ago: 1 would be erased (5 events)" in (
        dry.stdout
    )
    assert "conversations still going on, over 30 days old: 5 would be erased" in dry.stdout
    assert "anonymous questions, over 30 days old: 2 would be erased" in dry.stdout
    assert set(tracker_db.read()) == {"tg-old", "web-young"}

    real = retention_cli(**env)
    assert real.returncode == 0, real.stderr
    for line in (
        "Rasa conversations, last message over 30 days ago: 1 erased (5 events)",
        "earlier sessions in conversations still going on, over 30 days old: 5 erased",
        "anonymous questions, over 30 days old: 2 erased",
        "last status change over 90 days ago: 2 erased",
        "withdrawn referrals (ingetrokken): 1 erased",
        "ended staff logins: 2 erased",
        "failed logins that no longer count: 1 erased",
    ):
        assert line in real.stdout
    assert tracker_db.read() == {"web-young": 5}

    again = retention_cli(**env)
    assert "anonymous questions, over 30 days old: 0 erased" in again.stdout
    for output in (dry.stdout + dry.stderr, real.stdout + real.stderr):
        for personal in (CHILD, PHONE, QUESTION, "mijn zoon"):
            assert personal not in output


def test_without_a_tracker_store_it_says_there_is_nothing_to_erase(database_url: URL) -> None:
    result = retention_cli(
        DATABASE_URL=database_url.render_as_string(hide_password=False),
        LANS_TRACKER_DATABASE_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert "LANS_TRACKER_DATABASE_URL is unset" in result.stdout
    assert "in memory only" in result.stdout


def test_a_bad_database_url_fails_with_a_clear_message(database_url: URL) -> None:
    intake = database_url.render_as_string(hide_password=False)
    closed = f"postgresql://nobody:geheim-wachtwoord@127.0.0.1:{free_port()}/rasa"
    unreachable = retention_cli(DATABASE_URL=intake, LANS_TRACKER_DATABASE_URL=closed)
    assert unreachable.returncode == 1
    assert (
        "Error: the tracker store could not be used (OperationalError): "
        "check LANS_TRACKER_DATABASE_URL" in unreachable.stderr
    )
    assert "geheim-wachtwoord" not in unreachable.stdout + unreachable.stderr
    assert "Traceback" not in unreachable.stderr
    # The intake database was still handled.
    assert "anonymous questions" in unreachable.stdout

    for bad in ("sqlite:////nergens/te/vinden/intake.sqlite3", "geen-url"):
        result = retention_cli(DATABASE_URL=bad, LANS_TRACKER_DATABASE_URL="")
        assert result.returncode == 1
        assert "Error: the intake database could not be used" in result.stderr
        assert "check DATABASE_URL" in result.stderr
    assert not os.path.exists("/nergens")

    invalid = retention_cli(DATABASE_URL=intake, LANS_RETENTION_CHAT_DAYS="0")
    assert invalid.returncode == 2
    assert "invalid setting LANS_RETENTION_CHAT_DAYS" in invalid.stderr
