import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language_gate import LANGUAGE, LanguageGate, build_detector, other_language


@pytest.fixture(scope="module")
def detector():
    return build_detector()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Hello, my son refuses to go to school, can you help me?", "en"),
        ("Hi, I am a parent. Is there someone who speaks English?", "en"),
        ("Merhaba, oğlum okula gitmek istemiyor", "tr"),
    ],
)
def test_a_message_in_another_language_is_recognised(detector, text, language):
    assert other_language(detector, text) == language


@pytest.mark.parametrize(
    "text",
    [
        "mijn zoon wil niet naar school",
        "this exam week is killing me, ik slaap nauwelijks",
        "school refusal wat is dat",
        "idk wat ik moet doen",
        "ok thanks",  # too short to tell
        "hoi",
    ],
)
def test_dutch_with_english_words_stays_dutch(detector, text):
    assert other_language(detector, text) is None


def test_the_gate_marks_the_message_and_leaves_buttons_alone():
    english = Message(data={TEXT: "Can somebody help me in English please?"})
    button = Message(data={TEXT: '/inform_role{"role": "ouder"}'})
    LanguageGate().process([english, button])
    assert english.get(LANGUAGE) == "en"
    assert button.get(LANGUAGE) is None
