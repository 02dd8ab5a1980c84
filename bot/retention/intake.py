"""Erase what the intake database no longer needs: old questions, closed and withdrawn
referrals (with their notes and status history), ended staff logins and old failed logins.

Rows are deleted with bulk statements, so nothing is decrypted and no data key is needed.
Audit events stay: they name a referral by its random reference only, never personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, delete, func, or_, select
from sqlalchemy.orm import Session

from bot.intake.models import (
    AnonymousQuestion,
    LoginFailure,
    Referral,
    ReferralNote,
    ReferralStatus,
    ReferralStatusChange,
    StaffSession,
)

CLOSED = (ReferralStatus.COMPLETED, ReferralStatus.REFERRED_ELSEWHERE)
ID_BATCH = 500  # referral ids per IN (...) list


@dataclass(frozen=True)
class Periods:
    """What counts as old, as absolute cutoffs computed once per run."""

    now: datetime
    question_days: int
    closed_referral_days: int
    staff_idle: timedelta
    login_window: timedelta

    @property
    def question_cutoff(self) -> datetime:
        return self.now - timedelta(days=self.question_days)

    @property
    def closed_referral_cutoff(self) -> datetime:
        return self.now - timedelta(days=self.closed_referral_days)


def _count_or_delete(session: Session, model: type, condition: ColumnElement, dry_run: bool) -> int:
    if dry_run:
        return session.scalar(select(func.count()).select_from(model).where(condition)) or 0
    return session.execute(delete(model).where(condition)).rowcount or 0


def old_questions(session: Session, periods: Periods, dry_run: bool) -> int:
    """Past the expiry date the student was shown, or older than the period (if it was cut)."""
    condition = or_(
        AnonymousQuestion.expires_at <= periods.now,
        AnonymousQuestion.created_at <= periods.question_cutoff,
    )
    return _count_or_delete(session, AnonymousQuestion, condition, dry_run)


def _closed_referrals(cutoff: datetime) -> Select:
    """Afgerond or doorverwezen, with the last status change (else the last update) before."""
    last_change = (
        select(
            ReferralStatusChange.referral_id.label("referral_id"),
            func.max(ReferralStatusChange.at).label("at"),
        )
        .group_by(ReferralStatusChange.referral_id)
        .subquery()
    )
    last = func.coalesce(last_change.c.at, Referral.updated_at)
    return (
        select(Referral.id)
        .outerjoin(last_change, last_change.c.referral_id == Referral.id)
        .where(Referral.status.in_(CLOSED), last <= cutoff)
    )


def _withdrawn_referrals() -> Select:
    """Consent withdrawn: the purpose has ended (personal fields were erased at withdrawal)."""
    return select(Referral.id).where(Referral.status == ReferralStatus.WITHDRAWN)


def _erase_referrals(session: Session, query: Select, dry_run: bool) -> int:
    ids = session.scalars(query).all()
    if dry_run:
        return len(ids)
    for start in range(0, len(ids), ID_BATCH):
        batch = ids[start : start + ID_BATCH]
        session.execute(delete(ReferralNote).where(ReferralNote.referral_id.in_(batch)))
        session.execute(
            delete(ReferralStatusChange).where(ReferralStatusChange.referral_id.in_(batch))
        )
        session.execute(delete(Referral).where(Referral.id.in_(batch)))
    return len(ids)


def closed_referrals(session: Session, periods: Periods, dry_run: bool) -> int:
    return _erase_referrals(session, _closed_referrals(periods.closed_referral_cutoff), dry_run)


def withdrawn_referrals(session: Session, periods: Periods, dry_run: bool) -> int:
    return _erase_referrals(session, _withdrawn_referrals(), dry_run)


def ended_staff_sessions(session: Session, periods: Periods, dry_run: bool) -> int:
    """Logins past their end or idle too long (the dashboard only cleans up on its next login)."""
    condition = or_(
        StaffSession.expires_at <= periods.now,
        StaffSession.last_seen_at <= periods.now - periods.staff_idle,
    )
    return _count_or_delete(session, StaffSession, condition, dry_run)


def old_login_failures(session: Session, periods: Periods, dry_run: bool) -> int:
    """Failed logins that no longer count towards a lock."""
    condition = LoginFailure.at <= periods.now - periods.login_window
    return _count_or_delete(session, LoginFailure, condition, dry_run)
