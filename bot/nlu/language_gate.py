"""Rasa graph component: notice a message in a language the assistant does not speak.

The assistant talks Dutch. A parent who writes English (or Turkish, Arabic, Polish...) would
otherwise get Dutch answers or the Dutch fallback, a dead end for them. This component marks
such a message with `language` (an ISO 639-1 code) in the parse; the REST channel then adds a
short reply in English with the school's contact and the help lines
(bot/engine/help_line_channel.py, utter_other_language). The intent is left alone: an English
question DIET understands still gets its (Dutch) answer, and a crisis its crisis answer.

Language detection is lingua's (offline, built for short texts), limited to the languages
families in the region write. Dutch teen messages mix in English words ("this exam week is
killing me, ik slaap nauwelijks"), so a message counts as another language only when lingua
is clearly sure, it has at least three words and not a single common Dutch word.
"""

from __future__ import annotations

import re
from typing import Any

from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

LANGUAGE = "language"
LANGUAGES = (
    Language.DUTCH,
    Language.ENGLISH,
    Language.GERMAN,
    Language.FRENCH,
    Language.SPANISH,
    Language.POLISH,
    Language.TURKISH,
    Language.ARABIC,
    Language.UKRAINIAN,
    Language.SOMALI,
)
_DUTCH = "ik je jij het een van wat dat niet nie mijn mn ook voor naar moet doen hoe waarom"
DUTCH_WORDS = frozenset(f"{_DUTCH} maar wel geen zijn heeft hebben kan wil graag hoi".split())
WORD = re.compile(r"\w+")


def build_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def other_language(detector: LanguageDetector, text: str) -> str | None:
    """The ISO code of the message's language when it is clearly not Dutch, else None."""
    words = [w.lower() for w in WORD.findall(text)]
    if len(words) < 3 or DUTCH_WORDS.intersection(words):
        return None
    confidences = detector.compute_language_confidence_values(text)
    top = confidences[0]
    dutch = next((c.value for c in confidences if c.language == Language.DUTCH), 0.0)
    if top.language == Language.DUTCH or top.value < 0.6 or top.value < 4 * dutch:
        return None
    return top.language.iso_code_639_1.name.lower()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class LanguageGate(GraphComponent):
    def __init__(self) -> None:
        self._detector: LanguageDetector | None = None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageGate:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button's payload
                continue
            if self._detector is None:  # built on first use: the models load lazily
                self._detector = build_detector()
            language = other_language(self._detector, text)
            if language is not None:
                message.set(LANGUAGE, language, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
