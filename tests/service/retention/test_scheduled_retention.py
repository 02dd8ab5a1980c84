"""The retention job inside a running intake service (`python -m bot.intake.serve`, a real
process): it erases an old question on schedule, and a failing run neither stops the service
nor the next run. Also the schedule's loop itself, and the web chat's idle sweep."""

from __future__ import annotations

import asyncio
import secrets
import time
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet
from local_servers import free_port, on_free_ports
from pydantic import ValidationError
from sqlalchemy import func, make_url, select, update

from bot.intake.columns import utcnow
from bot.intake.db import make_engine
from bot.intake.models import AnonymousQuestion, AuditEvent
from bot.intake.process import IntakeService, running_intake
from bot.intake.settings import Settings
from bot.retention import background
from bot.retention.background import background_jobs, first_delay
from bot.retention.settings import RetentionSettings
from bot.web.chat.state import ChatStore

INTERVAL_HOURS = "0.001"  # 3.6 seconds
OLD_QUESTION = "Mijn ouders maken elke avond ruzie, wat kan ik doen?"
YOUNG_QUESTION = "Hoe lang duurt LANS?"


def service_env(folder: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'intake.sqlite3'}",
        "INTAKE_API_TOKEN": secrets.token_urlsafe(24),
        "LANS_DATA_KEY": Fernet.generate_key().decode(),
        "LANS_BLIND_INDEX_KEY": secrets.token_urlsafe(24),
        "LANS_RETENTION_INTERVAL_HOURS": INTERVAL_HOURS,
        "LANS_TRACKER_DATABASE_URL": "",
        **extra,
    }


def ask(service: IntakeService, text: str) -> str:
    token = service.env["INTAKE_API_TOKEN"]
    response = httpx.post(
        f"{service.url}/api/v1/questions",
        json={"question": text},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    return response.json()["pickup_code"]


def pick_up(service: IntakeService, code: str) -> int:
    token = service.env["INTAKE_API_TOKEN"]
    response = httpx.post(
        f"{service.url}/api/v1/questions/answer",
        json={"code": code},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return response.status_code


def age_question(database_url: str) -> None:
    """Make the oldest stored question 40 days old, as if the service had run that long."""
    engine = make_engine(make_url(database_url))
    long_ago = utcnow() - timedelta(days=40)
    with engine.begin() as connection:
        oldest = connection.scalar(select(func.min(AnonymousQuestion.id)))
        connection.execute(
            update(AnonymousQuestion)
            .where(AnonymousQuestion.id == oldest)
            .values(created_at=long_ago, expires_at=long_ago + timedelta(days=30))
        )
    engine.dispose()


def count(database_url: str, query) -> int:
    engine = make_engine(make_url(database_url))
    with engine.connect() as connection:
        value = connection.scalar(query)
    engine.dispose()
    return value or 0


def wait_for(predicate, timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


def questions(database_url: str) -> int:
    return count(database_url, select(func.count()).select_from(AnonymousQuestion))


def test_the_scheduled_job_erases_an_old_question(tmp_path: Path) -> None:
    env = service_env(tmp_path)
    with on_free_ports(lambda port: running_intake(port, tmp_path, env)) as service:
        old_code = ask(service, OLD_QUESTION)
        young_code = ask(service, YOUNG_QUESTION)
        age_question(env["DATABASE_URL"])

        wait_for(
            lambda: questions(env["DATABASE_URL"]) == 1, 30, "the old question gone", service.log
        )

        assert pick_up(service, young_code) == 200
        assert pick_up(service, old_code) == 404
        runs = select(func.count()).where(AuditEvent.action == "retention.run")
        assert count(env["DATABASE_URL"], runs) >= 1
        assert service.process is not None and service.process.poll() is None
    log = service.log.read_text()
    assert "retention run" in log and "questions=1" in log
    assert OLD_QUESTION not in log and YOUNG_QUESTION not in log


def test_a_failing_run_does_not_stop_the_service_or_the_next_run(tmp_path: Path) -> None:
    closed = f"postgresql://nobody@127.0.0.1:{free_port()}/rasa"
    env = service_env(tmp_path, LANS_TRACKER_DATABASE_URL=closed)
    failure = "the tracker store failed (OperationalError)"
    with on_free_ports(lambda port: running_intake(port, tmp_path, env)) as service:
        ask(service, OLD_QUESTION)
        age_question(env["DATABASE_URL"])
        wait_for(lambda: service.log.read_text().count(failure) >= 2, 40, "two runs", service.log)

        assert service.process is not None and service.process.poll() is None
        assert httpx.get(f"{service.url}/healthz", timeout=5).json() == {"status": "ok"}
        # The intake database is handled even when the tracker store is not.
        assert questions(env["DATABASE_URL"]) == 0
        ask(service, YOUNG_QUESTION)  # and requests are still served
    assert "Traceback" not in service.log.read_text()


def test_the_loop_survives_a_job_that_raises() -> None:
    calls: list[float] = []

    def job() -> None:
        calls.append(time.monotonic())
        if len(calls) < 3:
            raise RuntimeError("database on fire")

    async def scenario() -> None:
        settings = Settings(_env_file=None)
        retention = RetentionSettings(_env_file=None, lans_retention_interval_hours=0.1 / 3600)
        original = background._delay_after_last_run
        background._delay_after_last_run = lambda _sessions, interval: interval.total_seconds()
        try:
            async with background_jobs(settings, retention, sessions=None, job=job):  # type: ignore[arg-type]
                deadline = time.monotonic() + 10
                while len(calls) < 4 and time.monotonic() < deadline:
                    await asyncio.sleep(0.05)
        finally:
            background._delay_after_last_run = original

    asyncio.run(scenario())
    assert len(calls) >= 4  # two failures, then it went on


def test_the_first_run_counts_from_the_last_recorded_run() -> None:
    now = utcnow()
    day = timedelta(hours=24)
    assert first_delay(None, day, now) == day.total_seconds()
    assert first_delay(now - timedelta(hours=20), day, now) == pytest.approx(4 * 3600)
    assert first_delay(now - timedelta(days=3), day, now) == background.OVERDUE_DELAY_SECONDS
    naive = (now - timedelta(hours=23)).replace(tzinfo=None)  # SQLite's func.max()
    assert first_delay(naive, day, now) == pytest.approx(3600)


def test_idle_web_chat_transcripts_are_swept_without_a_new_request(monkeypatch) -> None:
    store = ChatStore(idle_seconds=0.2)
    store.get_or_create("a" * 43)
    store.get_or_create("b" * 43)
    time.sleep(0.3)
    assert len(store._states) == 2  # without a request, nothing expired them yet

    async def scenario() -> None:
        # The service's background jobs, with the retention run itself turned off.
        monkeypatch.setattr(background, "CHAT_SWEEP_SECONDS", 0.05)
        off = RetentionSettings(_env_file=None, lans_retention_interval_hours=0)
        async with background_jobs(Settings(_env_file=None), off, None, store):  # type: ignore[arg-type]
            deadline = time.monotonic() + 10  # swept within a few 0.05 s rounds, however busy
            while store._states and time.monotonic() < deadline:
                await asyncio.sleep(0.02)

    asyncio.run(scenario())
    assert len(store._states) == 0
    store.get_or_create("c" * 43)
    assert store.sweep() == 0  # a fresh one stays


def test_a_transcript_cannot_be_kept_longer_than_a_day_of_idleness() -> None:
    # LANS_RETENTION_CHAT_DAYS is at least 1: the page's copy never outlives Rasa's.
    assert Settings(_env_file=None, chat_idle_minutes=24 * 60).chat_idle_minutes == 24 * 60
    with pytest.raises(ValidationError):
        Settings(_env_file=None, chat_idle_minutes=24 * 60 + 1)
    with pytest.raises(ValidationError):
        RetentionSettings(_env_file=None, lans_retention_chat_days=0)
