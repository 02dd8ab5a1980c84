"""Stopping a form ("stop", "laat maar", a goodbye): forget its answers and say so."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import referral_form, signs_check, withdraw_form

# The answers each form collects (none is kept after a stop), and what is said.
FORM_SLOTS = {
    "signs_check_form": signs_check.QUESTIONS,
    "referral_form": referral_form.FORM_SLOTS,
    "withdraw_form": withdraw_form.FORM_SLOTS,
    "question_form": ("anonymous_question",),
    "answer_form": ("pickup_code",),
}
STOPPED = {
    "signs_check_form": "utter_check_stopped",
    "referral_form": "utter_referral_stopped",
    "withdraw_form": "utter_withdraw_stopped",
    "question_form": "utter_question_stopped",
    "answer_form": "utter_stop",
}


class ActionStopForm(Action):
    def name(self) -> str:
        return "action_stop_form"

    def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        form = (tracker.active_loop or {}).get("name")
        if form not in FORM_SLOTS:
            dispatcher.utter_message(response="utter_stop")
            return []
        if tracker.latest_message.get("intent", {}).get("name") != "goodbye":
            dispatcher.utter_message(response=STOPPED[form])
        return [SlotSet(slot, None) for slot in FORM_SLOTS[form]]
