"""Conversations as Telegram sends them: updates posted to the bridge's webhook, replies read
from the fake Bot API's record of sendMessage calls.

A message's latency runs from posting its update until the bot's LAST reply to it reached the
fake Bot API (the fake's arrival time). Which reply is the last one: every conversation is first
played once on its own (calibration), waiting after each turn until the chat stays quiet for
`QUIET` seconds; the number of replies each turn got is then the expected count under load (Rasa
answers deterministically: same model, same turns, new users). Under load a turn is done when
its chat has that many new replies; replies beyond the count are reported as `unexpected`.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import httpx

from benchmarks.conversations import CONVERSATIONS
from benchmarks.stack import BOT_USER, WEBHOOK_SECRET, Call, FakeBotApi

QUIET = 0.8  # calibration: the bridge sends one answer's messages within milliseconds
TURN_TIMEOUT = 300.0


@dataclass(frozen=True)
class Press:
    """Press the inline button with this title in the chat's newest keyboard."""

    title: str


Turn = str | Press

# On Telegram a student types who they are (an intent payload is what a button sends).
TYPED = {'/inform_role{"role": "leerling"}': "ik ben een leerling"}

# A parent on Telegram completes a referral (the turns of tests/service/telegram): the intake
# service is hit once per such conversation.
REFERRAL: list[Turn] = [
    "/start",
    Press("Ik ben ouder/verzorger"),
    "ik wil mijn dochter aanmelden voor lans",
    "ja",
    "Sanne",
    "ze is 13",
    "2 havo",
    "sinds de herfstvakantie",
    "een paar dagen per week",
    "buikpijn op maandag en ze slaapt slecht",
    "ja",
    "Fatima de Vries",
    "telefoon",
    "{phone}",
    "ochtend",
    "ja, klopt",
]
REFERRAL_NAME = "referral (parent, Telegram buttons)"
NAMES = ["parent, check", "student", "knowledge questions", "parent, separation", "crisis"]


def conversations() -> list[tuple[str, list[Turn]]]:
    scripts: list[tuple[str, list[Turn]]] = [
        (name, [TYPED.get(text, text) for text in turns])
        for name, turns in zip(NAMES, CONVERSATIONS, strict=True)
    ]
    return [*scripts, (REFERRAL_NAME, REFERRAL)]


# ---------------------------------------------------------------- the fake's record, by chat


class Replies:
    """New sendMessage calls of the fake Bot API, sorted by chat; wakes the waiting turns."""

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.seen = 0
        self.by_chat: dict[int, list[Call]] = defaultdict(list)
        self.events: dict[int, asyncio.Event] = {}

    def poll(self) -> None:
        with self.api.lock:
            new = self.api.calls[self.seen :]
        self.seen += len(new)
        for call in new:
            if call.method == "sendMessage" and call.status == 200:
                chat = int(call.params.get("chat_id") or 0)
                self.by_chat[chat].append(call)
                if chat in self.events:
                    self.events[chat].set()

    async def run(self) -> None:
        while True:
            self.poll()
            await asyncio.sleep(0.005)

    async def _changed(self, chat: int, timeout: float) -> None:
        event = self.events.setdefault(chat, asyncio.Event())
        event.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), timeout)

    async def wait_count(self, chat: int, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.by_chat[chat]) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            await self._changed(chat, min(left, 1.0))
        return True

    async def wait_quiet(self, chat: int, before: int, quiet: float, timeout: float) -> int:
        """Wait for a first new reply, then until none came for `quiet` s: the new count."""
        if not await self.wait_count(chat, before + 1, timeout):
            return 0
        while True:
            last = self.by_chat[chat][-1].at
            await asyncio.sleep(max(0.0, last + quiet - time.monotonic()))
            self.poll()
            if self.by_chat[chat][-1].at == last:
                return len(self.by_chat[chat]) - before

    def button_data(self, chat: int, title: str) -> str | None:
        for call in reversed(self.by_chat[chat]):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict):
                for row in markup.get("inline_keyboard") or []:
                    for button in row:
                        if button.get("text") == title:
                            return button.get("callback_data")
        return None


# ---------------------------------------------------------------- updates as Telegram sends them


_ids = itertools.count(1)
_users = itertools.count(800_000_000 + random.randrange(10_000_000))


def _user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "Bench", "language_code": "nl"}


def _chat(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "type": "private", "first_name": "Bench"}


def message_update(user_id: int, text: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "date": int(time.time()),
        "chat": _chat(user_id),
        "from": _user(user_id),
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {"update_id": next(_ids), "message": message}


def callback_update(user_id: int, data: str) -> dict[str, Any]:
    message = {"message_id": 1, "date": int(time.time()), "chat": _chat(user_id), "from": BOT_USER}
    query = {
        "id": f"bench{next(_ids)}",
        "from": _user(user_id),
        "chat_instance": "bench",
        "data": data,
        "message": {**message, "text": "…"},
    }
    return {"update_id": next(_ids), "callback_query": query}


# ---------------------------------------------------------------- playing conversations


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)  # seconds, turns that got all replies
    errors: int = 0  # turns that got fewer replies than expected in time, or a refused update
    missing_buttons: int = 0
    counts: list[int] = field(default_factory=list)  # replies per turn (calibration)
    user: int = 0


class Player:
    def __init__(self, client: httpx.AsyncClient, webhook_url: str, replies: Replies) -> None:
        self.client = client
        self.webhook_url = webhook_url
        self.replies = replies

    async def _post(self, update: dict[str, Any]) -> bool:
        response = await self.client.post(
            self.webhook_url,
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET},
        )
        return response.status_code == 200

    async def play(self, turns: list[Turn], expected: list[int] | None, phone: str) -> Outcome:
        """One conversation of a new user; `expected` None calibrates (waits for quiet)."""
        user = next(_users)
        outcome = Outcome(user=user)
        for number, turn in enumerate(turns):
            before = len(self.replies.by_chat[user])
            if isinstance(turn, Press):
                data = self.replies.button_data(user, turn.title)
                if data is None:
                    outcome.missing_buttons += 1
                    update = message_update(user, turn.title)
                else:
                    update = callback_update(user, data)
            else:
                update = message_update(user, turn.replace("{phone}", phone))
            started = time.monotonic()
            if not await self._post(update):
                outcome.errors += 1
                continue
            if expected is None:
                count = await self.replies.wait_quiet(user, before, QUIET, TURN_TIMEOUT)
                outcome.counts.append(count)
                if count:
                    outcome.latencies.append(self.replies.by_chat[user][-1].at - started)
                else:
                    outcome.errors += 1
                continue
            target = before + expected[number]
            if await self.replies.wait_count(user, target, TURN_TIMEOUT):
                outcome.latencies.append(self.replies.by_chat[user][target - 1].at - started)
            else:
                outcome.errors += 1
        return outcome


def phone_number(index: int) -> str:
    return f"06-{12_000_000 + index % 88_000_000:08d}"


@dataclass
class LevelRun:
    concurrency: int
    conversations: int
    seconds: float
    latencies: list[float]
    errors: int
    missing_buttons: int
    referrals_completed: int
    unexpected: int  # replies beyond the calibrated counts (should be 0)


async def run_level(
    webhook_url: str,
    replies: Replies,
    scripts: list[tuple[str, list[Turn]]],
    expected: list[list[int]],
    concurrency: int,
    total: int,
) -> LevelRun:
    """`concurrency` users at once, each playing conversations until `total` were played."""
    limits = httpx.Limits(max_connections=concurrency + 10)
    counter = itertools.count()
    outcomes: list[tuple[str, Outcome]] = []
    wanted: dict[int, int] = {}
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        player = Player(client, webhook_url, replies)

        async def worker() -> None:
            while (index := next(counter)) < total:
                name, turns = scripts[index % len(scripts)]
                counts = expected[index % len(scripts)]
                outcome = await player.play(turns, counts, phone_number(index))
                outcomes.append((name, outcome))
                wanted[outcome.user] = sum(counts)

        started = time.monotonic()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        seconds = time.monotonic() - started
    await asyncio.sleep(2 * QUIET)
    replies.poll()
    unexpected = sum(max(0, len(replies.by_chat[u]) - n) for u, n in wanted.items())
    return LevelRun(
        concurrency,
        total,
        seconds,
        [x for _, o in outcomes for x in o.latencies],
        sum(o.errors for _, o in outcomes),
        sum(o.missing_buttons for _, o in outcomes),
        sum(1 for name, o in outcomes if name == REFERRAL_NAME and not o.errors),
        unexpected,
    )


async def calibrate(
    webhook_url: str, replies: Replies, scripts: list[tuple[str, list[Turn]]]
) -> list[Outcome]:
    """Each conversation once, alone: the replies per turn (and unloaded latencies)."""
    async with httpx.AsyncClient(timeout=60) as client:
        player = Player(client, webhook_url, replies)
        return [
            await player.play(turns, None, phone_number(i)) for i, (_, turns) in enumerate(scripts)
        ]
