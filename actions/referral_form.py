"""The LANS referral (aanmelding) as a Rasa form: consent first, then each field validated with
a helpful re-ask, a summary to confirm or correct, and delivery through the outbox."""

from __future__ import annotations

import asyncio
import re
import uuid
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import (
    DONT_KNOW,
    NO,
    YES,
    clean_text,
    display_phone,
    normalise_email,
    normalise_phone,
    parse_age,
    parse_first_name,
    parse_yes_no,
    plain,
)
from actions.channels import channel
from actions.delivery import deliverer
from actions.form_support import answer_interruption, not_understood, validate_role
from bot.intake.reference import display, new_reference

CONSENT_VERSION = "2026-11"
# Slots the referral asks, in order; the contact slot depends on the preferred way.
PERSONAL_SLOTS = (
    "child_first_name",
    "child_age",
    "child_class",
    "absence_duration",
    "absence_extent",
    "signs",
    "both_parents_know",
    "parent_name",
    "contact_preference",
    "phone",
    "email",
    "contact_time",
)
FORM_SLOTS = ("referral_consent", *PERSONAL_SLOTS, "referral_confirmed")
TEXT_LIMITS = {
    "child_class": 40,
    "absence_duration": 200,
    "absence_extent": 200,
    "signs": 1000,
    "parent_name": 100,
    "contact_time": 100,
}
# What a parent may want to correct in the summary, and the slots that are asked again.
CORRECTIONS = (
    (r"\bnaam (van )?(mijn |het )?kind|voornaam|kind naam\b", ("child_first_name",)),
    (r"\bleeftijd|oud\b", ("child_age",)),
    (r"\bklas|groep\b", ("child_class",)),
    (r"\bverzuim|mist|hoe lang|hoeveel\b", ("absence_duration", "absence_extent")),
    (r"\bsignalen|klachten|signs\b", ("signs",)),
    (r"\bouders weten|beide ouders|ouders\b", ("both_parents_know",)),
    (r"\bmijn naam|uw naam|naam ouder\b", ("parent_name",)),
    (
        r"\bcontact|telefoon|nummer|mail|tijd|bellen\b",
        ("contact_preference", "phone", "email", "contact_time"),
    ),
)


def correction_slots(text: str) -> tuple[str, ...] | None:
    words = plain(text)
    # "mijn naam" before "naam kind": check the parent's own name first.
    if re.search(r"\b(mijn|uw) naam\b", words):
        return ("parent_name",)
    for pattern, slots in CORRECTIONS:
        if re.search(pattern, words):
            return slots
    return None


def contact_preference(text: str) -> str | None:
    words = plain(text)
    if re.search(r"\b(e ?mail|mail|mailen|gmail|hotmail|@)", words):
        return "e-mail"
    if re.search(r"\b(telefoon|bel|bellen|gebeld|mobiel|telefonisch|app|whatsapp|sms)", words):
        return "telefoon"
    return None


class ValidateReferralForm(FormValidationAction):
    def name(self) -> str:
        return "validate_referral_form"

    async def required_slots(
        self,
        domain_slots: list[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> list[str]:
        # Students are referred by their parents, and staff through the school's own route:
        # both get that explained. Without consent, nothing personal is asked.
        if tracker.get_slot("role") in ("leerling", "medewerker"):
            return ["role"]
        if tracker.get_slot("referral_consent") is False:
            return ["role", "referral_consent"]
        unused = "email" if tracker.get_slot("contact_preference") == "telefoon" else "phone"
        return [s for s in domain_slots if s != unused]

    def validate_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return validate_role(value, dispatcher, tracker)

    def validate_referral_consent(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        answer = parse_yes_no(str(value or ""))
        if answer in (YES, NO):
            return {"referral_consent": answer == YES}
        not_understood(dispatcher, tracker, "utter_consent_unclear")
        return {"referral_consent": None}

    def validate_child_first_name(self, value: Any, dispatcher, tracker, domain):
        name = parse_first_name(str(value or ""))
        if name is None:
            not_understood(dispatcher, tracker, "utter_child_name_unclear", free_text=True)
        return {"child_first_name": name}

    def validate_child_age(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        age = parse_age(str(value or ""))
        if age is None:
            not_understood(dispatcher, tracker, "utter_child_age_unclear", free_text=True)
        return {"child_age": str(age) if age is not None else None}

    def validate_both_parents_know(self, value: Any, dispatcher, tracker, domain):
        text = str(value or "")
        if re.search(r"\b(deels|gedeeltelijk|een van|één van|1 van|alleen|half)\b", plain(text)):
            return {"both_parents_know": "gedeeltelijk"}
        answer = parse_yes_no(text)
        if answer in (YES, NO):
            return {"both_parents_know": answer}
        not_understood(dispatcher, tracker, "utter_both_parents_unclear")
        return {"both_parents_know": None}

    def validate_parent_name(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        name = clean_text(str(value or ""), TEXT_LIMITS["parent_name"])
        if name is None or re.search(r"[\d@]", name) or not re.search(r"[^\W\d_]", name):
            not_understood(dispatcher, tracker, "utter_parent_name_unclear", free_text=True)
            return {"parent_name": None}
        return {"parent_name": name}

    def validate_contact_preference(self, value: Any, dispatcher, tracker, domain):
        text = str(value or "")
        # Someone who types their number or address straight away has answered two questions.
        if phone := normalise_phone(text):
            return {"contact_preference": "telefoon", "phone": display_phone(phone)}
        if "@" in text and (email := normalise_email(text)):
            return {"contact_preference": "e-mail", "email": email}
        preference = contact_preference(text)
        if preference is None:
            not_understood(dispatcher, tracker, "utter_contact_preference_unclear")
        return {"contact_preference": preference}

    def validate_phone(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        phone = normalise_phone(str(value or ""))
        if phone is None:
            not_understood(dispatcher, tracker, "utter_phone_unclear", free_text=True)
            return {"phone": None}
        return {"phone": display_phone(phone)}

    def validate_email(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        email = normalise_email(str(value or ""))
        if email is None:
            not_understood(dispatcher, tracker, "utter_email_unclear", free_text=True)
        return {"email": email}

    def validate_referral_confirmed(self, value: Any, dispatcher, tracker, domain):
        text = str(value or "")
        if slots := correction_slots(text):
            return {slot: None for slot in slots} | {"referral_confirmed": None}
        answer = parse_yes_no(text)
        if answer == YES:
            # Fixed now, so that a retried submit sends the same key and reference.
            return {
                "referral_confirmed": True,
                "referral_key": uuid.uuid4().hex,
                "referral_reference": new_reference(),
            }
        if answer in (NO, DONT_KNOW) or re.search(r"\b(aanpassen|wijzig|verander)", plain(text)):
            dispatcher.utter_message(response="utter_referral_which_field")
        else:
            not_understood(dispatcher, tracker, "utter_referral_confirm_unclear")
        return {"referral_confirmed": None}


def _text_validator(slot: str, limit: int):
    def validate(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        text = clean_text(str(value or ""), limit)
        if text is None and not answer_interruption(dispatcher, tracker, free_text=True):
            dispatcher.utter_message(response="utter_text_unclear", limit=limit)
        return {slot: text}

    validate.__name__ = f"validate_{slot}"
    return validate


for _slot, _limit in TEXT_LIMITS.items():
    if not hasattr(ValidateReferralForm, f"validate_{_slot}"):
        setattr(ValidateReferralForm, f"validate_{_slot}", _text_validator(_slot, _limit))


def referral_payload(tracker: Tracker, reference: str, channel: str) -> dict[str, Any]:
    """The body the intake API expects (bot/intake/schemas.py)."""
    slot = tracker.get_slot
    preference = slot("contact_preference")
    phone = slot("phone") if preference == "telefoon" else None
    return {
        "reference": reference,
        "child_first_name": slot("child_first_name"),
        "child_age": int(slot("child_age")),
        "child_class": slot("child_class"),
        "absence_duration": slot("absence_duration"),
        "absence_extent": slot("absence_extent"),
        "signs": slot("signs") or "",
        "check_signals": list(slot("check_signals") or []),
        "both_parents_know": slot("both_parents_know"),
        "parent_name": slot("parent_name"),
        "phone": normalise_phone(phone) if phone else None,
        "email": slot("email") if preference == "e-mail" else None,
        "contact_preference": preference,
        "contact_time": slot("contact_time"),
        "consent_version": CONSENT_VERSION,
        "channel": channel,
    }


def channel_of(tracker: Tracker) -> str:
    """Where the referral was made (actions/channels.py)."""
    return channel(tracker.sender_id or "")


def cleared(slots: tuple[str, ...]) -> list[EventType]:
    return [SlotSet(slot, None) for slot in slots]


class ActionSubmitReferral(Action):
    """Ends the referral form: no consent, a student or staff member, or a referral to deliver."""

    def name(self) -> str:
        return "action_submit_referral"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        reset = cleared(FORM_SLOTS)
        if tracker.get_slot("role") in ("leerling", "medewerker"):
            dispatcher.utter_message(response="utter_request_referral")
            return reset
        if tracker.get_slot("referral_consent") is not True:
            dispatcher.utter_message(response="utter_referral_no_consent")
            return reset
        if tracker.get_slot("referral_confirmed") is not True:
            dispatcher.utter_message(response="utter_referral_stopped")
            return reset

        key = tracker.get_slot("referral_key") or uuid.uuid4().hex
        reference = tracker.get_slot("referral_reference") or new_reference()
        outbox = deliverer()
        outbox.outbox.add(key, reference, referral_payload(tracker, reference, channel_of(tracker)))
        delivered = await asyncio.to_thread(outbox.deliver_key, key)
        if not delivered:
            outbox.start()  # make sure someone retries, also when INTAKE_URL was not set
        dispatcher.utter_message(
            response="utter_referral_sent" if delivered else "utter_referral_queued",
            reference=display(reference),
        )
        # The personal data leave the conversation state; the check answers too.
        return [
            *reset,
            *cleared(("check_signals", "check_summary", "check_outcome")),
            SlotSet("referral_key", None),
            SlotSet("referral_reference", None),
            SlotSet("last_reference", display(reference)),
        ]
