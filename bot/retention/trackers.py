"""Erase whole Rasa conversations from the SQL tracker store once their last event is old.

Rasa's SQLTrackerStore keeps one row per event in `events` (sender_id, timestamp as a float
epoch, ...). A conversation goes only as a whole: a sender's events are deleted when even its
newest event is older than the cutoff, and the delete re-checks that in the same statement, so
a parent who comes back while the job runs keeps the conversation. Only the columns used here
are declared; the table belongs to Rasa.
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
from sqlalchemy.sql import Select

EVENTS = Table(
    "events",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255)),
    Column("timestamp", Float),
)


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
