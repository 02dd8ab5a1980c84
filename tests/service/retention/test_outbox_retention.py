"""The action server's outbox (engine environment): a delivered referral keeps no personal data,
and its receipt (key and reference) goes once it is older than LANS_RETENTION_CHAT_DAYS; items
still waiting for delivery are never purged."""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import engine_side


def test_old_delivery_receipts_are_purged_by_the_worker(tmp_path: Path) -> None:
    left = json.loads(engine_side("outbox", str(tmp_path / "a.sqlite3")))
    assert left == {"new-delivered": "delivered", "pending": "pending"}


def test_a_longer_chat_period_keeps_the_receipt_longer(tmp_path: Path) -> None:
    out = engine_side("outbox", str(tmp_path / "b.sqlite3"), env={"LANS_RETENTION_CHAT_DAYS": "60"})
    assert json.loads(out) == {
        "new-delivered": "delivered",
        "old-delivered": "delivered",
        "pending": "pending",
    }
