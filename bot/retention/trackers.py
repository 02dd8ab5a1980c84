"""Erase old Rasa conversations, and the old sessions of conversations still going on.

Rasa's SQLTrackerStore keeps one row per event in `events` (sender_id, timestamp as a float
epoch, type_name, ...; bot/engine/tracker_store.py encrypts the rest). Two steps:

- A conversation whose newest event is older than the cutoff goes whole; the delete re-checks
  that in the same statement, so a parent who comes back while the job runs keeps it.
- In the other conversations, events older than the cutoff *and* older than the sender's
  latest session start go. Rasa never reads those again (it loads a conversation from its
  latest `session_started` on, with the same `>=`), so an active Telegram parent, whose
  pseudonym never changes, does not keep last spring's answers. A session ends after an
  hour without messages (domain.yml) and carries over no answers (actions/session.py).

Only the columns used here are declared; the table belongs to Rasa.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    Column,
    Engine,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    inspect,
    select,
)
from sqlalchemy.sql import ColumnElement, Select

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
    Column("type_name", String(255)),
)
SESSION_EVENTS = EVENTS.alias("session_events")
SESSION_STARTED = "session_started"


@dataclass(frozen=True)
class TrackerCounts:
    conversations: int
    events: int


def _stale_senders(cutoff: float) -> Select:
    """Senders whose newest event is older than `cutoff`."""
    return (
        select(EVENTS.c.sender_id)
        .group_by(EVENTS.c.sender_id)
        .having(func.max(EVENTS.c.timestamp) < cutoff)
    )


def _old_session_events(cutoff: float) -> ColumnElement[bool]:
    """Events before `cutoff` and before their own conversation's latest session start."""
    latest_start = (
        select(func.max(SESSION_EVENTS.c.timestamp))
        .where(
            SESSION_EVENTS.c.sender_id == EVENTS.c.sender_id,
            SESSION_EVENTS.c.type_name == SESSION_STARTED,
        )
        .scalar_subquery()
    )
    return (
        (EVENTS.c.timestamp < cutoff)
        & (EVENTS.c.timestamp < latest_start)
        # Whole old conversations are the other step's (counted once in a dry run).
        & EVENTS.c.sender_id.not_in(_stale_senders(cutoff))
    )


def erase_old_sessions(engine: Engine, cutoff: float, dry_run: bool = False) -> int:
    """Events of finished sessions older than `cutoff` in conversations still going on."""
    if not inspect(engine).has_table("events"):
        return 0
    old = _old_session_events(cutoff)
    if dry_run:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(EVENTS).where(old)) or 0
    with engine.begin() as connection:
        return connection.execute(delete(EVENTS).where(old)).rowcount or 0


def erase_old_conversations(
    engine: Engine, cutoff: float, batch_size: int, dry_run: bool = False
) -> TrackerCounts:
    """Conversations whose newest event is before `cutoff` (epoch seconds): count or erase."""
    if not inspect(engine).has_table("events"):
        return TrackerCounts(0, 0)  # Rasa has not created its table yet: nothing stored
    stale = _stale_senders(cutoff)
    if dry_run:
        with engine.connect() as connection:
            senders = select(func.count()).select_from(stale.subquery())
            conversations = connection.scalar(senders) or 0
            events = connection.scalar(select(func.count()).where(EVENTS.c.sender_id.in_(stale)))
        return TrackerCounts(conversations, events or 0)
    conversations = events = 0
    while True:
        with engine.begin() as connection:
            batch = connection.scalars(stale.limit(batch_size)).all()
            if not batch:
                break
            # Re-checked at delete time: a sender with a new event since the select stays whole.
            fresh = select(EVENTS.c.sender_id).where(
                EVENTS.c.sender_id.in_(batch), EVENTS.c.timestamp >= cutoff
            )
            kept = set(connection.scalars(fresh).all())
            result = connection.execute(
                delete(EVENTS).where(
                    EVENTS.c.sender_id.in_(batch), EVENTS.c.sender_id.not_in(fresh)
                )
            )
        conversations += len(set(batch) - kept)
        events += result.rowcount or 0
        if len(batch) < batch_size:
            break
    return TrackerCounts(conversations, events)
