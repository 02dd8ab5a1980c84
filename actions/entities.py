"""Reading entities from the latest user message."""

from __future__ import annotations

from rasa_sdk import Tracker


def latest_entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [
        str(e["value"])
        for e in tracker.latest_message.get("entities", [])
        if e.get("entity") == entity and e.get("value")
    ]
