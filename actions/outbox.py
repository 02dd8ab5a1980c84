"""A durable outbox for referrals: nothing a parent confirmed is lost when the intake service is
down or slow.

The submit action first writes the referral here (encrypted, in a SQLite file next to the action
server), then tries to deliver it. What cannot be delivered now is retried by a background
worker with exponential backoff; the schedule is stored with each item, so retries survive a
restart of the action server. Every attempt sends the same idempotency key, so the intake
service creates the referral exactly once however often it is sent. Once delivered, the
personal data are removed from the outbox; the receipt (key and reference) goes too, once it is
older than conversations are kept (LANS_RETENTION_CHAT_DAYS, see bot/retention).
"""

from __future__ import annotations

import json
import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from cryptography.fernet import Fernet

from actions.intake_client import IntakeRejected, IntakeUnavailable
from bot.retention.defaults import chat_days_from_env

log = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 2.0
MAX_RETRY_SECONDS = 300.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT PRIMARY KEY,
    reference TEXT NOT NULL,
    payload BLOB,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending',  -- pending, delivered, rejected
    created_at REAL NOT NULL,
    done_at REAL
)
"""


@dataclass(frozen=True)
class Item:
    key: str
    reference: str
    payload: dict
    attempts: int


def backoff(attempts: int, uniform: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after `attempts` failures: 2, 4, 8 ... capped at 5 minutes, with jitter
    so that many action servers do not retry in step (tests pass their own `uniform`)."""
    base = min(MAX_RETRY_SECONDS, FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1))
    return base * uniform(0.8, 1.2)


class Outbox:
    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self._fernet = Fernet(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
        os.chmod(path, 0o600)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def add(self, key: str, reference: str, payload: dict) -> None:
        """Store a referral; adding the same key twice keeps the first (idempotent)."""
        blob = self._fernet.encrypt(json.dumps(payload).encode())
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO outbox (key, reference, payload, next_attempt_at, "
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (key, reference, blob, time.time(), time.time()),
            )

    def get(self, key: str) -> Item | None:
        with self._connect() as db:
            row = db.execute(
                "SELECT key, reference, payload, attempts FROM outbox "
                "WHERE key = ? AND state = 'pending'",
                (key,),
            ).fetchone()
        return self._item(row) if row else None

    def due(self, now: float | None = None) -> list[Item]:
        with self._connect() as db:
            rows = db.execute(
                "SELECT key, reference, payload, attempts FROM outbox "
                "WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY created_at",
                (time.time() if now is None else now,),
            ).fetchall()
        return [self._item(row) for row in rows]

    def next_due_in(self) -> float | None:
        with self._connect() as db:
            (when,) = db.execute(
                "SELECT MIN(next_attempt_at) FROM outbox WHERE state = 'pending'"
            ).fetchone()
        return None if when is None else max(0.0, when - time.time())

    def state(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT state FROM outbox WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def mark_delivered(self, key: str) -> None:
        self._finish(key, "delivered")

    def mark_rejected(self, key: str) -> None:
        self._finish(key, "rejected")

    def mark_failed(self, key: str) -> None:
        with self._connect() as db:
            (attempts,) = db.execute(
                "UPDATE outbox SET attempts = attempts + 1 WHERE key = ? RETURNING attempts",
                (key,),
            ).fetchone()
            db.execute(
                "UPDATE outbox SET next_attempt_at = ? WHERE key = ?",
                (time.time() + backoff(attempts), key),
            )

    def purge_delivered(self, older_than_seconds: float, now: float | None = None) -> int:
        """Delete receipts of items delivered longer ago than this; returns how many."""
        cutoff = (time.time() if now is None else now) - older_than_seconds
        with self._connect() as db:
            return db.execute(
                "DELETE FROM outbox WHERE state = 'delivered' AND done_at < ?", (cutoff,)
            ).rowcount

    def _finish(self, key: str, state: str) -> None:
        # The personal data leave the outbox; key and reference stay as a receipt.
        with self._connect() as db:
            db.execute(
                "UPDATE outbox SET state = ?, payload = NULL, done_at = ? WHERE key = ?",
                (state, time.time(), key),
            )

    def _item(self, row: tuple) -> Item:
        key, reference, blob, attempts = row
        return Item(key, reference, json.loads(self._fernet.decrypt(blob)), attempts)


Submit = Callable[[str, dict], str]


class Deliverer:
    """Delivers outbox items; a background thread retries what could not be delivered."""

    def __init__(
        self,
        outbox: Outbox,
        submit: Submit,
        idle_seconds: float = 30.0,
        keep_delivered_seconds: float | None = None,
    ) -> None:
        self.outbox = outbox
        self.submit = submit
        self.idle_seconds = idle_seconds
        # A receipt is only needed while the conversation that holds its key can still exist.
        self.keep_delivered_seconds = (
            chat_days_from_env() * 86400
            if keep_delivered_seconds is None
            else keep_delivered_seconds
        )
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def deliver(self, item: Item) -> bool:
        """One attempt; True once the intake service has the referral."""
        with self._lock:  # never two attempts for one item at the same time
            if (state := self.outbox.state(item.key)) != "pending":
                return state == "delivered"
            try:
                self.submit(item.key, item.payload)
            except IntakeUnavailable as error:
                log.warning("Intake service unavailable (%s); referral %s queued for retry",
                            error, item.reference)  # fmt: skip
                self.outbox.mark_failed(item.key)
                self._wake.set()
                return False
            except IntakeRejected as error:
                # Retrying cannot help; staff must look at it (the reference is in the log).
                log.error("Intake service rejected referral %s: %s", item.reference, error)
                self.outbox.mark_rejected(item.key)
                return False
            self.outbox.mark_delivered(item.key)
            log.info("Referral %s delivered to the intake queue", item.reference)
            return True

    def deliver_key(self, key: str) -> bool:
        item = self.outbox.get(key)
        return self.deliver(item) if item else self.outbox.state(key) == "delivered"

    def run_once(self) -> None:
        for item in self.outbox.due():
            self.deliver(item)
        self.outbox.purge_delivered(self.keep_delivered_seconds)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="outbox", daemon=True)
            self._thread.start()

    def _loop(self) -> None:
        while True:
            try:
                self.run_once()
                wait = self.outbox.next_due_in()
            except Exception:  # the worker must outlive any single bad item or DB hiccup
                log.exception("Outbox delivery round failed")
                wait = FIRST_RETRY_SECONDS
            self._wake.wait(self.idle_seconds if wait is None else min(wait, self.idle_seconds))
            self._wake.clear()
