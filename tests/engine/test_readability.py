"""Every response variation is plain Dutch at B1 level (issue 19), measured.

Each variation is read on its own (Rasa picks one), so each is held to the limits:
- at most 15 words per sentence on average, and no sentence longer than 22 words;
- at most 8 % long words (5 syllables or more) in a text of 20 words or more;
- a Flesch-Douma score of at least 60 for a text of 25 words or more (the formula says
  little about a text of a few words); see tests/engine/readability.py.
The limits were set on the texts of issue 19: the plainest answers score above 100, the
worst before the rewrite (utter_prevention, 37 to 56; a 31-word sentence in utter_causes)
failed them.

Words a B1 reader may not know are explained the first time a variation uses them, and
words the issue found too hard are not used. The early-signs check asks one thing per
question, with buttons that fit.
"""

from __future__ import annotations

import re

import pytest

from tests.engine.readability import measure, words_of
from tests.engine.response_text import Variation, responses, split_sentences, variations

MAX_WORDS_PER_SENTENCE = 15
MAX_SENTENCE_WORDS = 22
MAX_LONG_WORD_SHARE = 0.08
MIN_DOUMA = 60
# utter_other_language is English on purpose: for people who do not read Dutch.
NOT_DUTCH = {"utter_other_language"}

DUTCH = [v for v in variations() if v.response not in NOT_DUTCH]


@pytest.mark.parametrize("variation", DUTCH, ids=lambda v: v.label)
def test_sentences_are_short(variation: Variation):
    r = measure(variation.text)
    assert r.words_per_sentence <= MAX_WORDS_PER_SENTENCE, (r, variation.text)
    long = [s for s in split_sentences(variation.text) if len(words_of(s)) > MAX_SENTENCE_WORDS]
    assert long == [], variation.label


@pytest.mark.parametrize("variation", DUTCH, ids=lambda v: v.label)
def test_few_long_words_and_a_plain_douma_score(variation: Variation):
    r = measure(variation.text)
    if r.words >= 20:
        assert r.long_word_share <= MAX_LONG_WORD_SHARE, (r, variation.text)
    if r.words >= 25:
        assert r.douma >= MIN_DOUMA, (r, variation.text)


# Words the issue found too hard for B1, with what to write instead.
AVOID = {
    "eenduidig": "duidelijk",
    "geanalyseerd": "bekeken",
    "analyseren": "bekijken",
    "startdiploma": "startkwalificatie, with its explanation",
    "met data": "op welke dag",
    "ingrijpends": "iets groots en moeilijks",
}

# Words that need a one-line explanation the first time a variation uses them (the product
# card names onderzoeksfase and leerplichtambtenaar; the issue the rest). Staff know the
# school's and the law's words; they still get LANS's own words explained.
EXPLAIN = (
    "onderzoeksfase",
    "leerplichtambtenaar",
    "proces-verbaal",
    "vrijstelling",
    "antisociaal",
    "kwalificatieplicht",
    "startkwalificatie",
    "samenwerkingsverband",
    "schoolonthouding",
    "schooluitsluiting",
    "veerkracht",
    "PBS",
    "jeugdarts",
)
STAFF_KNOW = {
    "leerplichtambtenaar",
    "proces-verbaal",
    "kwalificatieplicht",
    "samenwerkingsverband",
    "jeugdarts",
    "startkwalificatie",
}
# An explanation: "(…)", ": …", " - …", ", dat is …", or "… is/betekent …" right after the
# word (or after two more words: "antisociaal gedrag (zoals …)", "onderzoeksfase van LANS:
# …"); a sentence that starts "Bij <word>" and says what happens then; or the next sentence
# starts with "Dat is" / "Die" / "Dit zijn" and the like.
_RIGHT_AFTER = re.compile(
    r"^[\w-]*(?:\s+[\w-]+){0,2}?\s*(\(|:|\s[-–]\s|,\s(dat|die|iemand|een)\b"
    r"|\s(is|zijn|betekent|heet)\b)"
)
_NEXT_SENTENCE = re.compile(r"^(Dat|Die|Dit|Zo'n|Daarin|Daarbij)\b")


def first_use_is_explained(text: str, word: str) -> bool:
    sentences = split_sentences(text)
    for i, sentence in enumerate(sentences):
        match = re.search(rf"\b{re.escape(word)}", sentence, re.IGNORECASE)
        if not match:
            continue
        after = sentence[match.start() :]
        if _RIGHT_AFTER.search(after) or re.match(rf"Bij {re.escape(word)}\b", sentence):
            return True
        return i + 1 < len(sentences) and bool(_NEXT_SENTENCE.match(sentences[i + 1]))
    return True  # not used


def explained_in(variation: Variation) -> list[str]:
    role = dict(variation.conditions).get("role")
    return [
        w
        for w in EXPLAIN
        if not (role == "medewerker" and w in STAFF_KNOW)
        and not first_use_is_explained(variation.text, w)
    ]


@pytest.mark.parametrize("variation", DUTCH, ids=lambda v: v.label)
def test_hard_words_are_explained_or_avoided(variation: Variation):
    lowered = variation.text.lower()
    assert [w for w in AVOID if w in lowered] == [], variation.label
    assert explained_in(variation) == [], variation.text


def test_the_explanation_check_reads_explanations():
    assert first_use_is_explained(
        "Dan komt de leerplichtambtenaar (iemand van de gemeente).", "leerplichtambtenaar"
    )
    assert first_use_is_explained(
        "Eerst is er de onderzoeksfase: de eerste gesprekken.", "onderzoeksfase"
    )
    assert first_use_is_explained("De onderzoeksfase is de eerste stap van LANS.", "onderzoeksfase")
    assert first_use_is_explained(
        "Dan kan een proces-verbaal volgen. Dat is een officieel rapport.", "proces-verbaal"
    )
    assert not first_use_is_explained("Daarna plant het team de onderzoeksfase.", "onderzoeksfase")


# --- the early-signs check (issue 19, point 4) ---------------------------------------------

CHECK_QUESTIONS = [n for n in responses() if n.startswith("utter_ask_check_")]
YES_NO = {"ja", "nee", "weet ik niet"}


@pytest.mark.parametrize("name", CHECK_QUESTIONS)
def test_each_check_question_asks_one_thing_with_buttons_that_fit(name: str):
    for v in responses()[name]:
        text, payloads = v["text"], {b["payload"] for b in v.get("buttons") or []}
        questions = [s for s in split_sentences(text) if s.endswith("?")]
        assert len(questions) == 1, text
        if payloads <= YES_NO:
            # A yes/no question does not offer alternatives ("Wil je niet, of lukt het niet?").
            assert ", of " not in questions[0], text
        else:
            assert "Kies" in text or "kies" in text, text  # a choice says so


def test_the_check_result_is_one_signal_per_line():
    from actions.check_form import SIGNAL_PHRASES

    for phrases in SIGNAL_PHRASES.values():
        for phrase in phrases.values():
            assert len(split_sentences(phrase)) == 1 and phrase.endswith("."), phrase
            assert len(words_of(phrase)) <= 12, phrase
    for v in responses()["utter_check_result"]:
        if "{check_summary}" in v["text"]:
            # The summary stands on lines of its own.
            assert "\n{check_summary}\n" in v["text"], v["text"]
