"""Every sentence the assistant says rests on a source, or is plainly conversational (issue 19).

The source map is docs/sources.yml (its header says how to read and change it). This test
fails when
- a sentence of a response variation (or a fixed text an action puts into one) has no entry;
- an entry names a fact that is not in the map, or is not used by any sentence any more;
- a fact's quote is not in its source file (white space and markdown asterisks aside);
- a number in a sentence (an age, a count, hours, weeks, a phone number) is in none of the
  quotes the sentence rests on, and is not marked as an example of what to type;
- the map itself copies 8 or more words of the brochure in a row (the copy check
  ../shared/tools/brochure_overlap.py must keep finding only real copies: a fact that rests on
  a longer passage quotes two or more short pieces of it).
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

import pytest
import yaml

from tests.engine.response_text import (
    ROOT,
    Variation,
    normalise,
    number_in,
    numbers,
    split_sentences,
    variations,
)
from tests.engine.source_fingerprints import (
    COPY_RUN,
    LOCK,
    MAP,
    SHARED_FILES,
    current_record,
    digest,
    flat,
    quote_key,
    runs,
    shared_present,
    stored_record,
    words,
)

SOURCE_FILES = {**SHARED_FILES, "school_profile": ROOT / "school_profile.yml"}
KINDS = {*SOURCE_FILES, "assistant"}
CONVERSATIONAL = "conversational"
EXAMPLE = "example "


@cache
def source_map() -> dict:
    return yaml.safe_load(MAP.read_text(encoding="utf-8"))


@cache
def source_text(kind: str, file: str | None = None) -> str:
    path = ROOT / file if kind == "assistant" else SOURCE_FILES[kind]
    return flat(path.read_text(encoding="utf-8"))


def quotes(fact: dict) -> list[str]:
    quote = fact.get("quote")
    if quote is None:
        return []
    return [quote] if isinstance(quote, str) else list(quote)


def entries() -> dict[str, tuple[str, list[str]]]:
    """Every sentence in the map: its response section and its tags."""
    found: dict[str, tuple[str, list[str]]] = {}
    for section, sentences in source_map()["responses"].items():
        for sentence, tags in (sentences or {}).items():
            key = normalise(sentence)
            assert key not in found, f"{sentence!r} is listed twice ({found[key][0]}, {section})"
            found[key] = (section, [tags] if isinstance(tags, str) else list(tags))
    return found


def said() -> dict[str, list[Variation]]:
    """Every sentence the assistant can say, with the variations that say it."""
    out: dict[str, list[Variation]] = defaultdict(list)
    for variation in variations():
        for sentence in split_sentences(variation.text):
            out[sentence].append(variation)
    return out


def test_the_fingerprints_of_the_shared_sources_are_current():
    """Where ../shared is at hand, docs/sources.lock.json must match it; a clean clone without
    it checks the quotes against that record (tests/engine/source_fingerprints.py)."""
    assert SOURCE_FILES["school_profile"].is_file()
    if shared_present():
        assert stored_record() == current_record(), "run python3 scripts/verify_sources.py"
    else:
        assert LOCK.is_file(), "docs/sources.lock.json is missing"


def quote_is_in_source(kind: str, quote: str, file: str | None) -> bool:
    if kind in SHARED_FILES and not shared_present():
        return quote_key(kind, quote) in set(stored_record()["quotes"])
    return flat(quote) in source_text(kind, file)


def test_every_fact_quotes_its_source():
    facts = source_map()["facts"]
    problems = []
    for name, fact in facts.items():
        kind = fact.get("source")
        if kind not in KINDS:
            problems.append(f"{name}: source {kind!r} is not one of {sorted(KINDS)}")
            continue
        if kind == "assistant" and not (ROOT / str(fact.get("file"))).is_file():
            problems.append(f"{name}: file {fact.get('file')!r} is not in the project")
            continue
        if kind == "school_profile":
            profile = yaml.safe_load(SOURCE_FILES[kind].read_text(encoding="utf-8")) or {}
            if fact.get("field") != "*" and fact.get("field") not in profile:
                problems.append(f"{name}: {fact.get('field')!r} is not a field of the profile")
        if not quotes(fact) and kind != "school_profile":
            problems.append(f"{name}: no quote")
        for quote in quotes(fact):
            if not quote_is_in_source(kind, quote, fact.get("file")):
                problems.append(f"{name}: not in the {kind} text: {quote!r}")
    assert problems == [], "\n".join(problems)


def yaml_key(sentence: str) -> str:
    """A sentence as a YAML mapping key, quoted where YAML needs it."""
    return (
        yaml.safe_dump(sentence, allow_unicode=True, width=1000).strip().removesuffix("...").strip()
    )


def test_every_sentence_has_an_entry():
    known = entries()
    missing: dict[str, list[str]] = defaultdict(list)
    for sentence, where in said().items():
        if sentence not in known:
            missing[where[0].response].append(sentence)
    # Paste-ready for docs/sources.yml: replace "?" by the facts or by conversational.
    report = "\n".join(
        f"  {name}:\n" + "\n".join(f"    {yaml_key(s)}: ?" for s in sentences)
        for name, sentences in missing.items()
    )
    assert not missing, f"sentences without an entry in docs/sources.yml:\n{report}"


def test_no_entry_is_stale():
    spoken = said()
    stale = [f"{section}: {s!r}" for s, (section, _tags) in entries().items() if s not in spoken]
    assert stale == [], "entries no response says any more:\n" + "\n".join(stale)


def test_every_tag_is_a_fact_and_every_fact_is_used():
    facts = source_map()["facts"]
    used: set[str] = set()
    unknown = []
    for sentence, (section, tags) in entries().items():
        for tag in tags:
            if tag == CONVERSATIONAL or tag.startswith(EXAMPLE):
                continue
            used.add(tag)
            if tag not in facts:
                unknown.append(f"{section}: {sentence!r}: {tag!r}")
        if CONVERSATIONAL in tags and any(t in facts for t in tags):
            unknown.append(f"{section}: {sentence!r} is conversational and rests on facts")
    assert unknown == [], "\n".join(unknown)
    assert sorted(set(facts) - used) == [], "facts no sentence rests on"


@cache
def profile_values() -> str:
    profile = yaml.safe_load(SOURCE_FILES["school_profile"].read_text(encoding="utf-8")) or {}
    return " ".join(str(v) for v in profile.values() if v)


def test_every_number_is_in_a_quote_the_sentence_rests_on():
    facts = source_map()["facts"]
    problems = []
    for sentence, (section, tags) in entries().items():
        found = numbers(sentence)
        if not found:
            continue
        backing = " ".join(q for t in tags if t in facts for q in quotes(facts[t]))
        examples = " ".join(t.removeprefix(EXAMPLE) for t in tags if t.startswith(EXAMPLE))
        for number in found:
            if not (
                number_in(number, backing)
                or number_in(number, examples)
                or number_in(number, profile_values())
            ):
                problems.append(f"{section}: {number} in {sentence!r}")
    assert problems == [], "numbers no quote gives:\n" + "\n".join(problems)


def test_the_map_copies_no_long_run_of_the_brochure():
    if shared_present():
        brochure = runs(SOURCE_FILES["brochure"].read_text(encoding="utf-8"))
    else:
        brochure = set(stored_record()["brochure_runs"])
    mine = words(MAP.read_text(encoding="utf-8"))
    copied = [
        " ".join(mine[i : i + COPY_RUN])
        for i in range(len(mine) - COPY_RUN + 1)
        if digest(" ".join(mine[i : i + COPY_RUN])) in brochure
    ]
    assert copied == [], copied


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bel 113 of 0800-0113. Dag en nacht.", ["Bel 113 of 0800-0113.", "Dag en nacht."]),
        ("Bijv. stelen of vechten. Dan o.a. PBS.", ["Bijv. stelen of vechten.", "Dan o.a. PBS."]),
        (
            "Kijk op www.berkenschutse.nl. Of chat op 113.nl.",
            ["Kijk op www.berkenschutse.nl.", "Of chat op 113.nl."],
        ),
        ("{fact} Meer weten? Bel {contact}.", ["{fact}", "Meer weten?", "Bel {contact}."]),
        (
            "Dit viel op:\n{check_summary}\nDat past.",
            ["Dit viel op:", "{check_summary}", "Dat past."],
        ),
        ("Let op:\n- buikpijn\n- moeheid", ["Let op:", "buikpijn", "moeheid"]),
        (
            'Typ: "antwoord ophalen". Dan zie je het.',
            ['Typ: "antwoord ophalen".', "Dan zie je het."],
        ),
    ],
)
def test_the_sentence_splitter(text, expected):
    assert split_sentences(text) == expected


def test_numbers_are_read_as_written():
    assert numbers("Bel 113 of 0800-0113, niet {child_age} of K7M-4QX.") == ["113", "0800-0113"]
    assert number_in("15", "Gemiddeld genomen zijn er 10-15 behandelgesprekken")
    assert not number_in("0800-0114", "0800-0113")
