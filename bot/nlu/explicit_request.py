"""Rasa graph component: a plain "ik wil ... aanmelden" is a request, however long the story.

Parents often tell the whole story first and end with what they want ("... De mentor noemde
LANS. Ik wil haar graag aanmelden."). The classifiers weigh every word, and a story full of
complaints reads as `describe_situation`, so the referral never starts. A first-person wish to
start one of the tasks, with no negation or question about it in between, is taken as that
task's intent when the classifiers chose a situation or a knowledge answer. It never
overrules a crisis, a stop, a goodbye or a withdrawal, and a question about the task ("ik wil
weten hoe aanmelden werkt") is not a wish to start it. Placed before the crisis detector,
which always has the last word.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_override import override_intent

# Intents a clear wish may replace: the story around it, or a knowledge answer it mentions.
REPLACEABLE = frozenset(
    {
        "describe_situation",
        "student_distress",
        "bullying",
        "affirm",
        "inform_role",
        "nlu_fallback",
        "out_of_scope",
        "ask_lans",
        "ask_eligibility",
        "ask_referral_info",
        "ask_check_info",
        "ask_question_box_info",
        "ask_parent_tips",
    }
)
# "ik wil" (or "wij willen", "ik zou graag ... willen") and then at most a few words that are
# no negation, doubt or question word, then the task's verb at the end of the clause.
_WISH = r"\b(?:ik\s+wil(?:de)?|wij\s+willen|we\s+willen|ik\s+zou\s+(?:\w+\s+){0,4}?willen)\s+"
_FILLER = (
    r"(?:(?!niet|geen|nog\s+niet|weten|vragen\s+of|hoe|wat|of\b|eerst\s+weten)\w+[,]?\s+){0,5}?"
)
REQUESTS = (
    (
        "request_referral",
        re.compile(
            _WISH + _FILLER + r"(?<!het )(?:aanmelden|aan\s+melden|opgeven|inschrijven)\b(?!\s*\?)"
        ),
    ),
    (
        "start_check",
        re.compile(
            _WISH + _FILLER + r"(?:de|die|een|jullie)\s+(?:korte\s+)?(?:check|test|vragenlijst)"
            r"\s+(?:doen|invullen|maken)\b"
        ),
    ),
    (
        "ask_anonymous_question",
        re.compile(
            _WISH + _FILLER + r"(?:anoniem\s+(?:\w+\s+){0,3}?vragen\b|(?:een\s+)?anonieme\s+vraag"
            r"\s+(?:stellen|sturen))"
        ),
    ),
)


def requested_task(text: str) -> str | None:
    """The task the message plainly asks to start, if any."""
    lowered = text.lower()
    for intent, pattern in REQUESTS:
        if pattern.search(lowered):
            return intent
    return None


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class ExplicitRequest(GraphComponent, IntentClassifier):
    """Takes a plainly stated wish to start a task as that task's intent."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExplicitRequest:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if text.startswith("/") or intent not in REPLACEABLE:
                continue
            task = requested_task(text)
            if task is not None and task != intent:
                override_intent(message, task, 1.0)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
