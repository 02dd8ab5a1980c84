"""Shared request bodies and raw database access for the intake tests."""

from __future__ import annotations

import secrets
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL

TEXT_FIELDS = {
    "child_first_name": 50,
    "child_class": 40,
    "absence_duration": 200,
    "absence_extent": 200,
    "signs": 1000,
    "parent_name": 100,
    "contact_time": 100,
    "consent_version": 20,
}


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "child_first_name": "Sam",
        "child_age": 13,
        "child_class": "2B",
        "absence_duration": "sinds de herfstvakantie",
        "absence_extent": "ongeveer twee dagen per week",
        "signs": "buikpijn op maandagochtend",
        "check_signals": ["physical_complaints", "better_on_weekends"],
        "both_parents_know": "ja",
        "parent_name": "Ria de Vries",
        "phone": "06 12345678",
        "email": "ria@example.nl",
        "contact_preference": "telefoon",
        "contact_time": "doordeweeks na 16:00",
        "consent_version": "2024-1",
        "channel": "test",
    }
    body.update(changes)
    return body


def new_key() -> str:
    return "test-" + secrets.token_hex(8)


def post_referral(
    client: TestClient,
    body: dict[str, Any],
    auth: dict[str, str],
    key: str | None = None,
) -> Response:
    return client.post(
        "/api/v1/referrals", json=body, headers={**auth, "Idempotency-Key": key or new_key()}
    )


def withdraw(
    client: TestClient,
    reference: str,
    contact: str,
    auth: dict[str, str],
    key: str | None = None,
) -> Response:
    headers = dict(auth)
    if key is not None:
        headers["Idempotency-Key"] = key
    return client.post(
        "/api/v1/referrals/withdraw",
        json={"reference": reference, "contact": contact},
        headers=headers,
    )


def raw_rows(url: URL, sql: str, **params: Any) -> list[dict[str, Any]]:
    """Rows exactly as stored, bypassing the models (and so the decryption)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(text(sql), params)]
    finally:
        engine.dispose()
