"""Rasa graph component: a task starts only when it is asked for, and always when it plainly is.

Parents often tell the whole story first and end with what they want ("... De mentor noemde
LANS. Ik wil haar graag aanmelden."). The classifiers weigh every word, and a story full of
complaints reads as `describe_situation`, so the referral never starts. A first-person wish to
start one of the tasks, with no negation or question about it in between, is taken as that
task's intent when the classifiers chose a situation or a knowledge answer. It never
overrules a crisis, a stop, a goodbye or a withdrawal, and a question about the task ("ik wil
weten hoe aanmelden werkt") is not a wish to start it. Placed before the crisis detector,
which always has the last word.

The other way round, a task intent the classifiers chose is taken back when the words say it
is no request: a negated wish ("ik wil haar nog niet aanmelden, alleen weten hoe het werkt"),
a question about later ("kan ik het later weer intrekken als ik aanmeld?"), a referral made
before ("ik heb hem twee weken geleden aangemeld, nog niks gehoord"), a "check" without a
word about a check or school refusal, or a pickup code without any code or answer. The message
then gets the task's explanation or the next intent of the ranking, never a form.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_override import next_in_ranking, override_intent

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


_TASK_WORD = (
    r"(?:aan\s*(?:te\s+)?melden|aanmeld\w*|opgeven|inschrijven|intrekken|verwijderen|wissen)"
)
_NEGATED = re.compile(r"\b(?:niet|geen|niks|niets)\b(?:\s+\w+){0,3}?\s+" + _TASK_WORD + r"\b")
_LATER = re.compile(
    r"\blater\b|\bals\s+(?:ik|we|wij|ze|zij|hij)\b(?:\s+\w+){0,5}?\s+(?:aanmeld|aanmelden|aangemeld)\b"
)
_PRIVACY_WORDS = re.compile(r"\b(?:intrek\w*|verwijder\w*|wis\w*|gegevens|toestemming)\b")
_DONE_BEFORE = re.compile(r"\b(?:heb|hebben|had|hadden)\b(?:\s+\w+){0,5}?\s+aangemeld\b")
_CHECK_CUE = re.compile(
    r"check|test|vragenlijst|quiz|weiger|refusal|signalen|herkennen|nagaan|\bdoe\b|\bdoen\b|"
    r"begin|start|\bis\s+dit\b|\bis\s+het\b|\bhet\s+heeft\b|\bheeft\s+(?:\w+\s+){0,2}(?:het|dit)\b|"
    r"\bweten\s+of\b|\b(?:de|die)\s+vragen\b|\bpast\s+(?:dat|dit)\b|bekijken|klopt"
)
_CODE_CUE = re.compile(
    r"\bcode|\bantwoord\b|ophaal|ophalen|opgehaald|reag|reactie|terug|beantwoord|\bvraag\b|\bvroeg\b|"
    r"answer|status|\w*\d\w*|[a-z0-9]{3,}-[a-z0-9]{3,}"
)
_QUESTION = re.compile(
    r"\?|^\W*(?:en\s+|maar\s+)?(?:kan|kun|kunt|kunnen|mag|mogen|is|hoe|wat|stel|als)\b"
)
_NOW = re.compile(r"\b(?:nu|meteen|direct|gelijk|vandaag)\b")
TASKS = frozenset({"request_referral", "withdraw_referral", "start_check", "check_answer"})


def no_request(text: str, intent: str | None) -> str | None:
    """The intent to use instead when the words say this task intent is no request.

    An empty string means: the next intent of the ranking."""
    lowered = text.lower()
    if intent in ("request_referral", "withdraw_referral"):
        about_later = (
            _LATER.search(lowered) and _QUESTION.search(lowered) and not _NOW.search(lowered)
        )
        if _NEGATED.search(lowered) or about_later:
            return "ask_privacy" if _PRIVACY_WORDS.search(lowered) else "ask_referral_info"
        if intent == "request_referral" and _DONE_BEFORE.search(lowered):
            return "ask_contact"
    if intent == "start_check" and not _CHECK_CUE.search(lowered):
        return ""
    if intent == "check_answer" and not _CODE_CUE.search(lowered):
        return ""
    return None


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
            if text.startswith("/"):
                continue
            if intent in REPLACEABLE:
                task = requested_task(text)
                if task is not None and task != intent:
                    override_intent(message, task, 1.0)
            elif intent in TASKS:
                instead = no_request(text, intent)
                if instead is not None:
                    self._take_back(message, intent, instead)
        return messages

    @staticmethod
    def _take_back(message: Message, intent: str, instead: str) -> None:
        if not instead:
            following = next_in_ranking(message, TASKS | {intent})
            instead = following["name"] if following else "nlu_fallback"
        ranking = message.get(INTENT_RANKING_KEY) or []
        score = next((i.get("confidence") for i in ranking if i.get("name") == instead), None)
        override_intent(message, instead, float(score or 0.5))

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
