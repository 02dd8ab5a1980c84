"""Column types: encrypted personal data and timezone-aware UTC timestamps.

Encryption sits in the column type so no code path can write a personal field in clear by
forgetting a call; SQLite drops time zones, so the timestamp type puts UTC back on read.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Dialect, Text
from sqlalchemy.types import TypeDecorator

from bot.intake.crypto import current_cipher


class Encrypted(TypeDecorator[Any]):
    """Any JSON-serialisable value, stored as a Fernet token (authenticated encryption).

    None stays NULL, so erased fields are visibly empty rather than an encrypted "nothing".
    """

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        if value is None:
            return None
        plain = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        return current_cipher().encrypt(plain.encode("utf-8")).decode("ascii")

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        return json.loads(current_cipher().decrypt(value.encode("ascii")).decode("utf-8"))


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC in Python, on every backend."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: use datetime.now(UTC)")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utcnow() -> datetime:
    """Now, timezone-aware, for column defaults."""
    return datetime.now(UTC)
