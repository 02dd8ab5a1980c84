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


# Written for this table; the conversation suites are never copied here.
TAKEN_BACK = [
    (
        "ik wil hem nog niet aanmelden, eerst even rondkijken",
        "request_referral",
        "ask_referral_info",
    ),
    (
        "stel dat ik haar aanmeld, kan ik dat later nog intrekken?",
        "withdraw_referral",
        "ask_privacy",
    ),
    ("als we hem aanmelden, hoe gaat het dan verder", "request_referral", "ask_referral_info"),
    (
        "vorige maand hebben we onze dochter aangemeld en we wachten nog",
        "request_referral",
        "ask_contact",
    ),
]
KEPT = [
    ("ik wil mijn aanmelding intrekken", "withdraw_referral"),
    ("kan ik de aanmelding van mijn zoon intrekken?", "withdraw_referral"),
    ("ik wil hem aanmelden", "request_referral"),
    ("is dit schoolweigering?", "start_check"),
    ("doe de check maar", "start_check"),
    ("hoe weet ik of hij het heeft", "start_check"),
    ("mijn code is 7NM7-EKKG", "check_answer"),
    ("ik kom mijn antwoord ophalen", "check_answer"),
]


@pytest.mark.parametrize(("text", "intent", "instead"), TAKEN_BACK)
def test_a_negated_hypothetical_or_past_request_gets_an_explanation(text, intent, instead):
    assert classified(text, intent) == instead


@pytest.mark.parametrize(("text", "intent"), KEPT)
def test_real_requests_stay(text, intent):
    assert classified(text, intent) == intent


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("ze is nu gewoon thuis bij mij", "start_check"),
        ("dat hebben we al geprobeerd", "check_answer"),
    ],
)
def test_a_task_without_its_words_falls_to_the_next_intent(text, intent):
    message = Message(data={TEXT: text})
    ranking = [
        {"name": intent, "confidence": 0.6},
        {"name": "request_referral", "confidence": 0.2},
        {"name": "describe_situation", "confidence": 0.15},
    ]
    message.set(INTENT, ranking[0])
    message.set(INTENT_RANKING_KEY, ranking)
    [processed] = ExplicitRequest().process([message])
    assert processed.get(INTENT)["name"] == "describe_situation"
