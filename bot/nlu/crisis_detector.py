"""Rasa graph component: make sure a crisis message is classified as `crisis`.

Placed last, after the classifiers and the FallbackClassifier. Three detectors vote, so that
detection never rests on one classifier alone:
- the spaCy crisis rules (bot.nlu.crisis_rules), organised by the kinds of
  docs/crisis-taxonomy.md: a match is a crisis;
- the dedicated binary crisis model (bot.nlu.crisis_scorer, `crisis_probability`);
- DIET's blend with the linear model (bot.nlu.intent_blend) ranking `crisis`.
The classifiers decide a crisis on their own only when very sure (`classifier_threshold`,
`scorer_threshold`) or when both are fairly sure (`agreement_*`); measured: trained on
hundreds of crisis examples in teen language, each alone is also sure of ordinary teen
messages at lower scores, and never for a figure of speech, a
joke or a story (CrisisRules.figurative). Below that, in the band where one of them is at
least `classifier_check_threshold` or `check_threshold` sure, or the rules' softer "concern"
patterns match, the message keeps its own intent (the question gets its answer) and is
marked `crisis_check`: the reply then ends with one calm line with 113 and 112
(bot/engine/help_line_channel.py). Scores of messages made mostly of words the model never
saw ("blorp flarp") are noise and are ignored.
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
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.crisis_rules import CrisisRules, CrisisSignal
from bot.nlu.crisis_scorer import CRISIS_PROBABILITY
from bot.nlu.intent_blend import DIET_RANKING
from bot.nlu.intent_override import override_intent
from bot.nlu.per_vocab import PerVocab
from bot.nlu.unknown_words_fallback import MAX_UNKNOWN_SHARE, UNKNOWN_SHARE

CRISIS_INTENT = "crisis"
CRISIS_ENTITY = "crisis_signal"
CRISIS_CHECK = "crisis_check"
CRISIS_SCORES = "crisis_scores"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Overrides the intent with `crisis` when the rules or DIET say so."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {
            "classifier_threshold": 0.9,
            "scorer_threshold": 0.95,
            "classifier_check_threshold": 0.2,
            "check_threshold": 0.3,
            "agreement_classifier_threshold": 0.85,
            "agreement_scorer_threshold": 0.6,
        }

    def __init__(self, config: dict[str, Any]) -> None:
        self._threshold = float(config["classifier_threshold"])
        self._classifier_check = float(config["classifier_check_threshold"])
        self._agreement = (
            float(config["agreement_classifier_threshold"]),
            float(config["agreement_scorer_threshold"]),
        )
        self._scorer_threshold = float(config["scorer_threshold"])
        self._check_threshold = float(config["check_threshold"])
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

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            rules = self._rules(doc.vocab) if doc is not None else None
            signal = rules.detect(doc) if rules else None
            if signal is not None:
                self._mark_crisis(message, 1.0, signal)
                continue
            if (message.get(UNKNOWN_SHARE) or 0.0) >= MAX_UNKNOWN_SHARE:
                continue
            scores = self._scores(message)
            message.set(CRISIS_SCORES, scores, add_to_output=True)
            blend, model = scores["blend"], scores["model"]
            sure = (
                blend >= self._threshold
                or model >= self._scorer_threshold
                or (blend >= self._agreement[0] and model >= self._agreement[1])
            )
            figurative = bool(rules and rules.figurative(doc))
            if sure and not figurative:
                self._mark_crisis(message, max(blend, model), None)
                continue
            self._keep_to_the_question(message)
            unsure = blend >= self._classifier_check or model >= self._check_threshold
            if sure or unsure or (rules and rules.concern(doc)):
                message.set(CRISIS_CHECK, True, add_to_output=True)
        return messages

    @staticmethod
    def _scores(message: Message) -> dict[str, float]:
        """Each vote, for the evaluation report (reports/crisis.md) and for tuning."""

        def crisis_in(ranking: list[dict[str, Any]] | None) -> float:
            return max(
                (i["confidence"] for i in ranking or [] if i["name"] == CRISIS_INTENT), default=0.0
            )

        return {
            "blend": round(crisis_in(message.get(INTENT_RANKING_KEY)), 4),
            "diet": round(crisis_in(message.get(DIET_RANKING)), 4),
            "model": round(float(message.get(CRISIS_PROBABILITY) or 0.0), 4),
        }

    @staticmethod
    def _keep_to_the_question(message: Message) -> None:
        """A figure of speech the classifiers took for a crisis: answer what else was asked."""
        if (message.get(INTENT) or {}).get("name") != CRISIS_INTENT:
            return
        others = [i for i in message.get(INTENT_RANKING_KEY) or [] if i["name"] != CRISIS_INTENT]
        if others:
            override_intent(message, others[0]["name"], others[0]["confidence"])

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
