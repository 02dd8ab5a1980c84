"""A message that is only a pickup code is `check_answer` with the code, whatever DIET said."""

import pytest
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.pickup_code_detector import PickupCodeDetector, bare_pickup_code


def classified(text: str, intent: str = "goodbye", entities: list | None = None) -> Message:
    guess = {"name": intent, "confidence": 0.41}
    data = {TEXT: text, INTENT: guess, INTENT_RANKING_KEY: [guess], ENTITIES: entities or []}
    return Message(data=data)


def detector() -> PickupCodeDetector:
    return PickupCodeDetector.create({}, None, None, None)


@pytest.mark.parametrize(
    "text, code",
    [
        ("7nm7-ekkg", "7NM7-EKKG"),  # the message that once read as goodbye
        ("KM7Q-4XTA", "KM7Q-4XTA"),
        (" km7q 4xta ", "KM7Q-4XTA"),
        ("km7q4xta", "KM7Q-4XTA"),
        ("KM7Q-4XTA!", "KM7Q-4XTA"),
        ("kmaq-xtaw", "KMAQ-XTAW"),  # no digit, but written as a code
        ("km7q - 4xta?", "KM7Q-4XTA"),
    ],
)
def test_a_bare_code_becomes_check_answer_with_the_code(text, code):
    [out] = detector().process([classified(text)])
    assert out.get(INTENT) == {"name": "check_answer", "confidence": 1.0}
    assert [i["name"] for i in out.get(INTENT_RANKING_KEY)] == ["check_answer", "goodbye"]
    [entity] = out.get(ENTITIES)
    assert (entity["entity"], entity["value"]) == ("pickup_code", code)
    assert text[entity["start"] : entity["end"]] == text.strip()


@pytest.mark.parametrize(
    "text",
    [
        "verdacht",  # an ordinary word made of code letters
        "want keer",
        "3 maanden",  # an answer in the referral form, eight code characters with a digit
        "4 weken!",
        "doei",
        "mijn code is km7q-4xta",  # a sentence: DIET and the form's validation handle it
        "K7M-4QX",  # a six-character referral reference
        "KM7Q-4XTO",  # O is not in the code alphabet
        "",
    ],
)
def test_anything_else_is_left_as_it_was(text):
    before = classified(text, entities=[{"entity": "symptom", "value": "buikpijn"}])
    [out] = detector().process([before])
    assert out.get(INTENT) == {"name": "goodbye", "confidence": 0.41}
    assert out.get(ENTITIES) == [{"entity": "symptom", "value": "buikpijn"}]


def test_a_code_diet_found_is_replaced_by_the_canonical_one():
    diet = {"entity": "pickup_code", "value": "7nm7-ekkg", "extractor": "DIETClassifier"}
    [out] = detector().process([classified("7nm7-ekkg", "check_answer", [diet])])
    assert [e["value"] for e in out.get(ENTITIES)] == ["7NM7-EKKG"]


def test_bare_pickup_code_needs_the_whole_message():
    assert bare_pickup_code("7nm7-ekkg") == "7NM7EKKG"
    assert bare_pickup_code("code 7nm7-ekkg") is None


@pytest.mark.parametrize("intent", ["request_referral", "start_check", "goodbye"])
def test_a_bare_reference_is_never_an_ending_or_another_task(intent):
    """A reference typed into the withdrawal ("k7m-4qx"): a task intent would make the running
    form let go of it, and its ranking's next guess is taken instead."""
    ranking = [{"name": intent, "confidence": 0.5}, {"name": "check_answer", "confidence": 0.3}]
    message = Message(data={TEXT: "k7m-4qx", INTENT: ranking[0], INTENT_RANKING_KEY: ranking})
    [processed] = detector().process([message])
    assert processed.get(INTENT)["name"] == "check_answer"


def test_a_six_letter_word_is_no_reference():
    [processed] = detector().process([classified("dankje", "thank")])
    assert processed.get(INTENT)["name"] == "thank"
