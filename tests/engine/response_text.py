"""What the assistant says, as sentences: the response variations of domain.yml and the fixed
texts the custom actions put into them. Shared by test_sources.py (every sentence has a source)
and test_readability.py (every variation is plain Dutch).

The sentence splitter knows Dutch abbreviations ("bijv.", "o.a.", "d.w.z."), web addresses
("113.nl", "www.berkenschutse.nl"), list lines ("- buikpijn") and {slot} placeholders, which
are never split and never counted as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOMAIN = ROOT / "domain.yml"

PLACEHOLDER = re.compile(r"\{\w+\}")
# Abbreviations after which a full stop does not end the sentence (lower case, without the
# final dot). Dutch style guides write most of them with dots between the letters.
ABBREVIATIONS = {
    "bijv",
    "bv",
    "b.v",
    "o.a",
    "d.w.z",
    "i.p.v",
    "m.b.v",
    "m.b.t",
    "t.a.v",
    "t.o.v",
    "z.s.m",
    "e.d",
    "enz",
    "etc",
    "evt",
    "ca",
    "incl",
    "excl",
    "nr",
    "tel",
    "max",
    "min",
    "mr",
    "dr",
    "drs",
    "ing",
    "vs",
    "jl",
    "resp",
    "t/m",
}
_END = re.compile(
    r"""(?P<end>[.!?…]+["'”’)]*)   # the end mark, with a closing quote or bracket
        \s+                       # then white space
        (?=["'“‘(]?[A-Z0-9ÀÉÈËÏÖÜ{])  # and a capital, a digit or a placeholder
    """,
    re.VERBOSE,
)
# A placeholder that stands for a whole sentence ("{fact} Meer weten?").
_AFTER_PLACEHOLDER = re.compile(r"(?<=\})\s+(?=[A-Z])")
_LIST_MARK = re.compile(r"^\s*(?:[-•*]|\d+[.)])\s+")


@dataclass(frozen=True)
class Variation:
    """One text the assistant can say: a response variation or an action's fixed text."""

    response: str
    index: int
    conditions: tuple[tuple[str, str], ...]
    text: str

    @property
    def label(self) -> str:
        cond = ",".join(f"{k}={v}" for k, v in self.conditions) or "default"
        return f"{self.response}[{self.index}] ({cond})"


def normalise(text: str) -> str:
    """One space between words, no list mark, no surrounding space."""
    return re.sub(r"\s+", " ", _LIST_MARK.sub("", text)).strip()


def _ends_in_abbreviation(chunk: str) -> bool:
    last = chunk.rstrip(".!?…\"'”’)").split()[-1:] or [""]
    return last[0].lower() in ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, in order, each normalised (see normalise)."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = normalise(line)
        if not line:
            continue
        pieces: list[str] = []
        start = 0
        for match in _END.finditer(line):
            chunk = line[start : match.end("end")]
            if _ends_in_abbreviation(chunk):
                continue
            pieces.append(chunk)
            start = match.end()
        pieces.append(line[start:])
        for piece in pieces:
            sentences += [p.strip() for p in _AFTER_PLACEHOLDER.split(piece) if p.strip()]
    return sentences


# A number as written: digits, and a phone number's or range's parts joined by a hyphen
# ("0800-0113", "10-15"). Codes that mix letters and digits ("K7M-4QX") are not numbers.
_NUMBER = re.compile(r"(?<![\w-])\d+(?:[-–]\d+)*(?![\w-])")


def numbers(text: str) -> list[str]:
    """The numbers in a text, placeholders left out; "10 tot 15" gives 10 and 15."""
    return _NUMBER.findall(PLACEHOLDER.sub(" ", text))


def number_in(number: str, text: str) -> bool:
    """Whether a number occurs in a source text: whole, or (a plain number) as part of a range.
    The source is read leniently: "mbo-2+" holds 2, "5th" holds 5, "8–18" holds 8 and 18."""
    found = re.findall(r"\d+(?:[-–]\d+)*", text)
    if number in found:
        return True
    if "-" in number or "–" in number:
        return False
    return any(number in re.split(r"[-–]", n) for n in found)


@cache
def responses() -> dict[str, list[dict]]:
    return yaml.safe_load(DOMAIN.read_text(encoding="utf-8"))["responses"]


def action_texts() -> dict[str, list[str]]:
    """Fixed texts that custom actions put into a response, by a name of the form
    action:<module>.<what>. The check's result lines are said back in utter_check_result."""
    from actions.check_form import SIGNAL_PHRASES

    return {
        f"action:check_form.SIGNAL_PHRASES[{role}]": list(phrases.values())
        for role, phrases in SIGNAL_PHRASES.items()
    }


def variations() -> Iterator[Variation]:
    """Every response variation of domain.yml, then every fixed text of the actions."""
    for name, items in responses().items():
        for i, item in enumerate(items):
            conditions = tuple(
                (str(c["name"]), str(c["value"])) for c in item.get("condition") or []
            )
            yield Variation(name, i, conditions, item.get("text") or "")
    for name, texts in action_texts().items():
        for i, text in enumerate(texts):
            yield Variation(name, i, (), text)
