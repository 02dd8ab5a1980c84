"""Rasa graph component: make sure a crisis message is classified as `crisis`.

Placed after DIET and the FallbackClassifier. The intent becomes `crisis` when either
- the spaCy crisis rules (bot.nlu.crisis_rules) match, whatever DIET predicted, or
- DIET, or its blend with the linear model (bot.nlu.intent_blend), ranks `crisis` with at
  least `classifier_threshold` confidence, even when that is below the fallback threshold (a
  shaky crisis guess must not end as "I didn't understand"), unless the message is mostly
  words DIET never saw ("blorp flarp"): then its score is noise.
The kind of crisis found by the rules is added as a `crisis_signal` entity, so the crisis
action can choose the right help lines (Veilig Thuis for abuse, 113 for suicidal thoughts).
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import ENTITIES, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.crisis_rules import CrisisRules, CrisisSignal
from bot.nlu.intent_blend import DIET_RANKING
from bot.nlu.intent_override import override_intent
from bot.nlu.per_vocab import PerVocab
from bot.nlu.unknown_words_fallback import MAX_UNKNOWN_SHARE, UNKNOWN_SHARE

CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis_signal"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Overrides the intent with `crisis` when the rules or DIET say so."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"classifier_threshold": 0.4}

    def __init__(self, config: dict[str, Any]) -> None:
        self._threshold = float(config["classifier_threshold"])
        self._rules = PerVocab(CrisisRules)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisDetector:
        return cls({**cls.get_default_config(), **config})

    def _classifier_crisis_confidence(self, message: Message) -> float:
        if (message.get(UNKNOWN_SHARE) or 0.0) >= MAX_UNKNOWN_SHARE:
            return 0.0
        rankings = [message.get(INTENT_RANKING_KEY) or [], message.get(DIET_RANKING) or []]
        return max(
            (
                i.get("confidence", 0.0)
                for ranking in rankings
                for i in ranking
                if i.get("name") == CRISIS_INTENT
            ),
            default=0.0,
        )

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            signal = self._rules(doc.vocab).detect(doc) if doc is not None else None
            diet_confidence = self._classifier_crisis_confidence(message)
            if signal is None and diet_confidence < self._threshold:
                continue
            confidence = 1.0 if signal else diet_confidence
            self._mark_crisis(message, confidence, signal)
        return messages

    def _mark_crisis(
        self, message: Message, confidence: float, signal: CrisisSignal | None
    ) -> None:
        override_intent(message, CRISIS_INTENT, confidence)
        if signal is not None:
            entity = {
                "entity": CRISIS_ENTITY,
                "value": signal.kind,
                "start": signal.start,
                "end": signal.end,
                "confidence_entity": 1.0,
                "extractor": self.__class__.__name__,
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
