import pytest
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.explicit_request import ExplicitRequest, requested_task

# Written for this table; the blind sets are never copied here.
WISHES = [
    (
        "Hij zit al sinds de zomer thuis en huilt elke ochtend. Ik wil hem aanmelden.",
        "request_referral",
    ),
    ("wij willen onze dochter graag opgeven voor lans", "request_referral"),
    ("ik zou hem eigenlijk wel willen aanmelden, hoe gaat dat?", "request_referral"),
    ("ik wil de check doen", "start_check"),
    ("ik wil graag die korte test invullen voor mijn zoon", "start_check"),
    ("ik wil anoniem iets vragen aan iemand", "ask_anonymous_question"),
    ("ik wil een anonieme vraag stellen", "ask_anonymous_question"),
]
NOT_A_WISH = [
    "ik wil hem niet aanmelden",
    "ik wil eerst weten hoe aanmelden werkt",
    "ik wil weten of ik hem kan aanmelden",
    "ik wil geen check doen",
    "wil ik hem aanmelden?",
    "hij wil niet naar school",
]


@pytest.mark.parametrize(("text", "intent"), WISHES)
def test_a_plain_wish_names_its_task(text, intent):
    assert requested_task(text) == intent


@pytest.mark.parametrize("text", NOT_A_WISH)
def test_negations_and_questions_about_a_task_are_no_wish(text):
    assert requested_task(text) is None


def classified(text: str, intent: str) -> str:
    message = Message(data={TEXT: text})
    message.set(INTENT, {"name": intent, "confidence": 0.8})
    message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": 0.8}])
    [processed] = ExplicitRequest().process([message])
    return processed.get(INTENT)["name"]


def test_the_wish_replaces_the_story_around_it():
    story = "Ze slaapt slecht en heeft buikpijn. De mentor noemde LANS. Ik wil haar aanmelden."
    assert classified(story, "describe_situation") == "request_referral"


@pytest.mark.parametrize("intent", ["crisis", "stop", "goodbye", "withdraw_referral"])
def test_it_never_overrules_a_crisis_a_stop_or_a_withdrawal(intent):
    assert classified("ik wil hem aanmelden", intent) == intent
