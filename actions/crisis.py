"""Choose the crisis answer: by the kind of crisis the NLU found and who it is about.

The crisis answer itself (utter_crisis) follows at once, by rule; this action only sets
the slots its variations depend on, so the help lines shown fit the situation (Veilig
Thuis for violence at home, 113 for thoughts of suicide or self-harm) and the person
(a young person about themself, a parent about their child, an adult about themself).
"""

from __future__ import annotations

import re
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
CHILD = re.compile(
    r"\b(mijn|mn|m'n|onze|ons)\s+(zoon|dochter|kind|kinderen|jongen|meisje|puber|"
    r"stiefzoon|stiefdochter|pleegzoon|pleegdochter|pleegkind|leerling)\b",
    re.IGNORECASE,
)
THIRD_PERSON = re.compile(r"\b(hij|zij)\b", re.IGNORECASE)


def audience(role: str | None, text: str) -> str:
    if role in ADULT_ROLES:
        about_child = CHILD.search(text) or THIRD_PERSON.search(text)
        return "parent" if about_child else "adult"
    # Unknown writer: only an explicit "mijn zoon/dochter" makes it a parent's message.
    return "parent" if role is None and CHILD.search(text) else "young"


def crisis_answer(signals: list[str], role: str | None, text: str) -> str:
    # When only the classifier recognised the crisis, its kind is unknown: name every line.
    kind = ANSWER_BY_SIGNAL.get(signals[0], "general") if signals else "general"
    reader = audience(role, text)
    if kind == "general" and reader == "adult":
        reader = "parent"  # the general adult answer covers "you or your child"
    return f"{kind}_{reader}"


class ActionCrisis(Action):
    def name(self) -> str:
        return "action_crisis"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        signals = latest_entity_values(tracker, "crisis_signal")
        text = tracker.latest_message.get("text") or ""
        answer = crisis_answer(signals, tracker.get_slot("role"), text)
        return [SlotSet("crisis_active", True), SlotSet("crisis_answer", answer)]
