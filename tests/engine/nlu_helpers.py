"""Run a custom component on a message the way Rasa does, with a real spaCy doc."""

from __future__ import annotations

from typing import Any

from rasa.nlu.constants import SPACY_DOCS
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message


def message(nlp, text: str, **data: Any) -> Message:
    msg = Message(data={TEXT: text, **data})
    msg.set(SPACY_DOCS[TEXT], nlp(text))
    return msg
