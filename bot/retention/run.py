"""One retention run over every store: count (dry run) or erase, then record counts only.

Each store is handled on its own, so a tracker store that cannot be reached does not keep old
questions or referrals in the intake database (and the other way round). Failures are reported
by error class only: an error's text could contain data.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.columns import utcnow
from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.models import AuditEvent
from bot.intake.settings import Settings
from bot.retention import intake
from bot.retention.settings import RetentionSettings
from bot.retention.trackers import erase_old_conversations, erase_old_sessions

# Under bot.intake: the service logs that at INFO (serve.py), so each run leaves a line.
log = logging.getLogger("bot.intake.retention")

TRACKER_UNSET = (
    "LANS_TRACKER_DATABASE_URL is unset: Rasa keeps conversations in memory only (they end "
    "with the Rasa server); nothing to erase there"
)
OUTBOX_NOTE = (
    "the action server removes delivered outbox items itself, "
    "LANS_RETENTION_CHAT_DAYS after delivery"
)

IntakeStep = Callable[[Session, intake.Periods, bool], int]
INTAKE_STEPS: tuple[tuple[str, IntakeStep], ...] = (
    ("questions", intake.old_questions),
    ("closed_referrals", intake.closed_referrals),
    ("withdrawn_referrals", intake.withdrawn_referrals),
    ("staff_sessions", intake.ended_staff_sessions),
    ("login_failures", intake.old_login_failures),
)


class Sweepable(Protocol):
    def sweep(self) -> int: ...


class DatabaseFileMissingError(Exception):
    """A SQLite URL names a file that does not exist (a typo would silently erase nothing)."""


def _existing_engine(url: URL) -> Engine:
    """make_engine, but never creating an empty SQLite file where a database should be."""
    if url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file():
        raise DatabaseFileMissingError
    return make_engine(url)


@dataclass
class RetentionReport:
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)  # store -> error class name
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


def _tracker_step(retention: RetentionSettings, now: datetime, report: RetentionReport) -> None:
    try:
        url = retention.tracker_url()
        if url is None:
            report.notes.append(TRACKER_UNSET)
            return
        engine = _existing_engine(url)
        try:
            cutoff = (now - timedelta(days=retention.lans_retention_chat_days)).timestamp()
            counts = erase_old_conversations(
                engine, cutoff, retention.lans_retention_batch_size, report.dry_run
            )
            old_sessions = erase_old_sessions(engine, cutoff, report.dry_run)
        finally:
            engine.dispose()
    except Exception as error:  # reported by class; the other stores still run
        report.failed["tracker store"] = type(error).__name__
        return
    report.counts["conversations"] = counts.conversations
    report.counts["conversation_events"] = counts.events
    report.counts["old_session_events"] = old_sessions


def _intake_step(
    settings: Settings,
    retention: RetentionSettings,
    sessions: sessionmaker[Session] | None,
    now: datetime,
    report: RetentionReport,
) -> None:
    periods = intake.Periods(
        now=now,
        question_days=settings.question_expiry_days,
        closed_referral_days=retention.lans_retention_closed_referral_days,
        staff_idle=timedelta(minutes=settings.staff_idle_minutes),
        login_window=timedelta(minutes=settings.staff_login_window_minutes),
    )
    engine = None
    try:
        if sessions is None:
            engine = _existing_engine(settings.sqlalchemy_url())
            sessions = make_sessionmaker(engine)
        counts: dict[str, int] = {}
        with sessions.begin() as session:
            for name, step in INTAKE_STEPS:
                counts[name] = step(session, periods, report.dry_run)
            report.counts.update(counts)
            if not report.dry_run:
                session.add(
                    AuditEvent(
                        actor="system",
                        action="retention.run",
                        object_type="retention",
                        object_id=None,
                        detail={"counts": dict(report.counts), "failed": sorted(report.failed)},
                    )
                )
    except Exception as error:
        for name, _step in INTAKE_STEPS:
            report.counts.pop(name, None)
        report.failed["intake database"] = type(error).__name__
    finally:
        if engine is not None:
            engine.dispose()


def run_retention(
    settings: Settings,
    retention: RetentionSettings,
    *,
    sessions: sessionmaker[Session] | None = None,
    chat_store: Sweepable | None = None,
    dry_run: bool = False,
    now: datetime | None = None,
) -> RetentionReport:
    """Erase (or with `dry_run` only count) everything past its period, as of `now`."""
    started = time.monotonic()
    now = now or utcnow()
    report = RetentionReport(dry_run=dry_run)
    _tracker_step(retention, now, report)
    if chat_store is not None and not dry_run:
        report.counts["chat_transcripts"] = chat_store.sweep()
    # Last, so the audit event holds the counts of the other stores too.
    _intake_step(settings, retention, sessions, now, report)
    report.notes.append(OUTBOX_NOTE)
    summary = ", ".join(f"{name}={count}" for name, count in report.counts.items())
    log.info(
        "retention run%s in %.1f s: %s",
        " (dry run)" if dry_run else "",
        time.monotonic() - started,
        summary or "nothing counted",
    )
    for store, error in report.failed.items():
        log.error("retention run: the %s failed (%s)", store, error)
    return report
