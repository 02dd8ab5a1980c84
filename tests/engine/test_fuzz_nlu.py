"""Property-based tests (hypothesis) of the custom NLU components on any text: the crisis
rules, the symptom/trigger extractor and the unknown-words share never raise, and what they
return points into the message and uses the lexicon's canonical values. A crisis sentence
stays a crisis whatever comes before or after it."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.nlu.constants import ENTITIES

from bot.nlu.crisis_rules import CrisisRules
from bot.nlu.lexicon import SYMPTOMS, TRIGGERS
from bot.nlu.symptom_trigger_extractor import SymptomTriggerExtractor
from bot.nlu.unknown_words_fallback import unknown_share
from tests.engine.nlu_helpers import message
from tests.fuzz_support import FUZZ, exercised, hit
from tests.fuzz_support import any_text as fuzz_text

any_text = fuzz_text((100, 500))


@pytest.fixture(scope="module")
def rules(nlp) -> CrisisRules:
    return CrisisRules(nlp.vocab)


@pytest.fixture(scope="module")
def extractor() -> SymptomTriggerExtractor:
    return SymptomTriggerExtractor({})


@exercised("a crisis signal")
@FUZZ
@given(
    text=st.one_of(
        any_text,  # crisis sentences on purpose: any text almost never holds one
        st.deferred(lambda: st.builds("{}, {}!".format, FILLER, st.sampled_from(CRISIS))),
    )
)
def test_components_handle_any_text(nlp, rules, extractor, text: str) -> None:
    doc = nlp(text)
    signal = rules.detect(doc)
    if signal is not None:
        hit("a crisis signal")
        assert text[signal.start : signal.end] == signal.text
    [msg] = extractor.process([message(nlp, text)])
    for entity in msg.get(ENTITIES, []):
        assert 0 <= entity["start"] < entity["end"] <= len(text)
        canonical = SYMPTOMS if entity["entity"] == "symptom" else TRIGGERS
        assert entity["value"] in canonical
    tokens = [Token(t.text, t.idx, lemma=t.lemma_) for t in doc]
    assert 0.0 <= unknown_share(tokens, {"hoi", "school"}) <= 1.0


CRISIS = ["ik wil echt dood", "ik snij mezelf", "mn vader slaat me", "ik wil er nie meer zijn"]
FILLER = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ,", max_size=40)


@FUZZ
@given(before=FILLER, crisis=st.sampled_from(CRISIS), after=FILLER)
def test_a_crisis_sentence_is_caught_in_any_surrounding(nlp, rules, before, crisis, after):
    assert rules.detect(nlp(f"{before}. {crisis}. {after}")) is not None
