"""A fake Telegram Bot API and a fake Rasa, each a FastAPI app served by uvicorn in a thread on
loopback, and a helper that runs the real bridge (`python -m bot.telegram`) against them.

(This folder has no __init__.py on purpose: a package named `telegram` would hide
python-telegram-bot.)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from local_servers import bound_socket

from bot.telegram.bridge import split_text
from bot.web.rasa_rest import RasaUnavailable, parse_messages

PROJECT_ROOT = Path(__file__).resolve().parents[3]
BOT_TOKEN = "123456:TEST-fake-token"
BOT_USER = {
    "id": 123456,
    "is_bot": True,
    "first_name": "LANS-assistent",
    "username": "lans_test_bot",
    "can_join_groups": False,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}


class ThreadServer:
    """uvicorn in a daemon thread, for the duration of a `with` block, on a socket bound here
    (no other process can take its port before uvicorn listens)."""

    def __init__(self, app: FastAPI) -> None:
        self.socket = bound_socket()
        self.port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.socket]}, daemon=True
        )

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "fake server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200  # what the fake answered: 200, or the failure it was told to give


@dataclass
class User:
    """A Telegram user; these values must never reach Rasa, the database or a log."""

    id: int = 731_940_285
    first_name: str = "Gertrudis"
    last_name: str = "Vlamingkx"
    username: str = "ouder_gertrudis_tg"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "is_bot": False,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": "nl",
        }

    def chat(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": "private",
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
        }


@dataclass
class FakeBotApi:
    """Records every call; serves queued updates; can fail a method with 429, 403 or 5xx."""

    calls: list[Call] = field(default_factory=list)
    updates: list[dict[str, Any]] = field(default_factory=list)
    failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _update_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1000))
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    url: str = ""
    # The Rasa the bridge talks to, when it records its answers (FakeRasa, RecordingRasa): then
    # an exchange knows how many messages the reply has instead of waiting for quiet.
    rasa: Any = None

    # ---------- the app ----------

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def method(token: str, method: str, request: Request) -> JSONResponse:
            if token != BOT_TOKEN:
                return JSONResponse(
                    {"ok": False, "error_code": 401, "description": "Unauthorized"}, 401
                )
            params = await self._params(request)
            with self.lock:
                queue = self.failures.get(method)
                failure = queue.pop(0) if queue else None
                status = failure[0] if failure else 200
                self.calls.append(Call(method, params, time.monotonic(), status))
            if failure is not None:
                status, body = failure
                return JSONResponse({"ok": False, "error_code": status, **body}, status)
            if method == "getUpdates":
                return JSONResponse({"ok": True, "result": await self._get_updates(params)})
            return JSONResponse({"ok": True, "result": self._result(method, params)})

        return app

    @staticmethod
    async def _params(request: Request) -> dict[str, Any]:
        if request.headers.get("content-type", "").startswith("application/json"):
            raw = await request.json()
        else:
            raw = dict(await request.form())
        params: dict[str, Any] = {}
        for key, value in raw.items():
            if isinstance(value, str) and value[:1] in "{[":
                with contextlib.suppress(ValueError):
                    value = json.loads(value)
            params[key] = value
        return params

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 0.5)
        while True:
            with self.lock:
                ready = [u for u in self.updates if u["update_id"] >= offset]
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.03)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in ("sendMessage", "editMessageReplyMarkup", "editMessageText"):
            chat_id = int(params.get("chat_id") or 0)
            message = {
                "message_id": params.get("message_id") or next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": BOT_USER,
                "text": params.get("text", ""),
            }
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        return True

    # ---------- test helpers ----------

    def fail(self, method: str, status: int, times: int = 1, **body: Any) -> None:
        with self.lock:
            self.failures.setdefault(method, []).extend([(status, body)] * times)

    def fail_server_errors(self, method: str, times: int, status: int = 500) -> None:
        """Answer the next `times` calls of `method` with a 5xx, as Telegram (or a proxy in
        front of it) does during an outage; the message is then not delivered."""
        assert 500 <= status <= 599
        phrase = {500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "Server Error")
        self.fail(method, status, times, description=phrase)

    def delivered(self, method: str = "sendMessage") -> list[Call]:
        """The calls the fake accepted (answered 200): what a user would see."""
        return [c for c in self.calls_to(method) if c.status == 200]

    def _push(self, update: dict[str, Any]) -> int:
        with self.lock:
            update["update_id"] = next(self._update_ids)
            self.updates.append(update)
        return update["update_id"]

    def _message(self, user: User, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": user.chat(),
            "from": user.as_dict(),
            **content,
        }

    def send_text(self, user: User, text: str) -> int:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split()[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return self._push({"message": self._message(user, **content)})

    def send_photo(self, user: User) -> int:
        photo = [{"file_id": "ph1", "file_unique_id": "u1", "width": 90, "height": 90}]
        return self._push({"message": self._message(user, photo=photo)})

    def send_voice(self, user: User) -> int:
        voice = {"file_id": "vo1", "file_unique_id": "u2", "duration": 3}
        return self._push({"message": self._message(user, voice=voice)})

    def send_sticker(self, user: User) -> int:
        sticker = {
            "file_id": "st1",
            "file_unique_id": "u3",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._push({"message": self._message(user, sticker=sticker)})

    def press(self, user: User, callback_data: str, message_id: int = 1) -> str:
        query_id = f"cq{next(self._update_ids)}"
        message = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": user.chat(),
            "from": BOT_USER,
            "text": "…",
        }
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": user.as_dict(),
                    "chat_instance": "ci-1",
                    "data": callback_data,
                    "message": message,
                }
            }
        )
        return query_id

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [c for c in self.calls if c.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [
            c.params.get("text", "")
            for c in self.calls_to("sendMessage")
            if chat_id is None or int(c.params.get("chat_id")) == chat_id
        ]

    def wait_for(
        self, predicate: Callable[[], Any], timeout: float = 30.0, what: str = "condition"
    ) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.05)
        raise AssertionError(f"timed out waiting for {what}; sent: {self.sent_texts()[-5:]}")

    def say(self, user: User, text: str, timeout: float = 60.0) -> list[Call]:
        """Send a text and wait until the bridge has answered it; returns the new messages."""
        return self._exchange(lambda: self.send_text(user, text), timeout)

    def click(self, user: User, title: str, timeout: float = 60.0) -> list[Call]:
        """Press the button titled `title` in the newest keyboard; returns the new messages."""
        data = self.button_data(title)
        return self._exchange(lambda: self.press(user, data), timeout)

    def _exchange(self, act: Callable[[], Any], timeout: float) -> list[Call]:
        before = len(self.calls_to("sendMessage"))
        delivered = len(self.delivered())
        answered = len(self.rasa.answers) if self.rasa is not None else 0
        act()
        self.wait_for(lambda: len(self.calls_to("sendMessage")) > before, timeout, "a reply")
        if self.rasa is not None:
            # Rasa's answer is recorded before the bridge sends its first message, so it is known
            # here whether this reply relays one, and how many messages the bridge makes of it.
            answers = self.rasa.answers[answered:]
            expected = messages_for(answers[-1]) if answers else 1  # else the bridge's own text

            def complete() -> bool:
                new = self.calls_to("sendMessage")[before:]
                # A 403 (the user blocked the bot): the bridge stops sending to this chat.
                blocked = any(c.status == 403 for c in new)
                return blocked or len(self.delivered()) >= delivered + expected

            self.wait_for(complete, timeout, f"a reply of {expected} messages")
            return self.calls_to("sendMessage")[before:]
        # Without a recording Rasa: the bridge sends the messages of one answer right after each
        # other, so wait for quiet.
        settled = len(self.calls_to("sendMessage"))
        while True:
            time.sleep(0.8)
            now = len(self.calls_to("sendMessage"))
            if now == settled:
                break
            settled = now
        return self.calls_to("sendMessage")[before:]

    def keyboards(self) -> list[list[dict[str, Any]]]:
        boards = []
        for call in self.calls_to("sendMessage"):
            markup = call.params.get("reply_markup")
            if isinstance(markup, dict) and markup.get("inline_keyboard"):
                boards.append([b for row in markup["inline_keyboard"] for b in row])
        return boards

    def button_data(self, title: str) -> str:
        for board in reversed(self.keyboards()):
            for button in board:
                if button["text"] == title:
                    return button["callback_data"]
        raise AssertionError(f"no button {title!r} in {self.keyboards()[-1:]}")


def messages_for(answer: Any) -> int:
    """How many Telegram messages the bridge sends for one answer of Rasa (None: no answer)."""
    try:
        messages = parse_messages(answer)
    except RasaUnavailable:
        return 1  # texts.UNREACHABLE
    if not messages:
        return 1  # texts.NO_ANSWER
    return sum(len(split_text(m.text) or ["Kies hieronder:"]) for m in messages)


def text_of(messages: list[Call]) -> str:
    return "\n".join(m.params.get("text", "") for m in messages)


@dataclass
class FakeRasa:
    """Rasa's REST channel, enough for the bridge: records senders and messages."""

    received: list[dict[str, str]] = field(default_factory=list)
    answers: list[Any] = field(default_factory=list)  # what it answered; None when down
    down: bool = False
    # "traag" is answered once a test sets this (or after 30 s): slow on a condition, not a clock.
    release_slow: threading.Event = field(default_factory=threading.Event)

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/rest/webhook")
        async def webhook(request: Request) -> JSONResponse:
            body = await request.json()
            self.received.append(body)
            if body["message"] == "traag":
                deadline = time.monotonic() + 30
                while not self.release_slow.is_set() and time.monotonic() < deadline:
                    await asyncio.sleep(0.02)
            if self.down:
                self.answers.append(None)
                return JSONResponse({"error": "down"}, 503)
            answer = self.answer(body["message"])
            self.answers.append(answer)
            return JSONResponse(answer)

        return app

    @staticmethod
    def answer(message: str) -> list[dict[str, Any]]:
        if message == "/greet":
            return [
                {
                    "text": "Hallo! Ik ben een chatbot. Met wie praat ik?",
                    "buttons": [
                        {
                            "title": "Ik ben ouder/verzorger",
                            "payload": '/inform_role{"role": "ouder"}',
                        },
                        {"title": "Ik ben leerling", "payload": '/inform_role{"role": "leerling"}'},
                        {
                            "title": "Een knop met een heel lange payload",
                            "payload": "/inform" + json.dumps({"x": "y" * 200}),
                        },
                    ],
                }
            ]
        if message == "/restart":
            return []
        if message == "lang":
            paragraph = ("Dit is een lange zin over schoolweigering. " * 20).strip()
            return [{"text": "\n\n".join([paragraph] * 12)}]
        return [{"text": f"echo: {message}"}]


class RecordingRasa:
    """In front of a real Rasa: forwards the REST channel and records each answer, so the fake
    API knows how many messages a reply has (FakeBotApi.rasa)."""

    def __init__(self, rasa_url: str) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.answers: list[Any] = []

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/webhooks/rest/webhook")
        async def webhook(request: Request) -> Response:
            async with httpx.AsyncClient(timeout=300) as client:
                answer = await client.post(
                    f"{self.rasa_url}/webhooks/rest/webhook",
                    content=await request.body(),
                    headers={"Content-Type": "application/json"},
                )
            try:
                self.answers.append(answer.json() if answer.status_code == 200 else None)
            except ValueError:
                self.answers.append(None)
            return Response(answer.content, answer.status_code, media_type="application/json")

        return app


@dataclass
class Bridge:
    process: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_bridge(api: FakeBotApi, rasa_url: str, log: Path, **extra: str) -> Iterator[Bridge]:
    """`python -m bot.telegram` against the fake API; waits until it polls (or set its webhook)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("TELEGRAM_") and key != "RASA_URL"
    }
    env.update(
        {
            "PYTHONPATH": str(PROJECT_ROOT),
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "TELEGRAM_SENDER_SECRET": "test-sender-secret-0123456789",
            "TELEGRAM_BASE_URL": f"{api.url}/bot",
            "RASA_URL": rasa_url,
            "TELEGRAM_RASA_ATTEMPTS": "2",
            **extra,
        }
    )
    handle = log.open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.telegram"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    bridge = Bridge(process, log)
    ready = "setWebhook" if extra.get("TELEGRAM_MODE") == "webhook" else "getUpdates"
    try:
        deadline = time.monotonic() + 60
        while not api.calls_to(ready):
            if process.poll() is not None:
                raise AssertionError(f"bridge exited: {bridge.log_text()}")
            assert time.monotonic() < deadline, f"bridge did not start: {bridge.log_text()}"
            time.sleep(0.05)
        yield bridge
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        handle.close()
