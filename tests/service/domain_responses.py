"""The response variations of domain.yml, for tests that check what the assistant said.

Most responses have two or more variations and Rasa picks one at random, so a test that
asserts a phrase of only one of them fails now and then (CI did, on utter_ask_role's "wie
schrijft"). Check a reply against the response instead:

    assert_says(reply, "utter_ask_child_age", role="ouder")  # one of its variations was said
    assert_shared(reply, "113", "utter_crisis_stay", role="ouder")  # in every variation

`variations()` chooses the candidates as Rasa 3.6's ResponseVariationFilter does for the REST
channel (conditions on slots; slots not named are empty), and
tests/engine/test_response_variations.py checks that it agrees with Rasa's own filter for
every response. `assert_shared` fails on every run, not one run in two, when the phrase is
missing from a variation that could be chosen. (tests/service/production/scripts.py has the
same idea for its scripted conversations, with slots that may be left unknown.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DOMAIN = Path(__file__).resolve().parents[2] / "domain.yml"
CHANNEL = "rest"  # what bot/engine/help_line_channel.py registers; Telegram and web relay to it
PLACEHOLDER = re.compile(r"(\{\w+\})")
Reply = str | list[dict[str, Any]]


@cache
def responses() -> dict[str, list[dict[str, Any]]]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]


def _matches(variation: dict[str, Any], slots: dict[str, Any]) -> bool:
    for condition in variation.get("condition") or []:
        filled, wanted = slots.get(condition["name"]), condition["value"]
        if isinstance(filled, str) and isinstance(wanted, str):
            if filled.casefold() != wanted.casefold():
                return False
        elif filled != wanted:
            return False
    return True


def variations(name: str, channel: str = CHANNEL, **slots: Any) -> list[dict[str, Any]]:
    """The variations of `name` Rasa chooses from with these slot values: conditional ones whose
    conditions hold before unconditional ones, this channel's before those for any channel."""
    assert name in responses(), f"{name} is not a response in domain.yml"
    every = responses()[name]
    conditional = [v for v in every if v.get("condition") and _matches(v, slots)]
    default = [v for v in every if not v.get("condition")]
    for group, wanted in (
        (conditional, channel),
        (default, channel),
        (conditional, None),
        (default, None),
    ):
        chosen = [v for v in group if v.get("channel") == wanted]
        if chosen:
            return chosen
    return []


def texts(name: str, **slots: Any) -> list[str]:
    return [v.get("text") or "" for v in variations(name, **slots)]


def text_of(reply: Reply) -> str:
    """All texts of a reply (the REST channel's messages, or text already joined)."""
    if isinstance(reply, str):
        return reply
    return "\n".join(m.get("text") or "" for m in reply)


def pattern(text: str) -> re.Pattern[str]:
    """A variation's text as a pattern: {slot} placeholders match any text, and any run of
    white space matches any other (the channels strip and split messages)."""
    parts = PLACEHOLDER.split(text.replace("{{", "{").replace("}}", "}"))
    regex = [
        ".+?" if PLACEHOLDER.fullmatch(part) else r"\s+".join(map(re.escape, part.split()))
        for part in parts
    ]
    return re.compile(r"\s*".join(r for r in regex if r), re.DOTALL)


def said(reply: Reply, name: str, **slots: Any) -> bool:
    """True when the reply contains one of the variations Rasa could have chosen."""
    text = text_of(reply)
    return any(pattern(t).search(text) for t in texts(name, **slots))


def assert_says(reply: Reply, name: str, **slots: Any) -> None:
    """The reply contains one of the variations of `name` for these slot values."""
    assert said(reply, name, **slots), (
        f"none of the {len(texts(name, **slots))} variations of {name} "
        f"(slots {slots}) is in the reply:\n{text_of(reply)}"
    )


def _fold(text: str, case: bool) -> str:
    return text if case else text.casefold()


def missing_from(literal: str, name: str, *, case: bool = True, **slots: Any) -> list[str]:
    """The variations Rasa could choose that lack `literal` (case=False: in any case)."""
    return [t for t in texts(name, **slots) if _fold(literal, case) not in _fold(t, case)]


def assert_shared(
    reply: Reply, literal: str, name: str, *, case: bool = True, **slots: Any
) -> None:
    """`literal` is in the reply and in every variation of `name` for these slot values, so
    the assertion holds whichever variation Rasa picks (checked against domain.yml each run)."""
    missing = missing_from(literal, name, case=case, **slots)
    assert not missing, (
        f"{literal!r} is not in every variation of {name} (slots {slots}), so the test would "
        f"pass or fail at random; assert something all of them share. Missing from: {missing}"
    )
    text = text_of(reply)
    assert _fold(literal, case) in _fold(text, case), f"{literal!r} ({name}) is not in:\n{text}"


def payloads(reply: list[dict[str, Any]]) -> list[str]:
    """The button payloads of a reply, in order."""
    return [b["payload"] for m in reply for b in m.get("buttons") or []]
