"""The worker that sends staff notifications, as a task in the intake service's event loop.

It claims due rows (outbox.claim), sends each (or, in digest mode, one message per channel for
all of them), and deletes what went out. A failed send is tried again at once a few times
(tenacity), then released with a later due_at (tenacity's exponential wait over the row's
stored attempts), so the schedule survives restarts. E-mail goes in a thread: a slow or dead
SMTP server holds up only this worker, never a request or the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy.orm import Session, sessionmaker
from telegram.error import NetworkError
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential_jitter,
)

from bot.intake.columns import utcnow
from bot.notify import outbox, smtp, telegram_group, texts
from bot.notify.settings import NotifySettings

log = logging.getLogger("bot.intake.notify")

ATTEMPTS_PER_ROUND = 2
TRANSIENT = (*smtp.TRANSIENT, NetworkError)  # NetworkError covers TimedOut and RetryAfter


class Notifier:
    """Sends the outbox's notifications for one intake process (one per replica)."""

    def __init__(
        self, settings: NotifySettings, sessions: sessionmaker[Session], channels: list[str]
    ) -> None:
        self.settings = settings
        self.sessions = sessions
        self.channels = channels
        self.zone = settings.zone()
        self.token = outbox.new_token()  # this worker's claims
        self._bot = telegram_group.make_bot(settings) if "telegram" in channels else None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._wake: asyncio.Event | None = None
        self._release_wait = wait_exponential_jitter(
            multiplier=settings.lans_notify_retry_seconds,
            max=settings.lans_notify_retry_max_seconds,
            jitter=settings.lans_notify_retry_seconds / 2,
        )

    @classmethod
    def configure(
        cls, settings: NotifySettings, sessions: sessionmaker[Session]
    ) -> Notifier | None:
        """Store rows for new items from now on; None (and nothing stored) when nothing is
        configured."""
        channels = settings.channels()
        if not channels:
            return None
        notifier = cls(settings, sessions, channels)
        digest = settings.lans_notify_digest == "daily"
        at, zone = settings.lans_notify_digest_time, notifier.zone
        due = partial(outbox.next_digest, at=at, zone=zone) if digest else (lambda created: created)
        outbox.install(sessions, channels, due, digest, stored=notifier.wake)
        return notifier

    def wake(self) -> None:
        """Look at the outbox now (called from request threads after a commit)."""
        if self._loop is not None and self._wake is not None:
            with contextlib.suppress(RuntimeError):  # the loop is closing
                self._loop.call_soon_threadsafe(self._wake.set)

    # ---------- sending ----------

    async def _send(self, channel: str, message: texts.Message) -> None:
        async for attempt in AsyncRetrying(
            stop=stop_after_attempt(ATTEMPTS_PER_ROUND),
            wait=wait_exponential_jitter(multiplier=0.5, max=5),
            retry=retry_if_exception_type(TRANSIENT),
            reraise=True,
        ):
            with attempt:
                if channel == "email":
                    await asyncio.to_thread(smtp.send, self.settings, message)
                else:
                    assert self._bot is not None
                    await telegram_group.send(self._bot, self.settings, message)

    def _retry_at(self, attempts: int, now: datetime) -> datetime:
        state = RetryCallState(retry_object=None, fn=None, args=(), kwargs={})  # type: ignore[arg-type]
        state.attempt_number = attempts + 1
        return now + timedelta(seconds=self._release_wait(state))

    async def _deliver(self, rows: list[outbox.Claimed], message: texts.Message) -> bool:
        ids = [row.id for row in rows]
        channel = rows[0].channel
        what = ", ".join(sorted({row.item.kind for row in rows}))
        try:
            await self._send(channel, message)
        except Exception as error:  # any failure: try again later; the worker lives on
            now = utcnow()
            oldest = min(row.created_at for row in rows)
            if now - oldest > timedelta(hours=self.settings.lans_notify_give_up_hours):
                log.error("notification dropped after retries: %s %s (%s)",
                          channel, what, type(error).__name__)  # fmt: skip
                await asyncio.to_thread(outbox.done, self.sessions, ids, self.token)
                return False
            retry_at = self._retry_at(max(row.attempts for row in rows), now)
            log.warning("notification not sent: %s %s (%s); retried later",
                        channel, what, type(error).__name__)  # fmt: skip
            await asyncio.to_thread(outbox.release, self.sessions, ids, self.token, retry_at)
            return False
        await asyncio.to_thread(outbox.done, self.sessions, ids, self.token)
        log.info("notification sent: %s %s (%d item(s))", channel, what, len(rows))
        return True

    def _link(self, item: texts.Item) -> str:
        if item.kind == "referral":
            return self.settings.dashboard(f"/aanmeldingen/{item.object_id}")
        return self.settings.dashboard(f"/vragen/{item.object_id}")

    async def run_once(self) -> int:
        """Send what is due now; returns how many rows were sent."""
        claimed = await asyncio.to_thread(outbox.claim, self.sessions, self.token)
        sent = 0
        digests: dict[str, list[outbox.Claimed]] = {}
        for row in claimed:
            if row.digest:
                digests.setdefault(row.channel, []).append(row)
                continue
            message = texts.single(row.item, self._link(row.item), self.zone)
            sent += await self._deliver([row], message)
        for rows in digests.values():
            items = [row.item for row in rows]
            message = texts.digest(items, self.settings.dashboard("/?status=nieuw"), self.zone)
            sent += len(rows) if await self._deliver(rows, message) else 0
        return sent

    # ---------- the loop ----------

    async def _wait_seconds(self) -> float:
        poll = self.settings.lans_notify_poll_seconds
        when = await asyncio.to_thread(outbox.next_due, self.sessions)
        if when is None:
            return poll
        if when.tzinfo is None:  # SQLite may give a naive UTC value back
            when = when.replace(tzinfo=utcnow().tzinfo)
        return max(0.05, min(poll, (when - utcnow()).total_seconds()))

    async def run(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._wake = asyncio.Event()
        while True:
            try:
                await self.run_once()
                wait = await self._wait_seconds()
            except Exception as error:  # the database hiccupped: try again after a poll
                log.error("notification round failed: %s", type(error).__name__)
                wait = self.settings.lans_notify_poll_seconds
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)
            self._wake.clear()

    @asynccontextmanager
    async def running(self) -> AsyncIterator[Notifier]:
        """The worker runs while the `async with` block runs (the app's lifespan)."""
        task = asyncio.create_task(self.run(), name="staff-notifications")
        log.info("staff notifications on: %s", ", ".join(self.channels))
        try:
            yield self
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            if self._bot is not None:
                with contextlib.suppress(Exception):
                    await self._bot.shutdown()
