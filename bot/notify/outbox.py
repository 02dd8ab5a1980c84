"""The notifications' outbox in the intake database (table staff_notifications).

`install` makes every session of a sessionmaker add one row per configured channel for each
new referral or question, in the same transaction (after_flush: the item has its id, and a
rollback takes the row with it), whatever code path created the item (API, web chat).

A worker claims due rows with a lease (claim_token, claimed_until) in one transaction:
`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL, and on SQLite the `BEGIN IMMEDIATE` every
transaction starts with (bot/intake/db.py) makes the select-and-update atomic. So two replicas
never send one row; the row is deleted after the send, or released with a later due_at.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, event, insert, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.columns import utcnow
from bot.intake.models import AnonymousQuestion, Referral, StaffNotification
from bot.notify.texts import Item

LEASE = timedelta(minutes=10)  # far longer than one send may take (SMTP timeout 20 s)
CLAIM_BATCH = 100


def next_digest(moment: datetime, at: Any, zone: Any) -> datetime:
    """The first daily digest time (local `at` in `zone`) after `moment`."""
    local = moment.astimezone(zone)
    candidate = datetime.combine(local.date(), at, tzinfo=zone)
    if candidate <= local:
        candidate = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=zone)
    return candidate.astimezone(moment.tzinfo)


def install(
    sessions: sessionmaker[Session],
    channels: list[str],
    due: Callable[[datetime], datetime],
    digest: bool,
    stored: Callable[[], None] = lambda: None,
) -> None:
    """Add notification rows for new items in every session of `sessions`; `due(created_at)`
    says when each may go; `stored()` is called after a commit that added some."""

    @event.listens_for(sessions, "after_flush")
    def _enqueue(session: Session, _context: Any) -> None:
        rows = []
        for obj in session.new:
            if isinstance(obj, Referral):
                kind, reference = "referral", obj.reference
            elif isinstance(obj, AnonymousQuestion):
                kind, reference = "question", None
            else:
                continue
            created = obj.created_at or utcnow()
            for channel in channels:
                rows.append(
                    {
                        "channel": channel,
                        "kind": kind,
                        "object_id": obj.id,
                        "reference": reference,
                        "created_at": created,
                        "due_at": due(created),
                        "digest": digest,
                        "attempts": 0,
                    }
                )
        if rows:
            session.connection().execute(insert(StaffNotification), rows)
            session.info["notifications_added"] = True

    @event.listens_for(sessions, "after_commit")
    def _committed(session: Session) -> None:
        if session.info.pop("notifications_added", False):
            stored()

    @event.listens_for(sessions, "after_rollback")
    def _rolled_back(session: Session) -> None:
        session.info.pop("notifications_added", None)


@dataclass(frozen=True)
class Claimed:
    id: int
    channel: str
    digest: bool
    attempts: int
    created_at: datetime
    item: Item


def claim(
    sessions: sessionmaker[Session], token: str, now: datetime | None = None
) -> list[Claimed]:
    """Lease the due rows nobody holds (or whose lease ran out) to `token`."""
    now = now or utcnow()
    with sessions.begin() as session:
        rows = session.scalars(
            select(StaffNotification)
            .where(
                StaffNotification.due_at <= now,
                or_(
                    StaffNotification.claimed_until.is_(None),
                    StaffNotification.claimed_until < now,
                ),
            )
            .order_by(StaffNotification.id)
            .limit(CLAIM_BATCH)
            .with_for_update(skip_locked=True)
        ).all()
        if not rows:
            return []
        ids = [row.id for row in rows]
        session.execute(
            update(StaffNotification)
            .where(StaffNotification.id.in_(ids))
            .values(claim_token=token, claimed_until=now + LEASE)
        )
        return [
            Claimed(
                id=row.id,
                channel=row.channel,
                digest=row.digest,
                attempts=row.attempts,
                created_at=row.created_at,
                item=Item(row.kind, row.object_id, row.reference, row.created_at),
            )
            for row in rows
        ]


def new_token() -> str:
    return secrets.token_hex(16)


def done(sessions: sessionmaker[Session], ids: list[int], token: str) -> None:
    """Sent (or given up): the rows go."""
    with sessions.begin() as session:
        session.execute(
            delete(StaffNotification).where(
                StaffNotification.id.in_(ids), StaffNotification.claim_token == token
            )
        )


def release(
    sessions: sessionmaker[Session], ids: list[int], token: str, retry_at: datetime
) -> None:
    """A failed send: free the rows for a later attempt."""
    with sessions.begin() as session:
        session.execute(
            update(StaffNotification)
            .where(StaffNotification.id.in_(ids), StaffNotification.claim_token == token)
            .values(
                attempts=StaffNotification.attempts + 1,
                due_at=retry_at,
                claim_token=None,
                claimed_until=None,
            )
        )


def next_due(sessions: sessionmaker[Session]) -> datetime | None:
    """When the earliest unclaimed row becomes due (None: the outbox is empty)."""
    with sessions() as session:
        return session.scalar(
            select(StaffNotification.due_at)
            .where(StaffNotification.claim_token.is_(None))
            .order_by(StaffNotification.due_at)
            .limit(1)
        )
