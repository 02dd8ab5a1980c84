"""The encrypting tracker store (bot/engine/tracker_store.py) on a real SQLite database, with
Rasa 3.6's own tracker and events: nothing readable at rest, a restart erases, rows of the
plain store are taken over, and without a usable key Rasa does not start."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.engine.tracker_store import KEY_ENV, EncryptedSQLTrackerStore, TrackerKeyError

DOMAIN = Domain.from_dict({"slots": {"child_first_name": {"type": "text", "mappings": []}}})
NAME = "Evelientje"


def turn(text: str) -> list:
    return [
        ActionExecuted("action_listen"),
        UserUttered(text, intent={"name": "inform", "confidence": 1.0}),
        SlotSet("child_first_name", NAME),
        BotUttered("Dank u."),
    ]


def store(path: Path) -> EncryptedSQLTrackerStore:
    return EncryptedSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(path))


def raw(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT type_name, intent_name, action_name, data FROM events").fetchall()


@pytest.fixture
def key(monkeypatch) -> str:
    value = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, value)
    return value


def save(s: SQLTrackerStore, tracker: DialogueStateTracker) -> None:
    asyncio.run(s.save(tracker))


def test_events_are_stored_encrypted_and_read_back(tmp_path, key):
    s = store(tmp_path / "t.db")
    tracker = DialogueStateTracker.from_events("tg-1", [SessionStarted(), *turn(f"ik ben {NAME}")])
    save(s, tracker)
    rows = raw(tmp_path / "t.db")
    assert len(rows) == 5
    assert NAME not in repr(rows) and "inform" not in repr(rows)
    back = asyncio.run(s.retrieve("tg-1"))
    assert back.get_slot("child_first_name") == NAME
    assert back.latest_message.text == f"ik ben {NAME}"


def test_a_restart_erases_what_came_before(tmp_path, key):
    s = store(tmp_path / "t.db")
    tracker = DialogueStateTracker.from_events("tg-1", [SessionStarted(), *turn(NAME)])
    save(s, tracker)
    tracker = asyncio.run(s.retrieve("tg-1"))
    for event in [Restarted(), SessionStarted(), ActionExecuted("action_listen")]:
        tracker.update(event)
    save(s, tracker)
    save(s, tracker)  # a second save in the same turn keeps the same tail
    assert [row[0] for row in raw(tmp_path / "t.db")] == ["session_started", "action"]
    back = asyncio.run(s.retrieve("tg-1"))
    assert back.get_slot("child_first_name") is None
    # The next turn is stored after the tail, as usual.
    for event in turn("nog een vraag"):
        back.update(event)
    save(s, back)
    assert len(raw(tmp_path / "t.db")) == 6


def test_rows_of_the_plain_store_are_encrypted_when_the_store_starts(tmp_path, key):
    plain = SQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    save(plain, DialogueStateTracker.from_events("web-1", turn(NAME)))
    assert NAME in repr(raw(tmp_path / "t.db"))

    s = store(tmp_path / "t.db")
    assert NAME not in repr(raw(tmp_path / "t.db"))
    assert asyncio.run(s.retrieve("web-1")).get_slot("child_first_name") == NAME


def test_keys_rotate_the_first_one_encrypts(tmp_path, key, monkeypatch):
    save(store(tmp_path / "t.db"), DialogueStateTracker.from_events("tg-1", turn(NAME)))
    new = Fernet.generate_key().decode()
    monkeypatch.setenv(KEY_ENV, f"{new},{key}")
    assert asyncio.run(store(tmp_path / "t.db").retrieve("tg-1")).get_slot("child_first_name")


@pytest.mark.parametrize("value", ["", "not-a-key"])
def test_without_a_usable_key_the_store_refuses_to_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv(KEY_ENV, value)
    with pytest.raises(TrackerKeyError) as error:
        store(tmp_path / "t.db")
    assert value == "" or value not in str(error.value)


def test_a_wrong_key_is_an_error_not_an_empty_conversation(tmp_path, key, monkeypatch):
    save(store(tmp_path / "t.db"), DialogueStateTracker.from_events("tg-1", turn(NAME)))
    monkeypatch.setenv(KEY_ENV, Fernet.generate_key().decode())
    with pytest.raises(TrackerKeyError):
        asyncio.run(store(tmp_path / "t.db").retrieve("tg-1"))
