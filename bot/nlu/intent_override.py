"""The one way our NLU components overrule the classifiers' intent."""

from __future__ import annotations

from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


def override_intent(message: Message, name: str, confidence: float) -> None:
    """Make `name` the intent and put it first in the ranking, keeping the others' scores
    (the dialogue and later components still see what the classifiers said)."""
    intent = {"name": name, "confidence": confidence}
    ranking = [i for i in message.get(INTENT_RANKING_KEY) or [] if i.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


def next_in_ranking(message: Message, excluded: frozenset[str] | set[str]) -> dict | None:
    """The best-ranked intent that is not one of `excluded`, with its score."""
    ranking = message.get(INTENT_RANKING_KEY) or []
    return next((i for i in ranking if i.get("name") not in excluded), None)
