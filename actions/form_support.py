"""What every form validation shares: answering a question asked mid-form, and re-asking with a
hint when an answer was not understood.

Form slots are filled from the text (so "ja vooral op maandag" is an answer whatever intent the
NLU picked). Only when the text is not an answer and the user asked one of the knowledge
questions does the form answer it first; the form then asks its question again. Crisis, stop
and goodbye never reach a form: the slot mappings exclude them and rules take over.
"""

from __future__ import annotations

import re

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import parse_role

# Questions a user may ask in the middle of a form, and the response that answers them.
INTERRUPTION_RESPONSES = {
    "ask_definition": "utter_definition",
    "ask_signs": "utter_signs",
    "ask_causes": "utter_causes",
    "ask_consequences": "utter_consequences",
    "ask_vs_truancy": "utter_vs_truancy",
    "ask_parent_tips": "utter_parent_tips",
    "ask_lans": "utter_lans",
    "ask_assessment": "utter_assessment",
    "ask_duration": "utter_duration",
    "ask_eligibility": "utter_eligibility",
    "ask_prevention": "utter_prevention",
    "ask_attendance_law": "utter_attendance_law",
    "ask_privacy": "utter_privacy",
    "ask_contact": "utter_contact",
    "ask_referral_info": "utter_referral_info",
    "ask_question_box_info": "utter_question_box_info",
    "ask_check_info": "utter_check_info",
    "bot_challenge": "utter_bot_challenge",
    "request_human": "utter_request_human",
    "bullying": "utter_bullying",
}
ROLES = ("ouder", "leerling", "medewerker")
# Dutch questions without a question mark start with a question word or the verb
# ("welk nummer heeft de school", "kan ik ook bellen"); a name or a class never does.
_QUESTION_START = re.compile(
    r"^\W*(?:en\s+|maar\s+|oh\s+|o\s+)?(?:wat|welk|welke|wie|waar|waarom|wanneer|hoe|hoeveel|"
    r"kan|kun|kunt|kunnen|mag|mogen|moet|moeten|is|zijn|heeft|hebben|wordt|worden|krijg|krijgt|"
    r"gaat|gaan|weet|doet)\b",
    re.IGNORECASE,
)


def latest_intent(tracker: Tracker) -> str | None:
    return (tracker.latest_message.get("intent") or {}).get("name")


def answer_interruption(
    dispatcher: CollectingDispatcher, tracker: Tracker, *, free_text: bool = False
) -> bool:
    """Answer a knowledge question asked instead of an answer; True if one was answered.

    For free-text questions (a name, a class) nearly anything is an answer, so only a message
    that is clearly a question (a question mark, or a question word or verb first) counts as
    an interruption there.
    """
    response = INTERRUPTION_RESPONSES.get(latest_intent(tracker) or "")
    if response is None:
        return False
    if free_text and not is_question(tracker.latest_message.get("text") or ""):
        return False
    dispatcher.utter_message(response=response)
    return True


def is_question(text: str) -> bool:
    return "?" in text or bool(_QUESTION_START.match(text))


def not_understood(
    dispatcher: CollectingDispatcher, tracker: Tracker, hint: str, *, free_text: bool = False
) -> None:
    """Answer an interruption if there was one, otherwise explain what kind of answer fits."""
    if not answer_interruption(dispatcher, tracker, free_text=free_text):
        dispatcher.utter_message(response=hint)


def role_from(value: object) -> str | None:
    """The role slot is filled by the role entity ("ouder") or by free text ("over mijn zoon")."""
    if isinstance(value, str) and value in ROLES:
        return value
    return parse_role(value) if isinstance(value, str) else None


def previous_value(tracker: Tracker, slot: str) -> object:
    """The slot's value before the latest message set it."""
    values = [
        e.get("value") for e in tracker.events if e.get("event") == "slot" and e.get("name") == slot
    ]
    return values[-2] if len(values) >= 2 else None


def validate_role(value: object, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict:
    """Who is talking, when a form asked; a stray role entity in another answer ("2 havo")
    changes nothing."""
    role = role_from(value)
    if role is not None:
        return {"role": role}
    if tracker.get_slot("requested_slot") != "role":
        return {"role": previous_value(tracker, "role")}
    not_understood(dispatcher, tracker, "utter_role_unclear")
    return {"role": None}
