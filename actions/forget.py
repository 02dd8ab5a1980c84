"""Forget this conversation: Rasa's `action_restart`, replaced so that it also says so.

The restart itself erases: the tracker store deletes every stored event of a conversation
when it sees a `Restarted` event (bot/engine/tracker_store.py). /stop in Telegram and "Nieuw
gesprek" in the web chat send /restart (they show their own text); the "Wis dit gesprek"
button sends it from the conversation; a withdrawal ends with the same events.

After the restart a new session starts with only what says how to talk (the role, and after a
crisis the help lines; actions/session.py), so the next answer keeps the right register.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, Restarted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.session import session_slots


def forget_events(tracker: Tracker) -> list[EventType]:
    """Erase the conversation so far and start afresh in the same register."""
    return [Restarted(), SessionStarted(), *session_slots(tracker, carry_over=True)]


class ActionRestart(Action):
    def name(self) -> str:
        return "action_restart"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_conversation_erased")
        return forget_events(tracker)
