"""The early-signs check as a Rasa form: validation of each answer, and the result."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import NO, clean_text, parse_yes_no
from actions.form_support import not_understood, validate_role
from actions.signs_check import (
    MOOD_BACKLOG,
    MOOD_CONTACT,
    MOOD_ENERGY,
    QUESTIONS,
    YES_NO_QUESTIONS,
    assess,
    parse_mood,
)

# How each signal is said back in the result: one short sentence per signal, to a parent (u),
# a staff member about a student (u) and a student (je). The result shows them one per line.
SIGNAL_PHRASES = {
    "ouder": {
        "absence": "Uw kind mist lessen of schooldagen.",
        "resistance": "Uw kind verzet zich tegen naar school gaan.",
        "reactions": "Uw kind heeft klachten als school eraan komt.",
        "weekend": "Thuis zijn de klachten weg.",
        "parents_know": "U weet het als uw kind niet op school is.",
        "parents_tried": "U heeft al veel geprobeerd.",
        "event": "Er is iets groots en moeilijks gebeurd.",
        "mood": "U merkt nog meer aan uw kind.",
        "mood_contact": "Uw kind heeft minder contact met vrienden.",
        "mood_energy": "Uw kind heeft weinig energie of is somber.",
        "mood_backlog": "Uw kind loopt achter met schoolwerk.",
        "antisocial": "Uw kind doet ook dingen die niet mogen.",
        "hidden_absence": "Uw kind is soms weg zonder dat u het weet.",
    },
    "medewerker": {
        "absence": "De leerling mist lessen of schooldagen.",
        "resistance": "De leerling verzet zich tegen naar school gaan.",
        "reactions": "De leerling heeft klachten als school eraan komt.",
        "weekend": "Thuis zijn de klachten weg.",
        "parents_know": "De ouders weten het als de leerling niet op school is.",
        "parents_tried": "De ouders hebben al veel geprobeerd.",
        "event": "Er is iets groots en moeilijks gebeurd.",
        "mood": "U merkt nog meer aan de leerling.",
        "mood_contact": "De leerling heeft minder contact met klasgenoten.",
        "mood_energy": "De leerling heeft weinig energie of is somber.",
        "mood_backlog": "De leerling loopt achter met schoolwerk.",
        "antisocial": "De leerling doet ook dingen die niet mogen.",
        "hidden_absence": "De ouders weten niet altijd dat de leerling niet op school is.",
    },
    "leerling": {
        "absence": "Je mist lessen of schooldagen.",
        "resistance": "Je ziet erg op tegen naar school gaan.",
        "reactions": "Je hebt klachten als school eraan komt.",
        "weekend": "Thuis zijn de klachten weg.",
        "parents_know": "Je ouders weten het als je niet op school bent.",
        "parents_tried": "Je ouders proberen je naar school te krijgen.",
        "event": "Er is iets groots en moeilijks gebeurd.",
        "mood": "Je merkt nog meer dingen.",
        "mood_contact": "Je ziet je vrienden minder.",
        "mood_energy": "Je hebt weinig energie of je voelt je somber.",
        "mood_backlog": "Je loopt achter met schoolwerk.",
        "antisocial": "Je doet ook dingen die niet mogen.",
        "hidden_absence": "Je ouders weten niet altijd dat je niet op school bent.",
    },
}
# The mood question offers a choice (one thing per button); the signal names the choice.
MOOD_SIGNAL = {
    MOOD_CONTACT: "mood_contact",
    MOOD_ENERGY: "mood_energy",
    MOOD_BACKLOG: "mood_backlog",
}


def check_role(tracker: Tracker) -> str:
    role = tracker.get_slot("role")
    return role if role in ("leerling", "medewerker") else "ouder"


def summary_lines(signals: tuple[str, ...], role: str, mood: str | None) -> list[str]:
    """One short sentence per signal; the mood signal names what was chosen."""
    phrases = SIGNAL_PHRASES[role]
    return [phrases[MOOD_SIGNAL.get(mood, "mood") if s == "mood" else s] for s in signals]


class ValidateSignsCheckForm(FormValidationAction):
    """Every question accepts buttons and free text; an unclear answer is asked again."""

    def name(self) -> str:
        return "validate_signs_check_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Whether complaints vanish at the weekend only matters when there are complaints.
        if tracker.get_slot("check_reactions") == NO:
            return [s for s in domain_slots if s != "check_weekend"]
        return domain_slots

    def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_role(value, dispatcher, tracker)

    def validate_check_mood(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = parse_mood(str(value or ""))
        if answer is None:
            not_understood(dispatcher, tracker, "utter_yes_no_unclear")
        return {"check_mood": answer}

    def validate_check_duration(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        duration = clean_text(str(value or ""), 200)
        if duration is None:
            not_understood(dispatcher, tracker, "utter_check_duration_unclear", free_text=True)
        return {"check_duration": duration}


def _yes_no_validator(slot: str):
    def validate(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        answer = parse_yes_no(str(value or ""))
        if answer is None:
            not_understood(dispatcher, tracker, "utter_yes_no_unclear")
        return {slot: answer}

    validate.__name__ = f"validate_{slot}"
    return validate


# rasa_sdk looks up validate_<slot> by name; the yes/no questions share one validator.
for _slot in YES_NO_QUESTIONS:
    if _slot == "check_mood":
        continue  # a choice, see validate_check_mood
    setattr(ValidateSignsCheckForm, f"validate_{_slot}", _yes_no_validator(_slot))


class ActionCheckResult(Action):
    """Turn the answers into signals and keep them for a referral.

    Like action_reflect_situation it only decides: utter_check_result, which the rules run
    next, says the result with the variation that fits `check_outcome` and the role.
    """

    def name(self) -> str:
        return "action_check_result"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        answers = {q: tracker.get_slot(q) for q in QUESTIONS}
        result = assess(answers)
        lines = summary_lines(result.signals, check_role(tracker), answers["check_mood"])
        # One signal per line, each a short sentence (issue 19).
        summary = "\n".join(f"- {line}" for line in lines) or None
        events: list[EventType] = [
            SlotSet("check_outcome", result.outcome),
            SlotSet("check_summary", summary),
            SlotSet("check_signals", list(result.signals)),
        ]
        if lines:
            # The referral reuses what the check learned, on one line of its summary (the
            # parent can still correct it).
            events.append(SlotSet("signs", " ".join(lines)))
        if answers["check_duration"] and not tracker.get_slot("absence_duration"):
            events.append(SlotSet("absence_duration", answers["check_duration"]))
        return events
