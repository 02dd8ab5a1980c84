"""Intake data of every kind on both sides of each retention boundary, relative to `now`."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot.intake.models import (
    AnonymousQuestion,
    AuditEvent,
    LoginFailure,
    QuestionStatus,
    Referral,
    ReferralNote,
    ReferralStatus,
    ReferralStatusChange,
    StaffRole,
    StaffSession,
    StaffUser,
)
from bot.intake.reference import new_reference

DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
CHILD = "Marijke"
PHONE = "+31612345678"
QUESTION = "Ik durf niet naar school, wat moet ik doen?"

# What a run with the default periods (30 / 90 days, 60 idle minutes, 15-minute window) erases.
EXPECTED = {
    "questions": 2,
    "closed_referrals": 2,
    "withdrawn_referrals": 1,
    "staff_sessions": 2,
    "login_failures": 1,
}


@dataclass
class Seeded:
    erased: dict[str, list[int]] = field(default_factory=dict)
    kept: dict[str, list[int]] = field(default_factory=dict)

    def add(self, kind: str, row_id: int, erase: bool) -> None:
        (self.erased if erase else self.kept).setdefault(kind, []).append(row_id)


def _question(session: Session, created: datetime, expires: datetime) -> int:
    question = AnonymousQuestion(
        pickup_code_hash=secrets.token_hex(32),
        question=QUESTION,
        answer="Praat er eens over met je mentor.",
        status=QuestionStatus.ANSWERED,
        created_at=created,
        answered_at=created + MINUTE,
        answered_by="anne",
        expires_at=expires,
    )
    session.add(question)
    session.flush()
    return question.id


def _referral(
    session: Session, status: ReferralStatus, changes: list[tuple[ReferralStatus, datetime]]
) -> int:
    """A referral with a status history; its last status is `status`."""
    withdrawn = status == ReferralStatus.WITHDRAWN
    created = changes[0][1]
    referral = Referral(
        reference=new_reference(),
        idempotency_key="seed-" + secrets.token_hex(8),
        request_hash=None if withdrawn else secrets.token_hex(32),
        status=status,
        created_at=created,
        updated_at=changes[-1][1],
        channel="test",
        consent_version="2024-1",
        child_first_name=None if withdrawn else CHILD,
        phone=None if withdrawn else PHONE,
    )
    session.add(referral)
    session.flush()
    previous = None
    for to_status, at in changes:
        session.add(
            ReferralStatusChange(
                referral_id=referral.id,
                from_status=previous,
                to_status=to_status,
                at=at,
                by="system" if previous is None else "anne",
                note=None if withdrawn else f"gebeld met de moeder van {CHILD}",
            )
        )
        previous = to_status
    if not withdrawn:
        session.add(ReferralNote(referral_id=referral.id, at=created, author="anne", text=CHILD))
    session.add(
        AuditEvent(
            actor="system",
            action="referral.created",
            object_type="referral",
            object_id=str(referral.id),
            detail={"reference": referral.reference, "channel": "test"},
        )
    )
    return referral.id


def seed(sessions: sessionmaker[Session], now: datetime) -> Seeded:
    s = Seeded()
    new, busy, done, elsewhere = (
        ReferralStatus.NEW,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.REFERRED_ELSEWHERE,
    )
    with sessions.begin() as session:
        # Questions: counted from creation; the expiry date shown to the student also counts.
        s.add("question", _question(session, now - 30 * DAY - MINUTE, now - MINUTE), True)
        s.add("question", _question(session, now - 30 * DAY + MINUTE, now + MINUTE), False)
        s.add("question", _question(session, now - 40 * DAY, now + 10 * DAY), True)

        withdrawn = ReferralStatus.WITHDRAWN
        referrals = [
            # Closed referrals: counted from the last status change, not from creation.
            (done, [(new, now - 200 * DAY), (done, now - 90 * DAY - MINUTE)], True),
            (done, [(new, now - 200 * DAY), (done, now - 90 * DAY + MINUTE)], False),
            (elsewhere, [(new, now - 120 * DAY), (elsewhere, now - 100 * DAY)], True),
            (
                done,
                [(new, now - 300 * DAY), (busy, now - 250 * DAY), (done, now - 10 * DAY)],
                False,
            ),
            # Open referrals are never erased by age; withdrawn ones at the next run.
            (busy, [(new, now - 400 * DAY), (busy, now - 399 * DAY)], False),
            (withdrawn, [(new, now - 2 * DAY), (withdrawn, now - MINUTE)], True),
        ]
        for status, changes, erase in referrals:
            s.add("referral", _referral(session, status, changes), erase)

        user = StaffUser(username="anne", password_hash="x", role=StaffRole.STAFF)
        session.add(user)
        session.flush()
        for last_seen, expires, erase in (
            (now - 2 * MINUTE, now - MINUTE, True),  # past its 8 hours
            (now - 61 * MINUTE, now + 60 * MINUTE, True),  # idle longer than 60 minutes
            (now - MINUTE, now + 60 * MINUTE, False),
        ):
            row = StaffSession(
                token_hash=secrets.token_hex(32),
                user_id=user.id,
                created_at=last_seen,
                last_seen_at=last_seen,
                expires_at=expires,
            )
            session.add(row)
            session.flush()
            s.add("staff_session", row.id, erase)
        for at, erase in ((now - 16 * MINUTE, True), (now - MINUTE, False)):
            failure = LoginFailure(username="anne", at=at)
            session.add(failure)
            session.flush()
            s.add("login_failure", failure.id, erase)
    return s
