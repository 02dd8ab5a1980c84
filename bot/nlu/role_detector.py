"""Rasa graph component: the `role` entity from what the message says (bot.nlu.role_cues).

DIET learns the role entity from the annotated examples ("ik ben de moeder"), but misses
the ways people show who they are without naming it: a child ("mijn zoon"), an age ("ik ben
14"), a job ("mentor van 2b"). Where the cues are clear, this component's role replaces
DIET's; the `role` slot follows the entity, so a correction ("ik ben trouwens de vader")
changes the register at once.

Without a cue, DIET's role entity counts only in a message that is about who writes
(inform_role): elsewhere it tags words like "moeder" in a student's "mijn moeder is ziek",
and the register of every answer after it would flip. A role entity whose value is no role
at all ("2 havo", "0612": answers to a form's class or phone question) is always dropped.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_NAME_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.role_cues import role_from_text

ROLE = "role"
INFORM_ROLE = "inform_role"
ROLES = frozenset({"ouder", "leerling", "medewerker"})


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class RoleDetector(GraphComponent, EntityExtractorMixin):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RoleDetector:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):  # a button: its payload says the role
                continue
            found = role_from_text(text)
            if found is None:
                entities = message.get(ENTITIES, [])
                trusted = intent_of(message) == INFORM_ROLE
                kept = [
                    e
                    for e in entities
                    if e.get("entity") != ROLE or (trusted and e.get("value") in ROLES)
                ]
                if len(kept) != len(entities):
                    message.set(ENTITIES, kept, add_to_output=True)
                continue
            role, match = found
            entity = {
                "entity": ROLE,
                "value": role,
                "start": match.start(),
                "end": match.end(),
                "confidence_entity": 1.0,
            }
            others = [e for e in message.get(ENTITIES, []) if e.get("entity") != ROLE]
            entities = sorted([*others, *self.add_extractor_name([entity])], key=start_of)
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def intent_of(message: Message) -> str | None:
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


def start_of(entity: dict[str, Any]) -> int:
    return int(entity.get("start", 0))
