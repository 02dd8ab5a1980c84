"""The early-signs check as a Rasa form: validation of each answer, and the result."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import NO, clean_text, parse_yes_no
from actions.form_support import not_understood, validate_role
from actions.phrases import join_dutch
from actions.signs_check import QUESTIONS, YES_NO_QUESTIONS, assess

# How each signal is said back in the result, to a parent (u) and to a student (je).
SIGNAL_PHRASES = {
    "ouder": {
        "absence": "uw kind mist schooldagen",
        "resistance": "uw kind wil niet of verzet zich",
        "reactions": "er zijn klachten als school eraan komt",
        "weekend": "die klachten zijn weg in het weekend of de vakantie",
        "parents_know": "uw kind is dan thuis en u weet dat",
        "parents_tried": "u heeft al veel geprobeerd",
        "event": "er is iets ingrijpends gebeurd",
        "mood": "uw kind heeft minder contact, weinig energie of is somber",
        "antisocial": "uw kind doet ook dingen die niet mogen",
        "hidden_absence": "uw kind is soms weg zonder dat u het weet",
    },
    "leerling": {
        "absence": "je mist schooldagen",
        "resistance": "je wilt niet of je durft niet",
        "reactions": "je hebt klachten als school eraan komt",
        "weekend": "die klachten zijn weg in het weekend of de vakantie",
        "parents_know": "je bent dan thuis en je ouders weten dat",
        "parents_tried": "je ouders proberen je naar school te krijgen",
        "event": "er is iets ingrijpends gebeurd",
        "mood": "je hebt minder contact, weinig energie of je voelt je somber",
        "antisocial": "je doet ook dingen die niet mogen",
        "hidden_absence": "je ouders weten niet altijd dat je niet op school bent",
    },
}


def check_role(tracker: Tracker) -> str:
    return "leerling" if tracker.get_slot("role") == "leerling" else "ouder"


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
        phrases = SIGNAL_PHRASES[check_role(tracker)]
        summary = join_dutch([phrases[s] for s in result.signals]) or None
        events: list[EventType] = [
            SlotSet("check_outcome", result.outcome),
            SlotSet("check_summary", summary),
            SlotSet("check_signals", list(result.signals)),
        ]
        if summary:
            # The referral reuses what the check learned (the parent can still correct it).
            events.append(SlotSet("signs", summary))
        if answers["check_duration"] and not tracker.get_slot("absence_duration"):
            events.append(SlotSet("absence_duration", answers["check_duration"]))
        return events
