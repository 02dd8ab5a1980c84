"""A Rasa server for the blind evaluations: start one with its action server and a throwaway
intake service, and talk to it over REST while reading its trackers over the HTTP API."""

from __future__ import annotations

import re
import socket
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

# What counts as a help line in a reply (docs/crisis-taxonomy.md).
HELP_LINE = re.compile(r"\b(?:112|113|0800-0113|0800-0432|0800-2000)\b|113\.nl|kindertelefoon")
T = TypeVar("T")


class RasaClient:
    def __init__(self, rasa_url: str) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.http = httpx.Client(timeout=60)

    def say(self, sender: str, text: str) -> list[dict]:
        response = self.http.post(
            f"{self.rasa_url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
        )
        response.raise_for_status()
        return response.json()

    def tracker(self, sender: str) -> dict:
        response = self.http.get(f"{self.rasa_url}/conversations/{sender}/tracker")
        response.raise_for_status()
        return response.json()

    def replace_events(self, sender: str, events: list[dict]) -> None:
        response = self.http.put(
            f"{self.rasa_url}/conversations/{sender}/tracker/events", json=events
        )
        response.raise_for_status()

    def last_turn(self, sender: str) -> tuple[list[dict], dict]:
        """Events since the latest user message, and the tracker's slots."""
        tracker = self.tracker(sender)
        return turn_events(tracker), tracker["slots"]


def turn_events(tracker: dict) -> list[dict]:
    """A tracker's events since the latest user message."""
    events = tracker["events"]
    users = [i for i, e in enumerate(events) if e["event"] == "user"]
    # After "Wis dit gesprek" the store keeps only what follows the restart: no user message.
    return events[users[-1] :] if users else []


def intent_of(events: list[dict]) -> str | None:
    """The NLU's intent for the user message that opens these events."""
    parse = events[0].get("parse_data", {}) if events else {}
    return (parse.get("intent") or {}).get("name")


def reply_text(messages: list[dict]) -> str:
    """What the user sees: the texts and the buttons' titles."""
    parts = []
    for m in messages:
        parts.append(m.get("text") or "")
        parts.extend(b.get("title", "") for b in m.get("buttons") or [])
    return "\n".join(p for p in parts if p)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def with_stack(measure: Callable[[str], T], prefix: str = "eval-") -> T:
    """Intake service (throwaway SQLite and secrets), action server and Rasa with its API."""
    from bot.engine_process import running_engine
    from bot.intake.process import running_intake, throwaway_environment

    with tempfile.TemporaryDirectory(prefix=prefix) as name:
        folder = Path(name)
        env = throwaway_environment(folder)
        with running_intake(free_port(), folder, env) as intake:
            action_env = {
                "INTAKE_URL": intake.url,
                "INTAKE_API_TOKEN": env["INTAKE_API_TOKEN"],
                "LANS_OUTBOX_PATH": env["LANS_OUTBOX_PATH"],
            }
            with running_engine(
                rasa_port=free_port(),
                actions_port=free_port(),
                enable_api=True,
                log_dir=folder / "engine",
                env=action_env,
            ) as engine:
                return measure(engine.rasa_url)
