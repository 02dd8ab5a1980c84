"""Withdrawing a referral in the conversation: reference, then the phone or e-mail given, a
confirmation, and the intake API erases the personal data. This conversation, which may hold
the referral's answers, is then erased too (actions/forget.py).

Wrong details and an unknown reference get the same answer, so the chat never tells anyone
whether a reference exists.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import YES, normalise_email, normalise_phone, parse_yes_no
from actions.forget import forget_events
from actions.form_support import not_understood
from actions.intake_client import (
    IntakeClient,
    IntakeRejected,
    IntakeUnavailable,
    WithdrawalNotFound,
)
from bot.intake.reference import display, find, parse

FORM_SLOTS = ("withdraw_reference", "withdraw_contact", "withdraw_confirmed")


def find_reference(text: str) -> str | None:
    """The reference in "mijn nummer is k7m 4qx" (or the whole message), canonical."""
    return find(text)


def contact_detail(text: str) -> str | None:
    """The phone number (E.164) or e-mail address in what was typed."""
    if "@" in text:
        return normalise_email(text)
    return normalise_phone(text)


class ValidateWithdrawForm(FormValidationAction):
    def name(self) -> str:
        return "validate_withdraw_form"

    def validate_withdraw_reference(self, value: Any, dispatcher, tracker, domain):
        reference = find_reference(str(value or ""))
        if reference is None:
            not_understood(dispatcher, tracker, "utter_withdraw_reference_unclear", free_text=True)
            return {"withdraw_reference": None}
        return {"withdraw_reference": display(reference)}

    def validate_withdraw_contact(self, value: Any, dispatcher, tracker, domain):
        contact = contact_detail(str(value or ""))
        if contact is None:
            not_understood(dispatcher, tracker, "utter_withdraw_contact_unclear", free_text=True)
        return {"withdraw_contact": contact}

    def validate_withdraw_confirmed(self, value: Any, dispatcher, tracker, domain):
        answer = parse_yes_no(str(value or ""))
        if answer is None:
            not_understood(dispatcher, tracker, "utter_yes_no_unclear")
            return {"withdraw_confirmed": None}
        return {"withdraw_confirmed": answer == YES}


class ActionWithdrawReferral(Action):
    def name(self) -> str:
        return "action_withdraw_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in FORM_SLOTS]
        if tracker.get_slot("withdraw_confirmed") is not True:
            dispatcher.utter_message(response="utter_withdraw_cancelled")
            return reset
        reference = parse(tracker.get_slot("withdraw_reference") or "") or ""
        contact = tracker.get_slot("withdraw_contact") or ""
        try:
            await asyncio.to_thread(IntakeClient.from_env().withdraw, reference, contact)
        except WithdrawalNotFound:
            dispatcher.utter_message(response="utter_withdraw_not_found")
        except (IntakeUnavailable, IntakeRejected):
            dispatcher.utter_message(response="utter_withdraw_unavailable")
        else:
            dispatcher.utter_message(response="utter_withdraw_done")
            return [*reset, *forget_events(tracker)]
        return reset
