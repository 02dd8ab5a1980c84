"""Rasa's SQL tracker store, with every event encrypted and forgotten conversations erased.

Rasa's own SQLTrackerStore keeps each event as plain JSON: a referral's answers (names, phone,
e-mail, signs) as slot events and as the user's own words, pickup codes, anonymous questions.
A restart only adds a `Restarted` event; everything before it stays. This store changes three
things and nothing else (table, queries and settings are Rasa's `type: SQL`):

- Each event's `data` is encrypted with Fernet (key: LANS_TRACKER_KEY, in the engine's
  environment only; several keys separated by commas rotate, the first encrypts). The
  `intent_name` and `action_name` columns stay empty: an intent such as a crisis intent says
  something about a person too. Only `type_name` and `timestamp` are readable, which Rasa
  needs to find the latest session and the retention job needs to erase old events.
- A `Restarted` event erases the conversation: every stored event of that sender is deleted
  and only what follows the restart is kept. /stop in Telegram, "Nieuw gesprek" in the web
  chat, a withdrawal and "vergeet dit gesprek" all end in a restart. What Rasa then reads back
  is exactly what it would use after a restart anyway (its `applied_events`).
- Pooled connections are tested before use (pool_pre_ping): without it, the first turn after
  a database restart got the answer of a new conversation and was not stored
  (tests/service/production/test_faults.py).

Rows written by Rasa's plain store before this one (JSON text) are still read, and are
encrypted in place when a store starts, so an upgrade keeps running conversations.

Configured in endpoints.yml (SQLite, `make run`) and deploy/endpoints.production.yml
(PostgreSQL) as `type: bot.engine.tracker_store.EncryptedSQLTrackerStore`. A missing or bad key
stops Rasa with a clear error; it never falls back to storing plain text.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.events import Event, Restarted
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)

KEY_ENV = "LANS_TRACKER_KEY"
PLAIN_BATCH = 500


class TrackerKeyError(RuntimeError):
    """LANS_TRACKER_KEY is missing or not a Fernet key."""


def cipher_from_env(environ: dict[str, str] | None = None) -> MultiFernet:
    raw = (environ if environ is not None else os.environ).get(KEY_ENV, "")
    keys = [key.strip() for key in raw.split(",") if key.strip()]
    if not keys:
        raise TrackerKeyError(
            f"{KEY_ENV} is not set: the tracker store will not keep conversations unencrypted"
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise TrackerKeyError(f"{KEY_ENV} is not a Fernet key: {error}") from None


def last_restart(events: Iterable[Event]) -> int | None:
    """Index of the newest Restarted event, or None."""
    found = None
    for index, event in enumerate(events):
        if isinstance(event, Restarted):
            found = index
    return found


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """SQLTrackerStore that encrypts event data and erases a conversation on restart."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.cipher = cipher_from_env()
        super().__init__(*args, **kwargs)
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)
        self.encrypt_plain_rows()

    def encode(self, data: dict[str, Any]) -> str:
        return self.cipher.encrypt(json.dumps(data).encode("utf-8")).decode("ascii")

    def decode(self, stored: str) -> dict[str, Any]:
        if stored.startswith("{"):  # written by Rasa's plain store before the upgrade
            return json.loads(stored)
        try:
            return json.loads(self.cipher.decrypt(stored.encode("ascii")))
        except InvalidToken:
            # Never the data itself in the message: it is what must not leak.
            raise TrackerKeyError(f"an event cannot be decrypted with {KEY_ENV}") from None

    def encrypt_plain_rows(self) -> int:
        """Encrypt rows that an older, plain store wrote; returns how many."""
        table = self.SQLEvent.__table__
        done = 0
        while True:
            with self.engine.begin() as connection:
                rows = connection.execute(
                    sa.select(table.c.id, table.c.data)
                    .where(table.c.data.like("{%"))
                    .limit(PLAIN_BATCH)
                ).all()
                for row_id, data in rows:
                    # `data = old` keeps a row another replica encrypted meanwhile as it is.
                    connection.execute(
                        sa.update(table)
                        .where(table.c.id == row_id, table.c.data == data)
                        .values(
                            data=self.encode(json.loads(data)), intent_name=None, action_name=None
                        )
                    )
            done += len(rows)
            if len(rows) < PLAIN_BATCH:
                break
        if done:
            log.info("Encrypted %d tracker events written before encryption", done)
        return done

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            rows = self._event_query(
                session, sender_id, fetch_events_from_all_sessions=fetch_events_from_all_sessions
            ).all()
            events = [self.decode(row.data) for row in rows]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        events = list(tracker.events)
        restart = last_restart(events)
        with self.session_scope() as session:
            if restart is None:
                new = list(self._additional_events(session, tracker))
            else:
                # Forget: the whole conversation goes, only what follows the restart stays.
                # Repeated saves in the same turn store the same tail again.
                session.query(self.SQLEvent).filter(
                    self.SQLEvent.sender_id == tracker.sender_id
                ).delete(synchronize_session=False)
                new = events[restart + 1 :]
            for event in new:
                data = event.as_dict()
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        data=self.encode(data),
                    )
                )
            session.commit()
