"""Dutch phrases for canonical entity values, used to reflect what a user described."""

from __future__ import annotations

SYMPTOM_PHRASES: dict[str, str] = {
    "buikpijn": "buikpijn",
    "hoofdpijn": "hoofdpijn",
    "misselijk": "misselijkheid",
    "overgeven": "overgeven",
    "moe": "vermoeidheid",
    "slecht slapen": "slecht slapen",
    "angstig": "angst",
    "paniek": "paniek",
    "somber": "een sombere stemming",
    "huilen": "veel huilen",
    "boos": "boosheid",
    "duizelig": "duizeligheid",
}

TRIGGER_PHRASES: dict[str, str] = {
    "overlijden": "een overlijden",
    "scheiding": "een scheiding",
    "nieuwe school": "de overstap naar een nieuwe school",
    "verhuizing": "een verhuizing",
    "pesten": "pesten",
    "ziekte": "een periode van ziekte",
    "toetsen": "de druk van toetsen",
    "ruzie": "ruzie",
}


def join_dutch(items: list[str]) -> str:
    """["a", "b", "c"] -> "a, b en c"."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} en {items[-1]}"


def describe(values: list[str], phrases: dict[str, str]) -> str:
    """Phrase for the distinct values, in the order the user named them."""
    unique = list(dict.fromkeys(values))
    return join_dutch([phrases.get(v, v) for v in unique])
