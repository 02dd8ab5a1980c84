"""Prepare the empathic answer to a parent's description or a student's own distress.

The action only decides; the words live in domain.yml. It fills the slots that
utter_situation_reflect repeats back (what the user described) and picks the variation
through the `reflection` slot: parent or staff (u) or student (je), and whether symptoms, a
trigger, both or neither were named. The `offer` slot says what the next-step answer offers
(the check to a parent, tips to a student or staff member), so that a "ja" does that.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.entities import latest_entity_values
from actions.phrases import SYMPTOM_PHRASES, TRIGGER_PHRASES, describe

STUDENT, PARENT, STAFF = "leerling", "ouder", "medewerker"


def speaker_role(tracker: Tracker) -> str:
    """The role slot when it is known; otherwise what the message itself implies."""
    role = tracker.get_slot("role")
    if role in (STUDENT, PARENT, STAFF):
        return role
    intent = tracker.latest_message.get("intent", {}).get("name")
    return STUDENT if intent == "student_distress" else PARENT


def reflection_kind(symptoms: str, trigger: str) -> str:
    if symptoms and trigger:
        return "both"
    if symptoms:
        return "symptoms"
    return "trigger" if trigger else "general"


class ActionReflectSituation(Action):
    def name(self) -> str:
        return "action_reflect_situation"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        role = speaker_role(tracker)
        symptoms = describe(latest_entity_values(tracker, "symptom"), SYMPTOM_PHRASES)
        trigger = describe(latest_entity_values(tracker, "trigger"), TRIGGER_PHRASES)
        who = {STUDENT: "student", STAFF: "staff"}.get(role, "parent")
        events: list[EventType] = [
            SlotSet("situation_symptoms", symptoms or None),
            SlotSet("situation_trigger", trigger or None),
            SlotSet("reflection", f"{who}_{reflection_kind(symptoms, trigger)}"),
            SlotSet("offer", "check" if who == "parent" else "tips"),
        ]
        if tracker.get_slot("role") is None:
            events.append(SlotSet("role", role))
        return events
