"""Retention in the intake database (SQLite and PostgreSQL): what is past its period goes,
with notes and status history; what is younger, or still open, stays; audit events stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.models import (
    AnonymousQuestion,
    AuditEvent,
    LoginFailure,
    Referral,
    ReferralNote,
    ReferralStatusChange,
    StaffSession,
)
from bot.intake.settings import Settings
from bot.retention.run import run_retention
from bot.retention.settings import RetentionSettings

from .seed import CHILD, EXPECTED, PHONE, QUESTION, seed

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
MODELS = {
    "question": AnonymousQuestion,
    "referral": Referral,
    "staff_session": StaffSession,
    "login_failure": LoginFailure,
}


def retention_settings(**values: object) -> RetentionSettings:
    return RetentionSettings(_env_file=None, lans_tracker_database_url=None, **values)


def ids(session: Session, model: type) -> set[int]:
    return set(session.scalars(select(model.id)).all())


def test_old_items_are_erased_and_young_ones_kept(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    seeded = seed(sessions, NOW)
    report = run_retention(settings, retention_settings(), sessions=sessions, now=NOW)

    assert report.ok, report.failed
    assert {key: report.counts[key] for key in EXPECTED} == EXPECTED
    with sessions() as session:
        for kind, model in MODELS.items():
            left = ids(session, model)
            assert not left & set(seeded.erased[kind]), kind
            assert set(seeded.kept[kind]) <= left, kind
        # A referral goes with its notes and its whole status history.
        erased = seeded.erased["referral"]
        for child in (ReferralNote, ReferralStatusChange):
            orphans = select(func.count()).where(child.referral_id.in_(erased))
            assert session.scalar(orphans) == 0
            kept = select(func.count()).where(child.referral_id.in_(seeded.kept["referral"]))
            assert session.scalar(kept) > 0
        # Audit events stay, and the run adds one with counts only.
        created = select(func.count()).where(AuditEvent.action == "referral.created")
        assert session.scalar(created) == len(erased) + len(seeded.kept["referral"])
        run = session.scalars(select(AuditEvent).where(AuditEvent.action == "retention.run")).one()
        assert run.actor == "system"
        assert run.detail["failed"] == []
        assert all(isinstance(n, int) for n in run.detail["counts"].values())
        assert run.detail["counts"]["questions"] == 2
        every_detail = json.dumps([e.detail for e in session.scalars(select(AuditEvent))])
    for personal in (CHILD, PHONE, QUESTION):
        assert personal not in every_detail

    # A second run finds nothing more: everything left is within its period.
    again = run_retention(settings, retention_settings(), sessions=sessions, now=NOW)
    assert {key: again.counts[key] for key in EXPECTED} == dict.fromkeys(EXPECTED, 0)


def test_a_longer_period_keeps_what_the_default_erases(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    seed(sessions, NOW)
    longer = retention_settings(lans_retention_closed_referral_days=365)
    report = run_retention(settings, longer, sessions=sessions, now=NOW)
    assert report.counts["closed_referrals"] == 0
    assert report.counts["withdrawn_referrals"] == 1  # consent withdrawn: no period applies


def test_dry_run_counts_the_same_and_erases_nothing(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    seed(sessions, NOW)

    def snapshot() -> dict[str, int]:
        with sessions() as session:
            models = [*MODELS.values(), ReferralNote, ReferralStatusChange, AuditEvent]
            return {m.__name__: session.scalar(select(func.count()).select_from(m)) for m in models}

    before = snapshot()
    dry = run_retention(settings, retention_settings(), sessions=sessions, now=NOW, dry_run=True)
    assert dry.ok and dry.dry_run
    assert {key: dry.counts[key] for key in EXPECTED} == EXPECTED
    assert snapshot() == before  # not even an audit event

    real = run_retention(settings, retention_settings(), sessions=sessions, now=NOW)
    assert {key: real.counts[key] for key in EXPECTED} == EXPECTED
    assert snapshot() != before
