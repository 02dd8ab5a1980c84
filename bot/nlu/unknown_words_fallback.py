"""Rasa graph component: "I did not understand" when a message is mostly unknown words.

DIET gives gibberish ("blorp flarp", "asdfgh") a confident intent, because softmax always
picks something. This component remembers the words (texts and spaCy lemmas) of the
training data and turns a message into `nlu_fallback` when most of its words were never
seen. It sits before the crisis detector, so a crisis is never lost to it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_override import override_intent

VOCABULARY_FILE = "vocabulary.json"
# Set on each message, so that the crisis detector can tell noise from words.
UNKNOWN_SHARE = "unknown_word_share"
MAX_UNKNOWN_SHARE = 0.7


def squeeze(word: str) -> str:
    """Lower case with repeated letters collapsed: "Hoiii" and "hoi" are the same word."""
    return re.sub(r"(.)\1+", r"\1", word.lower())


def words(tokens: list[Token]) -> list[Token]:
    """Tokens that are words (codes, numbers and emoji are judged by DIET alone)."""
    return [t for t in tokens if t.text.isalpha()]


# A lone unknown word this long is a name or other content, not a typo of a short reply.
LONE_WORD_LETTERS = 5


def unknown_share(tokens: list[Token], vocabulary: set[str], min_words: int = 2) -> float:
    """Share of unknown words; 0 for very short messages, where DIET's n-grams judge better.

    Except a lone long unknown word ("Roelofje", the answer to "what is her first name?"):
    the classifiers' n-grams give it a confident but meaningless intent (goodbye, affirm).
    """
    candidates = words(tokens)
    if len(candidates) == 1 and len(candidates[0].text) >= LONE_WORD_LETTERS:
        return float(_unknown(candidates[0], vocabulary))
    if len(candidates) < min_words:
        return 0.0
    return sum(_unknown(t, vocabulary) for t in candidates) / len(candidates)


def _unknown(token: Token, vocabulary: set[str]) -> bool:
    return squeeze(token.text) not in vocabulary and squeeze(token.lemma) not in vocabulary


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class UnknownWordsFallback(GraphComponent, IntentClassifier):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"max_unknown_share": MAX_UNKNOWN_SHARE, "min_words": 2}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: set[str] | None = None,
    ) -> None:
        self._max_unknown = float(config["max_unknown_share"])
        self._min_words = int(config["min_words"])
        self._storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> UnknownWordsFallback:
        return cls({**cls.get_default_config(), **config}, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        for message in training_data.training_examples:
            for token in message.get(TOKENS_NAMES[TEXT]) or []:
                self.vocabulary.update({squeeze(token.text), squeeze(token.lemma)})
        with self._storage.write_to(self._resource) as path:
            (path / VOCABULARY_FILE).write_text(json.dumps(sorted(self.vocabulary)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> UnknownWordsFallback:
        with model_storage.read_from(resource) as path:
            vocabulary = set(json.loads((path / VOCABULARY_FILE).read_text()))
        return cls({**cls.get_default_config(), **config}, model_storage, resource, vocabulary)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            tokens = message.get(TOKENS_NAMES[TEXT]) or []
            share = unknown_share(tokens, self.vocabulary, self._min_words)
            message.set(UNKNOWN_SHARE, share)
            if share < self._max_unknown:
                continue
            if message.get(INTENT, {}).get("name") == DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            override_intent(message, DEFAULT_NLU_FALLBACK_INTENT_NAME, 1.0)
        return messages
