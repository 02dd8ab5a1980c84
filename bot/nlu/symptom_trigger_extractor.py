"""Rasa graph component: a lexicon extractor for `symptom` and `trigger` over spaCy lemmas.

It runs after DIET. DIET learns the entities from the annotated examples and generalises to
new wordings; this extractor is certain about the words in bot.nlu.lexicon, including
misspellings, and always yields canonical values. Where both find an entity on overlapping
text, the lexicon's canonical entity replaces DIET's.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import SPACY_DOCS
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from spacy.matcher import Matcher
from spacy.tokens import Doc

from bot.nlu.lexicon import SYMPTOMS, TRIGGERS
from bot.nlu.per_vocab import PerVocab
from bot.nlu.phrase_patterns import build_lexicon_matcher

LEXICON_ENTITIES = {"symptom": SYMPTOMS, "trigger": TRIGGERS}


def find_lexicon_entities(doc: Doc, matcher: Matcher) -> list[dict[str, Any]]:
    """Longest non-overlapping lexicon matches as Rasa entity dicts."""
    spans = []
    for match_id, start, end in matcher(doc):
        entity, value = doc.vocab.strings[match_id].split("|", 1)
        spans.append((start, end, entity, value))
    # Prefer longer matches ("pijn in mn buik" over "buik"), then earlier ones.
    spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
    taken: set[int] = set()
    entities = []
    for start, end, entity, value in spans:
        if taken.intersection(range(start, end)):
            continue
        taken.update(range(start, end))
        span = doc[start:end]
        entities.append(
            {
                "entity": entity,
                "value": value,
                "start": span.start_char,
                "end": span.end_char,
                "confidence_entity": 1.0,
            }
        )
    return sorted(entities, key=lambda e: e["start"])


def merge_entities(
    existing: list[dict[str, Any]], found: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Combine DIET's entities with the lexicon's.

    A DIET symptom or trigger is kept only when its value is canonical (a value the
    responses can name) and no lexicon match covers the same text.
    """

    def overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
        return a["start"] < b["end"] and b["start"] < a["end"]

    def keep(e: dict[str, Any]) -> bool:
        lexicon = LEXICON_ENTITIES.get(e.get("entity", ""))
        if lexicon is None:
            return True
        return e.get("value") in lexicon and not any(overlaps(e, f) for f in found)

    kept = [e for e in existing if keep(e)]
    return sorted(kept + found, key=lambda e: e.get("start", 0))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class SymptomTriggerExtractor(GraphComponent, EntityExtractorMixin):
    """Finds symptoms and triggers with a spaCy Matcher over LOWER and LEMMA."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._config = config
        self._matcher = PerVocab(lambda vocab: build_lexicon_matcher(vocab, LEXICON_ENTITIES))

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SymptomTriggerExtractor:
        return cls(config)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            doc = message.get(SPACY_DOCS[TEXT])
            if doc is None:
                continue
            found = self.add_extractor_name(find_lexicon_entities(doc, self._matcher(doc.vocab)))
            merged = merge_entities(message.get(ENTITIES, []), found)
            message.set(ENTITIES, merged, add_to_output=True)
        return messages

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data
