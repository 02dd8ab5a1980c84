"""Simultaneous submissions: one referral per idempotency key, no "database is locked"."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient
from sqlalchemy import URL

from bot.intake.crypto import install_cipher
from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.schemas import ReferralIn
from bot.intake.service import submit_referral
from bot.intake.settings import Settings

from .helpers import raw_rows, valid_body

THREADS = 6


def _submit_all(settings: Settings, keys: list[str]) -> list:
    install_cipher(settings.data_cipher())
    engine = make_engine(settings.sqlalchemy_url())
    sessions = make_sessionmaker(engine)
    data = ReferralIn.model_validate(valid_body())
    blind_index_key = settings.blind_index_key()
    # Every thread waits here until all are ready, so the submissions really overlap (without
    # it the pool may run them one after the other and the test proves nothing).
    start = threading.Barrier(len(keys), timeout=30)

    def submit(key: str):
        start.wait()
        return submit_referral(sessions, data, key, blind_index_key)

    try:
        with ThreadPoolExecutor(len(keys)) as pool:
            return list(pool.map(submit, keys))
    finally:
        engine.dispose()


def test_same_key_at_the_same_time_creates_one_referral(
    settings: Settings, database_url: URL
) -> None:
    outcomes = _submit_all(settings, ["same-key-123"] * THREADS)
    assert sum(outcome.created for outcome in outcomes) == 1
    assert len({outcome.referral.reference for outcome in outcomes}) == 1
    assert raw_rows(database_url, "SELECT COUNT(*) AS n FROM referrals")[0]["n"] == 1


def test_different_keys_at_the_same_time_all_succeed(settings: Settings, database_url: URL) -> None:
    outcomes = _submit_all(settings, [f"key-number-{i}" for i in range(THREADS)])
    assert all(outcome.created for outcome in outcomes)
    assert raw_rows(database_url, "SELECT COUNT(*) AS n FROM referrals")[0]["n"] == THREADS


def test_health_is_503_without_the_schema(settings: Settings, tmp_path) -> None:
    from bot.intake.api import create_app

    unmigrated = settings.model_copy(
        update={"database_url": f"sqlite:///{tmp_path / 'empty.sqlite3'}"}
    )
    with TestClient(create_app(unmigrated)) as client:
        response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable"})
