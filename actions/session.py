"""Start a conversation knowing who most likely writes: parents use Telegram, students the
web chat (product card). The role slot starts from the channel, so the first answer is in
the right register (u or je) without asking; what the user writes ("ik ben de moeder", "ik
ben mentor", bot/nlu/role_cues.py) replaces it at once.

Only slots that say how to talk carry over to a new session (domain.yml's session_config
switches that on): the role, and after a crisis which help lines stay in every answer. A half-
filled form's answers (names, phone, signs) do not: every session would otherwise copy them
again, and the retention job, which deletes old sessions, could never erase them.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.channels import channel
from actions.form_support import ROLES

ROLE_BY_CHANNEL = {"telegram": "ouder", "web": "leerling"}
CARRIED_SLOTS = ("role", "crisis_active", "crisis_answer", "crisis_lines", "crisis_register")


def session_slots(tracker: Tracker, carry_over: bool) -> list[EventType]:
    slots = {name: tracker.slots.get(name) for name in CARRIED_SLOTS} if carry_over else {}
    if slots.get("role") not in ROLES:
        slots["role"] = None
    events: list[EventType] = [
        SlotSet(name, value) for name, value in slots.items() if value is not None
    ]
    if slots.get("role") is None and (role := ROLE_BY_CHANNEL.get(channel(tracker.sender_id))):
        events.append(SlotSet("role", role))
    return events


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        carry_over = bool(domain.get("session_config", {}).get("carry_over_slots_to_new_session"))
        return [
            SessionStarted(),
            *session_slots(tracker, carry_over),
            ActionExecuted("action_listen"),
        ]
