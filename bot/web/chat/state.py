"""The web chat's per-session state, in this process's memory only.

A session is a random id in the `lans_chat` cookie. What it holds (the transcript shown on the
page, the buttons Rasa offered last, the pickup code of a question asked in this session) is
forgotten after CHAT_IDLE_MINUTES without a request, or at once with "Nieuw gesprek". The
conversation itself lives in Rasa under a pseudonym (a keyed hash of the session id).
With several service replicas, route a session to one replica (sticky sessions) or the page
shows only the part of the transcript that replica saw.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import datetime

from bot.web.rasa_rest import Button

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_TURNS = 200

# Before the first message: who is typing (the assistant says "je" to students, "u" to parents).
START_BUTTONS = [
    Button("Ik ben leerling", '/inform_role{"role": "leerling"}'),
    Button("Ik ben ouder of verzorger", '/inform_role{"role": "ouder"}'),
]


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def valid_session_id(value: str | None) -> str | None:
    return value if value and SESSION_ID.match(value) else None


def pseudonym(secret: bytes, session_id: str) -> str:
    """Rasa's sender id for a browser session: not reversible without the secret."""
    return "web-" + hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()


@dataclass
class Turn:
    who: str  # "jij" or "bot"
    text: str


@dataclass
class ChatState:
    turns: list[Turn] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=lambda: list(START_BUTTONS))
    code: str | None = None
    code_expires: datetime | None = None
    seen: float = field(default_factory=time.monotonic)

    def add(self, turn: Turn) -> None:
        self.turns.append(turn)
        del self.turns[:-MAX_TURNS]


class ChatStore:
    """Sessions by id with idle expiry and a cap on how many are kept (oldest go first)."""

    def __init__(self, idle_seconds: float, max_sessions: int = 5000) -> None:
        self.idle_seconds = idle_seconds
        self.max_sessions = max_sessions
        self._states: OrderedDict[str, ChatState] = OrderedDict()
        self._lock = threading.Lock()

    def _expire(self, now: float) -> None:
        while self._states:
            oldest_id, oldest = next(iter(self._states.items()))
            if now - oldest.seen < self.idle_seconds and len(self._states) <= self.max_sessions:
                break
            del self._states[oldest_id]

    def get(self, session_id: str | None) -> ChatState | None:
        if session_id is None:
            return None
        with self._lock:
            now = time.monotonic()
            self._expire(now)
            state = self._states.get(session_id)
            if state is not None:
                state.seen = now
                self._states.move_to_end(session_id)
            return state

    def get_or_create(self, session_id: str) -> ChatState:
        state = self.get(session_id)
        if state is not None:
            return state
        with self._lock:
            state = self._states.setdefault(session_id, ChatState())
            self._states.move_to_end(session_id)
            self._expire(time.monotonic())
            return state

    def sweep(self) -> int:
        """Forget idle sessions now, not only at the next request; returns how many went.

        The intake service calls this every minute (bot.retention.background), so a
        transcript never outlives CHAT_IDLE_MINUTES by much when the chat goes quiet.
        """
        with self._lock:
            before = len(self._states)
            self._expire(time.monotonic())
            return before - len(self._states)

    def drop(self, session_id: str | None) -> None:
        with self._lock:
            self._states.pop(session_id or "", None)
