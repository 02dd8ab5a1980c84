"""Property-based tests (hypothesis) of every form validator of the action server and of the
parsers behind them: references and pickup codes, corrections, contact preference, roles, the
check's scoring and the crisis answer's choice. Whatever a user types, a validator returns a
value for its slot (or None with a re-ask) and never raises; validating a stored value again
keeps it; generated references and codes are found in the sentences people write."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.check_form import ActionCheckResult, ValidateSignsCheckForm
from actions.crisis import ActionCrisis, crisis_answer
from actions.entities import latest_entity_values
from actions.form_support import INTERRUPTION_RESPONSES, role_from
from actions.question_forms import ValidateAnswerForm, ValidateQuestionForm, find_pickup_code
from actions.referral_form import (
    TEXT_LIMITS,
    ValidateReferralForm,
    contact_preference,
    correction_slots,
)
from actions.signs_check import OUTCOMES, QUESTIONS, assess
from actions.situation import ActionReflectSituation
from actions.withdraw_form import ValidateWithdrawForm, contact_detail, find_reference
from bot.intake import reference as references
from tests.fuzz_support import FUZZ, exercised, hit
from tests.fuzz_support import any_text as fuzz_text

any_text = fuzz_text()
FORMS = [
    ValidateReferralForm(),
    ValidateSignsCheckForm(),
    ValidateWithdrawForm(),
    ValidateQuestionForm(),
    ValidateAnswerForm(),
]
BASE = set(dir(FormValidationAction))
VALIDATORS = [
    (form, name.removeprefix("validate_"))
    for form in FORMS
    for name in sorted(set(dir(form)) - BASE)
    if name.startswith("validate_")
]
INTENTS = ["nlu_fallback", "inform", "affirm", "deny", *INTERRUPTION_RESPONSES]
# Slots holding text, whose stored value is validated again unchanged (e.g. after a correction).
TEXT_SLOTS = {
    "child_first_name",
    "child_age",
    *TEXT_LIMITS,
    "phone",
    "email",
    "check_duration",
    "withdraw_reference",
    "withdraw_contact",
    "anonymous_question",
    "pickup_code",
}


def tracker(text: str, intent: str, requested: str | None) -> Tracker:
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    events = [{"event": "user", "text": text}]
    return Tracker("fuzz", {"requested_slot": requested}, latest, events, False, None, {}, "")


def run_validator(form: Any, slot: str, value: str, intent: str, requested: str | None):
    dispatcher = CollectingDispatcher()
    result = getattr(form, f"validate_{slot}")(
        value, dispatcher, tracker(value, intent, requested), {}
    )
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return result, dispatcher.messages


def test_every_validator_is_fuzzed() -> None:
    slots = {slot for _, slot in VALIDATORS}
    assert {"child_first_name", "phone", "email", "contact_time", "referral_confirmed"} <= slots
    assert {"check_absence", "check_duration", "role", "withdraw_reference"} <= slots
    assert {"anonymous_question", "pickup_code"} <= slots
    assert len(VALIDATORS) >= 30


@pytest.mark.parametrize(("form", "slot"), VALIDATORS, ids=[s for _, s in VALIDATORS])
@settings(FUZZ, max_examples=100)
@given(text=any_text, intent=st.sampled_from(INTENTS), asked=st.booleans())
def test_a_validator_handles_any_text(form, slot: str, text: str, intent: str, asked: bool) -> None:
    result, messages = run_validator(form, slot, text, intent, slot if asked else None)
    assert isinstance(result, dict) and slot in result
    json.dumps(result)  # slot values travel to Rasa as JSON
    value = result[slot]
    if value is not None and slot in TEXT_SLOTS:
        assert isinstance(value, str) and value.strip() == value and value
        assert len(value) <= 1000
        again, said = run_validator(form, slot, value, "inform", slot)
        assert again[slot] == value, (slot, text, value)
        assert said == []
    if value is None and asked and slot not in ("referral_confirmed",):
        # Not understood: the user hears why (a hint or the answer to their question), or the
        # form moves on to a slot it filled from the same text (corrections).
        assert messages or any(v is not None for k, v in result.items() if k != slot), slot


# What the property above checks of an accepted text value, on a valid value of every text slot:
# any text alone is rarely a phone number, a reference or a pickup code, so that branch of the
# property may never run for those slots.
VALID_TEXT = {
    "child_first_name": "Sanne",
    "child_age": "13",
    "child_class": "2 havo",
    "absence_duration": "sinds de herfstvakantie",
    "absence_extent": "twee dagen per week",
    "signs": "buikpijn op maandag",
    "parent_name": "Ria de Vries",
    "contact_time": "na 16:00",
    "phone": "06 12345678",
    "email": "ria@voorbeeld.nl",
    "check_duration": "drie weken",
    "withdraw_reference": "K7M-4QX",
    "withdraw_contact": "06 12345678",
    "anonymous_question": "hoe lang duurt de onderzoeksfase?",
    "pickup_code": "KM7Q-4XTA",
}


def test_every_text_slot_has_a_valid_value_below() -> None:
    assert set(VALID_TEXT) == TEXT_SLOTS & {slot for _, slot in VALIDATORS}


@pytest.mark.parametrize(
    ("form", "slot"),
    [(f, s) for f, s in VALIDATORS if s in VALID_TEXT],
    ids=[s for _, s in VALIDATORS if s in VALID_TEXT],
)
def test_a_valid_text_value_is_kept_and_validates_again_unchanged(form, slot: str) -> None:
    result, _ = run_validator(form, slot, VALID_TEXT[slot], "inform", slot)
    value = result[slot]
    assert isinstance(value, str) and value.strip() == value and value, (slot, result)
    again, said = run_validator(form, slot, value, "inform", slot)
    assert again[slot] == value and said == [], slot


# ---------- references and pickup codes ----------

# A drawn reference always holds a digit (references.new_reference).
reference = st.builds(
    lambda chars, digit, at: "".join([*chars[:at], digit, *chars[at + 1 :]]),
    st.lists(st.sampled_from(references.ALPHABET), min_size=6, max_size=6),
    st.sampled_from([c for c in references.ALPHABET if c.isdigit()]),
    st.integers(0, 5),
)
pickup_code = st.text(alphabet=references.ALPHABET, min_size=8, max_size=8)
SPELLINGS = [
    lambda c: c,
    lambda c: c.lower(),
    lambda c: references.display(c),
    lambda c: references.display(c).lower().replace("-", " "),
    lambda c: references.display(c).replace("-", " - "),
    lambda c: references.display(c).replace("-", "_"),
    lambda c: references.display(c).replace("-", "."),
]
SENTENCES = [
    "{}",
    "  {}  ",
    "mijn nummer is {}",
    "Mijn referentienummer: {}",
    "ref {}",
    "het nummer is {} denk ik",
    "code {}",
    "hier is de code {} graag",
    "want {}",
    "{} dan",
    "{}!",
]


def ambiguous(code: str, written: str, sentence: str) -> bool:
    """A code without digits, written with a space, next to a word of alphabet letters only
    ("ref KAM 4QX", "want KMAQ XTAW"): no parser can tell which eight characters are meant."""
    half = len(code) // 2
    digit_halves = sum(any(c.isdigit() for c in h) for h in (code[:half], code[half:]))
    neighbour = any(
        set(w.upper()) <= set(references.ALPHABET) for w in sentence.split() if w != "{}"
    )
    return digit_halves < 2 and " " in written and neighbour


@FUZZ
@given(reference, st.sampled_from(SPELLINGS), st.sampled_from(SENTENCES))
def test_a_generated_reference_is_found_in_what_parents_type(code, spell, sentence) -> None:
    assume(not ambiguous(code, spell(code), sentence))
    assert find_reference(sentence.format(spell(code))) == code


@FUZZ
@given(pickup_code, st.sampled_from(SPELLINGS), st.sampled_from(SENTENCES))
def test_a_pickup_code_is_found_in_what_students_type(code, spell, sentence) -> None:
    assume(not ambiguous(code, spell(code), sentence))
    assert find_pickup_code(sentence.format(spell(code))) == code


@FUZZ
@given(st.integers(0, 2**32))
def test_new_references_and_codes_have_no_look_alikes_and_parse_back(_seed: int) -> None:
    ref, code = references.new_reference(), references.new_pickup_code()
    for value, length in ((ref, references.LENGTH), (code, references.PICKUP_CODE_LENGTH)):
        assert len(value) == length and set(value) <= set(references.ALPHABET)
        assert not set(value) & set("0O1IL5S8B2Z")
        assert references.parse(references.display(value), length) == value
        assert references.parse(references.display(value).lower(), length) == value
    assert any(c.isdigit() for c in ref) and any(c.isalpha() for c in ref)


@exercised("a reference or code found")
@FUZZ
@given(st.one_of(any_text, reference, pickup_code, reference.map("mijn nummer is {}".format)))
def test_reference_and_code_parsers_never_raise(text: str) -> None:
    for found, length in (
        (references.parse(text), 6),
        (references.parse(text, 8), 8),
        (find_reference(text), 6),
        (find_pickup_code(text), 8),
        (references.find(text), 6),
    ):
        assert found is None or (len(found) == length and set(found) <= set(references.ALPHABET))
        if found is not None:
            hit("a reference or code found")


@FUZZ
@given(st.text(alphabet="0O1IlL5S8B2Z", min_size=6, max_size=6))
def test_look_alikes_are_no_reference(text: str) -> None:
    assert references.parse(text) is None and find_reference(text) is None


# ---------- other parsers of what users type ----------

CORRECTABLE = {
    *TEXT_LIMITS,
    "child_first_name",
    "child_age",
    "both_parents_know",
    "contact_preference",
    "phone",
    "email",
}


@FUZZ
@given(any_text)
def test_corrections_contact_preference_role_and_contact_never_raise(text: str) -> None:
    slots = correction_slots(text)
    assert slots is None or (slots and set(slots) <= CORRECTABLE)
    assert contact_preference(text) in ("telefoon", "e-mail", None)
    assert role_from(text) in ("ouder", "leerling", "medewerker", None)
    detail = contact_detail(text)
    assert detail is None or detail.startswith("+31") or "@" in detail


@FUZZ
@given(st.lists(st.sampled_from(["suicide", "self_harm", "abuse", "danger", "other"])),
       st.sampled_from(["ouder", "leerling", "medewerker", None]), any_text)  # fmt: skip
def test_the_crisis_answer_is_always_one_of_the_variations(signals, role, text) -> None:
    kind, reader = crisis_answer(signals, role, text).split("_")
    assert kind in ("suicide", "abuse", "general") and reader in ("parent", "adult", "young")


answer = st.sampled_from(["ja", "nee", "weet_niet", None])


@FUZZ
@given(
    st.fixed_dictionaries({q: answer for q in QUESTIONS[:-1]}),
    st.one_of(st.none(), any_text),
    st.sampled_from(["ouder", "leerling", None]),
)
def test_the_check_always_ends_in_an_outcome_that_can_be_said(answers, duration, role) -> None:
    answers = {**answers, "check_duration": duration}
    result = assess(answers)
    assert result.outcome in OUTCOMES
    assert len(set(result.signals)) == len(result.signals)
    slots = {**answers, "role": role}
    latest = {"text": "", "intent": {"name": "inform"}, "entities": []}
    tracker_ = Tracker("fuzz", slots, latest, [], False, None, {}, "")
    events = ActionCheckResult().run(CollectingDispatcher(), tracker_, {})  # every signal has words
    assert {"check_outcome", "check_summary", "check_signals"} <= {e["name"] for e in events}


entity = st.fixed_dictionaries(
    {},
    optional={
        "entity": st.sampled_from(["symptom", "trigger", "crisis_signal", "role"]),
        "value": st.one_of(st.none(), st.integers(), any_text, st.lists(st.integers(), max_size=2)),
    },
)


@FUZZ
@given(st.lists(entity, max_size=6), any_text)
def test_entities_from_the_nlu_are_read_as_text(entities, text: str) -> None:
    latest = {"text": text, "intent": {"name": "describe"}, "entities": entities}
    tracker_ = Tracker("fuzz", {}, latest, [], False, None, {}, "")
    for name in ("symptom", "trigger", "crisis_signal"):
        values = latest_entity_values(tracker_, name)
        assert all(isinstance(v, str) and v for v in values)
    events = ActionReflectSituation().run(CollectingDispatcher(), tracker_, {})
    assert {e["name"] for e in events} >= {"situation_symptoms", "situation_trigger", "reflection"}
    events = ActionCrisis().run(CollectingDispatcher(), tracker_, {})
    assert {e["name"] for e in events} == {
        "crisis_active",
        "crisis_answer",
        "crisis_lines",
        "crisis_register",
    }
