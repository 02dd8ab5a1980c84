"""Choose the crisis answer: by the kind of crisis the NLU found and who is writing.

The crisis answer itself (utter_crisis) follows at once, by rule; this action only sets
the slots its variations depend on, so the help lines shown fit the situation (Veilig
Thuis for violence at home, 113 for thoughts of suicide or self-harm).
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.entities import latest_entity_values

ANSWER_BY_SIGNAL = {
    "suicide": "suicide",
    "self_harm": "suicide",
    "abuse": "abuse",
    "danger": "general",
}
ADULT_ROLES = {"ouder", "medewerker"}


def crisis_answer(signals: list[str], role: str | None) -> str:
    # When only the classifier recognised the crisis, its kind is unknown: name every line.
    kind = ANSWER_BY_SIGNAL.get(signals[0], "general") if signals else "general"
    audience = "parent" if role in ADULT_ROLES else "young"
    return f"{kind}_{audience}"


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        signals = latest_entity_values(tracker, "crisis_signal")
        answer = crisis_answer(signals, tracker.get_slot("role"))
        return [SlotSet("crisis_active", True), SlotSet("crisis_answer", answer)]
