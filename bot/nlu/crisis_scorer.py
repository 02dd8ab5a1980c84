"""Rasa graph component: a dedicated crisis model beside the rules and the intent classifiers.

The intent classifiers split their confidence over 30-odd intents, so a crisis message written
in words they never saw can end with a low crisis share. This is a binary tf-idf logistic
regression (crisis or not) over the same sparse features, with balanced class weights so that
the few hundred crisis examples weigh as much as the thousands of others: tuned for recall.
Its probability goes on the message as `crisis_probability`; the CrisisDetector decides.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.featurizer import Featurizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.intent_blend import LinearIntentModel, labelled_bags, sentence_bag, store, stored

ARRAYS_FILE = "crisis_model.npz"
CRISIS_PROBABILITY = "crisis_probability"
CRISIS, OTHER = "crisis", "other"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class CrisisScorer(GraphComponent):
    @classmethod
    def required_components(cls) -> list[type]:
        return [Featurizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"C": 10.0}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        model: LinearIntentModel | None = None,
    ) -> None:
        self._c = float({**self.get_default_config(), **config}["C"])
        self._storage = model_storage
        self._resource = resource
        self.model = model

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> CrisisScorer:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        labelled = labelled_bags(training_data, lambda i: CRISIS if i == CRISIS else OTHER)
        if labelled is None:
            return self._resource
        self.model = LinearIntentModel.fit(*labelled, self._c, "balanced")
        store(self.model, self._storage, self._resource, ARRAYS_FILE)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> CrisisScorer:
        # Trained without crisis examples: the rules and the classifiers decide.
        return cls(config, model_storage, resource, stored(model_storage, resource, ARRAYS_FILE))

    def process(self, messages: list[Message]) -> list[Message]:
        if self.model is None:
            return messages
        crisis_column = self.model.intents.index(CRISIS)
        for message in messages:
            if message.get(TEXT) and (bag := sentence_bag(message)) is not None:
                probability = float(self.model.probabilities(bag)[crisis_column])
                message.set(CRISIS_PROBABILITY, round(probability, 4), add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
