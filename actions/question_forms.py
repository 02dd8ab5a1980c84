"""The anonymous question box in the conversation: leave a question for a staff member and get
a pickup code; later, read the answer with that code.

The question goes to the intake service without any name or sender id; the chat asks to
leave out names and contact details, and refuses a question with a phone number or e-mail
address in it, so the question stays anonymous.
"""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.answers import clean_text
from actions.form_support import not_understood
from actions.intake_client import (
    IntakeClient,
    IntakeRejected,
    IntakeUnavailable,
    QuestionNotFound,
)
from bot.intake.anonymity import has_contact_details
from bot.intake.reference import PICKUP_CODE_LENGTH, display, find

MAX_QUESTION = 1000


def find_pickup_code(text: str) -> str | None:
    """The pickup code in "mijn code is km7q 4xta" (or the whole message), canonical."""
    return find(text, PICKUP_CODE_LENGTH)


class ValidateQuestionForm(FormValidationAction):
    def name(self) -> str:
        return "validate_question_form"

    def validate_anonymous_question(self, value: Any, dispatcher, tracker, domain):
        question = clean_text(str(value or ""), MAX_QUESTION)
        if question is None:
            not_understood(dispatcher, tracker, "utter_question_unclear", free_text=True)
        elif has_contact_details(question):
            dispatcher.utter_message(response="utter_question_personal")
            question = None
        return {"anonymous_question": question}


class ActionSubmitQuestion(Action):
    def name(self) -> str:
        return "action_submit_question"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        question = tracker.get_slot("anonymous_question")
        try:
            code = await asyncio.to_thread(IntakeClient.from_env().submit_question, question)
        except (IntakeUnavailable, IntakeRejected):
            dispatcher.utter_message(response="utter_question_unavailable")
        else:
            dispatcher.utter_message(response="utter_question_received", code=code)
        # The question leaves the conversation state either way.
        return [SlotSet("anonymous_question", None)]


class ValidateAnswerForm(FormValidationAction):
    def name(self) -> str:
        return "validate_answer_form"

    def validate_pickup_code(self, value: Any, dispatcher, tracker, domain):
        code = find_pickup_code(str(value or ""))
        if code is not None:
            return {"pickup_code": display(code)}
        # Only a message that answers "wat is je code?" gets the hint; "antwoord ophalen"
        # without a code simply leads to that question.
        if tracker.get_slot("requested_slot") == "pickup_code":
            not_understood(dispatcher, tracker, "utter_pickup_code_unclear", free_text=True)
        return {"pickup_code": None}


class ActionCheckAnswer(Action):
    def name(self) -> str:
        return "action_check_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        code = tracker.get_slot("pickup_code") or ""
        try:
            answer = await asyncio.to_thread(IntakeClient.from_env().question_answer, code)
        except QuestionNotFound:
            dispatcher.utter_message(response="utter_question_code_unknown")
        except (IntakeUnavailable, IntakeRejected):
            dispatcher.utter_message(response="utter_question_unavailable_answer")
        else:
            if answer:
                dispatcher.utter_message(response="utter_question_answered", answer=answer)
            else:
                dispatcher.utter_message(response="utter_question_waiting")
        return [SlotSet("pickup_code", None)]
