"""Scripted conversations with the answer each turn must get.

An expected answer is a response of domain.yml, `Response("utter_...")`: the reply must contain
one of its variants (Rasa picks one at random; placeholders such as {check_summary} match any
text; variants whose slot conditions contradict the conversation's known slots do not count).
A plain string must appear in the reply as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import yaml

from bot.engine_process import PROJECT_ROOT


@dataclass(frozen=True)
class Response:
    name: str
    slots: dict[str, object] = field(default_factory=dict, hash=False)


Expect = str | Response


@cache
def _responses() -> dict[str, list[dict]]:
    with (PROJECT_ROOT / "domain.yml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["responses"]


def _pattern(text: str) -> re.Pattern[str]:
    parts = re.split(r"\{[a-z_]+\}", text.replace("{{", "{").replace("}}", "}"))
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


def variants(response: Response) -> list[re.Pattern[str]]:
    """Rasa's choice: a variant whose conditions all hold wins over the unconditional ones."""
    known, possible = [], []
    for variant in _responses()[response.name]:
        conditions = variant.get("condition") or []
        if all(response.slots.get(c["name"], c["value"]) == c["value"] for c in conditions):
            possible.append(_pattern(variant["text"]))
            if conditions and all(c["name"] in response.slots for c in conditions):
                known.append(possible[-1])
    assert possible, response
    return known or possible


def answered_as_expected(expected: Expect, reply: str) -> bool:
    if isinstance(expected, str):
        return expected in reply
    return any(pattern.search(reply) for pattern in variants(expected))


def parent(name: str) -> Response:
    return Response(name, {"role": "ouder"})


def student(name: str) -> Response:
    return Response(name, {"role": "leerling"})


CHECK_SLOTS = [
    "absence", "resistance", "reactions", "weekend", "parents_know", "antisocial",
    "parents_tried", "event", "mood", "duration",
]  # fmt: skip
PARENT_QUESTIONS = [parent(f"utter_ask_check_{slot}") for slot in CHECK_SLOTS]
PARENT_ANSWERS = ["ja", "ja vooral op maandag", "ja", "ja", "ja", "nee", "ja", "nee", "ja"]
PARENT_RESULT = Response("utter_check_result", {"role": "ouder", "check_outcome": "refusal_signs"})
ABOUT_WHOM = Response("utter_ask_role")
LANS = Response("utter_lans")

Script = list[tuple[str, Expect]]

# A parent's whole check: who it is about, ten questions, the signals.
PARENT_CHECK: Script = [
    ("ik wil de check doen", ABOUT_WHOM),
    ("ouder", PARENT_QUESTIONS[0]),
    *zip(PARENT_ANSWERS, PARENT_QUESTIONS[1:], strict=True),
    ("een paar maanden", PARENT_RESULT),
]

# The same with a question in the middle of the check: answered, then the same check question.
PARENT_CHECK_WITH_QUESTION: Script = [
    *PARENT_CHECK[:3],
    ("wat is lans eigenlijk?", LANS),
    *PARENT_CHECK[3:],
]

STUDENT_CHECK: Script = [
    ("ik zit in de brugklas", student("utter_how_can_i_help")),
    ("ik wil de check doen", student("utter_ask_check_absence")),
    ("ja", student("utter_ask_check_resistance")),
    ("ja", student("utter_ask_check_reactions")),
    ("nee", student("utter_ask_check_parents_know")),  # no complaints: no weekend question
    ("ja", student("utter_ask_check_antisocial")),
    ("ja", student("utter_ask_check_parents_tried")),
    ("nee", student("utter_ask_check_event")),
    ("nee", student("utter_ask_check_mood")),
    ("ja", student("utter_ask_check_duration")),
    ("een paar weken", student("utter_check_result")),
]

PARENT_STOPS_AND_STARTS_AGAIN: Script = [
    *PARENT_CHECK[:3],
    ("nee", PARENT_QUESTIONS[2]),
    ("weet ik niet", PARENT_QUESTIONS[3]),
    ("stop", parent("utter_check_stopped")),
    ("doe de check", PARENT_QUESTIONS[0]),
    ("ja", PARENT_QUESTIONS[1]),
]

QUESTIONS: Script = [
    ("hoi", Response("utter_greet")),
    ("wat is lans?", LANS),
    ("wat is de onderzoeksfase?", Response("utter_assessment")),
    ("doei", Response("utter_goodbye", {"crisis_active": False})),
]
