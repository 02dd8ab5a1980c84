"""The intake service's background jobs: the retention run every LANS_RETENTION_INTERVAL_HOURS
and a sweep of idle web chat transcripts every minute.

A run works in a thread, so requests are never blocked; a failing run is logged by error class
and the next one comes at the usual time. The schedule counts from the last run recorded in
the audit log, so frequent restarts (deploys) do not postpone it forever.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.intake.columns import utcnow
from bot.intake.models import AuditEvent
from bot.intake.settings import Settings
from bot.retention.run import Sweepable, run_retention
from bot.retention.settings import RetentionSettings

# Under bot.intake: the service logs that at INFO (serve.py), so each run leaves a line.
log = logging.getLogger("bot.intake.retention")

CHAT_SWEEP_SECONDS = 60.0
OVERDUE_DELAY_SECONDS = 60.0  # a run that is overdue at start waits this long (or the interval)


def last_run(sessions: sessionmaker[Session]) -> datetime | None:
    with sessions() as session:
        return session.scalar(
            select(func.max(AuditEvent.at)).where(AuditEvent.action == "retention.run")
        )


def first_delay(previous: datetime | None, interval: timedelta, now: datetime) -> float:
    """Seconds until the first run: one interval after the last run, or after start."""
    if previous is None:
        return interval.total_seconds()
    if previous.tzinfo is None:  # SQLite gives func.max() back as naive UTC
        previous = previous.replace(tzinfo=now.tzinfo)
    soonest = min(OVERDUE_DELAY_SECONDS, interval.total_seconds())
    return max(soonest, (previous + interval - now).total_seconds())


async def _every(
    interval: timedelta, job: Callable[[], object], delay: Callable[[], float]
) -> None:
    wait = await asyncio.to_thread(delay)
    while True:
        await asyncio.sleep(wait)
        try:
            await asyncio.to_thread(job)
        except Exception as error:  # the service must outlive any run
            log.error("retention run failed: %s", type(error).__name__)
        wait = interval.total_seconds()


async def _sweep(store: Sweepable) -> None:
    while True:
        await asyncio.sleep(CHAT_SWEEP_SECONDS)
        try:
            store.sweep()
        except Exception as error:
            log.error("web chat sweep failed: %s", type(error).__name__)


def _delay_after_last_run(sessions: sessionmaker[Session], interval: timedelta) -> float:
    try:
        previous = last_run(sessions)
    except Exception as error:  # database not ready: count from now
        log.warning("retention: last run unknown (%s)", type(error).__name__)
        previous = None
    return first_delay(previous, interval, utcnow())


@asynccontextmanager
async def background_jobs(
    settings: Settings,
    retention: RetentionSettings,
    sessions: sessionmaker[Session],
    chat_store: Sweepable | None = None,
    job: Callable[[], object] | None = None,
) -> AsyncIterator[None]:
    """Run the jobs while the `async with` block runs (the app's lifespan)."""
    tasks: list[asyncio.Task] = []
    hours = retention.lans_retention_interval_hours
    if hours > 0:
        interval = timedelta(hours=hours)
        job = job or (
            lambda: run_retention(settings, retention, sessions=sessions, chat_store=chat_store)
        )
        delay = lambda: _delay_after_last_run(sessions, interval)  # noqa: E731
        tasks.append(asyncio.create_task(_every(interval, job, delay), name="retention"))
        log.info("retention runs every %g hours", hours)
    else:
        log.info("scheduled retention is off (LANS_RETENTION_INTERVAL_HOURS=0)")
    if chat_store is not None:
        tasks.append(asyncio.create_task(_sweep(chat_store), name="web-chat-sweep"))
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
