"""Run with the engine environment's Python (Rasa 3.6): writes and reads real trackers through
the project's tracker store (Rasa's SQLTrackerStore, encrypting; LANS_TRACKER_KEY from the
environment), and exercises the action server's outbox purge.

    python engine_side.py write-trackers STORE_JSON SPEC_JSON   (SPEC: {sender: [ages in days]})
    python engine_side.py read-trackers STORE_JSON              (prints {sender: event count})
    python engine_side.py outbox PATH                           (prints the outbox's keys left)

Each exchange is its own session (a session ends after an hour without messages).
STORE_JSON holds SQLTrackerStore's arguments (dialect, db, host, port, username).
"""

from __future__ import annotations

import asyncio
import json
import sys
import time


def _store(store_json: str):
    from rasa.shared.core.domain import Domain

    from bot.engine.tracker_store import EncryptedSQLTrackerStore

    return EncryptedSQLTrackerStore(domain=Domain.empty(), **json.loads(store_json))


def write_trackers(store_json: str, spec_json: str) -> None:
    """One conversation per sender: a session with a user message and the bot's answer at
    each age."""
    from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    store = _store(store_json)
    now = time.time()
    for sender, ages in json.loads(spec_json).items():
        events = []
        for age in sorted(ages, reverse=True):  # oldest first
            at = now - age * 86400
            events += [
                ActionExecuted("action_session_start", timestamp=at),
                SessionStarted(timestamp=at),
                ActionExecuted("action_listen", timestamp=at),
                UserUttered("mijn zoon wil niet naar school", timestamp=at),
                BotUttered("Wat vervelend. Vertel eens meer?", timestamp=at + 1),
            ]
        asyncio.run(store.save(DialogueStateTracker.from_events(sender, events)))


def read_trackers(store_json: str) -> None:
    store = _store(store_json)

    async def counts() -> dict[str, int]:
        found = {}
        for sender in await store.keys():
            tracker = await store.retrieve_full_tracker(sender)
            found[sender] = 0 if tracker is None else len(tracker.events)
        return found

    print(json.dumps(asyncio.run(counts())))


def outbox(path: str) -> None:
    """Two delivered items (one 31 days ago, one now) and a pending one; then one worker round."""
    from pathlib import Path

    from cryptography.fernet import Fernet

    from actions.outbox import Deliverer, Outbox

    box = Outbox(Path(path), Fernet.generate_key())
    for key in ("old-delivered", "new-delivered", "pending"):
        box.add(key, key.upper()[:7], {"child_first_name": "Marijke"})
    box.mark_delivered("old-delivered")
    box.mark_delivered("new-delivered")
    with box._connect() as db:
        db.execute(
            "UPDATE outbox SET done_at = ? WHERE key = 'old-delivered'", (time.time() - 31 * 86400,)
        )

    def down(_key: str, _payload: dict) -> str:
        from actions.intake_client import IntakeUnavailable

        raise IntakeUnavailable("down")

    Deliverer(box, down).run_once()  # keep_delivered_seconds from LANS_RETENTION_CHAT_DAYS
    with box._connect() as db:
        rows = db.execute("SELECT key, state FROM outbox ORDER BY key").fetchall()
    print(json.dumps(dict(rows)))


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"write-trackers": write_trackers, "read-trackers": read_trackers, "outbox": outbox}[command](
        *args
    )
