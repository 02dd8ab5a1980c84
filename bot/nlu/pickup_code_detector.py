"""Rasa graph component: a message that is only a pickup code means "here is my code".

A student asked "wat is je code?" types back "7nm7-ekkg". To DIET that is a string of
characters it never saw, and it may rank it as any intent: once it read one as `goodbye`,
which ends the answer form. A message that is nothing but a code is therefore classified
as `check_answer` with the code as the `pickup_code` entity, whatever DIET said. It must be
written as a code, two halves of four, and hold a digit or a dash: eight letters from the
code alphabet can be a word ("verdacht"), and "3 maanden" answers a question of the referral.

Placed after the fallback components (they would call the code gibberish) and before the
crisis detector, which always has the last word.

The same holds for a message that is only a phone number or an e-mail address (the answer to
the referral's contact question): it is never a goodbye, a stop or a greeting, whatever DIET
says; the best-ranked other intent is taken.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.intake.reference import LENGTH, PICKUP_CODE_LENGTH, display, parse
from bot.nlu.intent_override import next_in_ranking, override_intent

CHECK_ANSWER_INTENT = "check_answer"
# What a bare answer to a form's question (a phone number, an e-mail address, a reference) is
# never: an ending, or a request for another task (the running form would let go of it).
ENDING_INTENTS = frozenset(
    {
        "goodbye",
        "stop",
        "greet",
        "thank",
        "request_referral",
        "start_check",
        "ask_anonymous_question",
    }
)
_BARE_CONTACT = re.compile(r"\s*(?:[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\+?[\d][\d\s\-()]{7,})\s*[.!]?\s*")
PICKUP_CODE_ENTITY = "pickup_code"
_WRITTEN_AS_CODE = re.compile(r"[A-Za-z0-9]{4}([\s\-_.]{0,3})[A-Za-z0-9]{4}")
_WRITTEN_AS_REFERENCE = re.compile(r"[A-Za-z0-9]{3}[\s\-_.]{0,3}[A-Za-z0-9]{3}")


def bare_pickup_code(text: str) -> str | None:
    """The canonical code when the whole message is one, else None."""
    text = text.strip().rstrip(".!?")
    written = _WRITTEN_AS_CODE.fullmatch(text)
    code = parse(text, PICKUP_CODE_LENGTH) if written else None
    if code is None or not (any(c.isdigit() for c in code) or "-" in written[1]):
        return None
    return code


def bare_reference(text: str) -> bool:
    """The whole message is a referral's reference ("k7m-4qx"), written as one."""
    text = text.strip().rstrip(".!?")
    if not (_WRITTEN_AS_REFERENCE.fullmatch(text) and parse(text, LENGTH)):
        return False
    return any(c.isdigit() for c in text) or "-" in text  # "dankje" is no reference


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PickupCodeDetector(GraphComponent, IntentClassifier):
    """Classifies a bare pickup code as `check_answer` and extracts it."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PickupCodeDetector:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            code = bare_pickup_code(message.get(TEXT) or "")
            if code is not None:
                self._mark_code(message, code)
            elif _BARE_CONTACT.fullmatch(message.get(TEXT) or "") or bare_reference(
                message.get(TEXT) or ""
            ):
                self._not_an_ending(message)
        return messages

    @staticmethod
    def _not_an_ending(message: Message) -> None:
        intent = (message.get(INTENT) or {}).get("name")
        if intent not in ENDING_INTENTS:
            return
        other = next_in_ranking(message, ENDING_INTENTS)
        if other is not None:
            override_intent(message, other["name"], float(other.get("confidence") or 0.0))

    def _mark_code(self, message: Message, code: str) -> None:
        override_intent(message, CHECK_ANSWER_INTENT, 1.0)
        text = message.get(TEXT)
        entity = {
            "entity": PICKUP_CODE_ENTITY,
            "value": display(code),
            "start": len(text) - len(text.lstrip()),
            "end": len(text.rstrip()),
            "confidence_entity": 1.0,
            "extractor": self.__class__.__name__,
        }
        others = [e for e in message.get(ENTITIES, []) if e.get("entity") != PICKUP_CODE_ENTITY]
        message.set(ENTITIES, [*others, entity], add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
