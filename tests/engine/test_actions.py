from __future__ import annotations

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import (
    ActionCrisis,
    about_friend,
    channel_role,
    crisis_answer,
    footer_lines,
    register,
)
from actions.phrases import join_dutch
from actions.situation import ActionReflectSituation


def tracker(intent: str, entities: list[tuple[str, str]] = (), role: str | None = None):
    latest = {
        "text": "...",
        "intent": {"name": intent, "confidence": 0.9},
        "entities": [{"entity": e, "value": v} for e, v in entities],
    }
    return Tracker("test", {"role": role}, latest, [], False, None, None, "action_listen")


def run(action, t: Tracker) -> tuple[list[dict], dict[str, object]]:
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    assert all(isinstance(e, dict) and e["event"] == "slot" for e in events)
    return dispatcher.messages, {e["name"]: e["value"] for e in events}


def test_parent_description_reflects_symptoms_and_sets_the_role():
    messages, slots = run(
        ActionReflectSituation(),
        tracker("describe_situation", [("symptom", "buikpijn"), ("symptom", "moe")]),
    )
    assert messages == []  # the words come from utter_situation_reflect in domain.yml
    assert slots == {
        "situation_symptoms": "buikpijn en vermoeidheid",
        "situation_trigger": None,
        "reflection": "parent_symptoms",
        "offer": "check",  # a "ja" after the answer starts the check it offers a parent
        "role": "ouder",
    }


def test_student_distress_with_symptom_and_trigger_uses_the_je_form():
    _, slots = run(
        ActionReflectSituation(),
        tracker("student_distress", [("trigger", "pesten"), ("symptom", "angstig")]),
    )
    assert slots["reflection"] == "student_both"
    assert slots["situation_trigger"] == "pesten"
    assert slots["situation_symptoms"] == "angst"
    assert slots["role"] == "leerling"
    assert slots["offer"] == "tips"  # a student is offered tips, never a form


def test_known_role_wins_over_the_intent_and_is_not_overwritten():
    _, slots = run(
        ActionReflectSituation(),
        tracker("describe_situation", [("trigger", "scheiding")], role="leerling"),
    )
    assert slots["reflection"] == "student_trigger"
    assert "role" not in slots


def test_staff_describing_a_student_get_the_staff_reflection():
    _, slots = run(
        ActionReflectSituation(),
        tracker("student_distress", [("symptom", "hoofdpijn")], role="medewerker"),
    )
    assert slots["reflection"] == "staff_symptoms"


def test_nothing_named_gives_the_general_reflection():
    _, slots = run(ActionReflectSituation(), tracker("describe_situation"))
    assert slots["reflection"] == "parent_general"


def test_repeated_values_are_named_once():
    _, slots = run(
        ActionReflectSituation(),
        tracker("describe_situation", [("symptom", "buikpijn"), ("symptom", "buikpijn")]),
    )
    assert slots["situation_symptoms"] == "buikpijn"


@pytest.mark.parametrize(
    ("signals", "role", "text", "answer"),
    [
        (["suicide"], None, "ik wil echt dood", "suicide_young"),
        (["self_harm"], "leerling", "ik kras in mn armen", "suicide_young"),
        (["suicide"], None, "mijn zoon zegt dat hij dood wil", "suicide_parent"),
        (["suicide"], "ouder", "hij zegt dat hij dood wil", "suicide_parent"),
        (["suicide"], "ouder", "ik zie het zelf niet meer zitten", "suicide_adult"),
        (["abuse"], "ouder", "mijn man slaat mijn dochter", "abuse_parent"),
        (["abuse"], "ouder", "mijn ex bedreigt me", "abuse_adult"),
        (["abuse"], None, "mn vader slaat me als hij boos is", "abuse_young"),
        (["danger"], "medewerker", "er staat iemand met een mes", "general_parent"),
        ([], None, "het is allemaal zinloos", "general_young"),
        ([], "ouder", "het is allemaal zinloos", "general_parent"),
        # Who writes about whom, decided from the message when the role is not known yet.
        (["suicide"], None, "ons meisje zegt dat ze er niet meer wil zijn", "suicide_parent"),
        (["suicide"], None, "m'n oudste heeft een afscheidsbrief geschreven", "suicide_parent"),
        (["suicide"], None, "mijn beste vriendin wil dood, wat moet ik doen", "suicide_friend"),
        (
            ["suicide"],
            "leerling",
            "mn vriend appte me dat hij er een eind aan maakt",
            "suicide_friend",
        ),
        (["abuse"], None, "iemand uit mijn klas wordt thuis geslagen", "abuse_friend"),
        (["abuse"], None, "mijn vriend slaat me", "abuse_young"),
        (["medical"], None, "mn zusje ademt niet meer", "general_friend"),
        (["medical"], "ouder", "hij ademt niet", "general_parent"),
        (["threat"], None, "hij neemt morgen een mes mee naar school", "general_friend"),
        (["abuse"], None, "mijn man slaat me als hij gedronken heeft", "abuse_adult"),
        (["suicide"], None, "ik ben moeder van een jongen van 15, hij wil dood", "suicide_parent"),
        (["suicide"], None, "ik ben zelf vader en ik wil er niet meer zijn", "suicide_adult"),
        (
            ["suicide"],
            "ouder",
            "ik denk dat mijn kinderen beter af zijn zonder mij",
            "suicide_adult",
        ),
        (
            ["suicide"],
            None,
            "iemand op discord zegt dat hij er vannacht een eind aan maakt",
            "suicide_friend",
        ),
        (["abuse"], None, "iemand thuis zit aan me", "abuse_young"),
    ],
)
def test_crisis_answer_fits_the_kind_and_the_person(signals, role, text, answer):
    assert crisis_answer(signals, role, text) == answer


def test_crisis_action_keeps_the_crisis_open():
    _, slots = run(ActionCrisis(), tracker("crisis", [("crisis_signal", "abuse")]))
    assert slots == {
        "crisis_active": True,
        "crisis_answer": "abuse_young",
        "crisis_lines": "abuse",
        "crisis_register": "je",
    }


@pytest.mark.parametrize(
    ("answer", "earlier", "lines"),
    [
        ("abuse_parent", None, "abuse"),
        ("suicide_young", "suicide", "suicide"),
        ("suicide_young", "abuse", "general"),
        ("general_friend", "suicide", "general"),
    ],
)
def test_a_second_crisis_of_another_kind_names_every_line(answer, earlier, lines):
    assert footer_lines(answer, earlier) == lines


@pytest.mark.parametrize(
    ("answer", "form"),
    [
        ("abuse_young", "je"),
        ("suicide_friend", "je"),
        ("general_parent", "u"),
        ("abuse_adult", "u"),
    ],
)
def test_the_footer_speaks_to_the_writer(answer, form):
    assert register(answer) == form


@pytest.mark.parametrize(
    ("items", "text"),
    [([], ""), (["a"], "a"), (["a", "b"], "a en b"), (["a", "b", "c"], "a, b en c")],
)
def test_join_dutch(items, text):
    assert join_dutch(items) == text


@pytest.mark.parametrize(
    ("role", "sender", "expected"),
    [
        (None, "tg-1f3a", "ouder"),
        (None, "web-9b2c", "leerling"),
        ("leerling", "tg-1f3a", "leerling"),
        (None, "test-1", None),
    ],
)
def test_the_channel_tells_who_writes_when_the_role_is_not_known(role, sender, expected):
    assert channel_role(role, sender) == expected


@pytest.mark.parametrize(
    ("text", "friend"),
    [
        ("hij zegt dat hij niet meer wil leven, wat moet ik doen", True),
        ("ik heb al mn spullen aan mn zusje gegeven", False),
        ("my best friend zegt dat ze een last is", True),
        ("mn broer slaat me elke avond", False),
    ],
)
def test_whoever_the_message_names_first_is_the_one_at_risk(text, friend):
    assert about_friend(text) is friend


def test_a_student_about_someone_else_gets_the_friend_answer():
    assert crisis_answer(["suicide"], "leerling", "ze zegt dat ze dood wil") == "suicide_friend"
    assert crisis_answer(["suicide"], "ouder", "ze zegt dat ze dood wil") == "suicide_parent"


def test_the_message_outranks_the_channel_when_the_role_is_not_known():
    # A parent in the web chat still writes "mijn zoon"; a student on Telegram "ik".
    assert crisis_answer(["suicide"], None, "mijn zoon wil dood", "leerling") == "suicide_parent"
    assert (
        crisis_answer(["suicide"], None, "hij zegt dat hij dood wil", "ouder") == "suicide_parent"
    )
    assert crisis_answer(["suicide"], None, "hij zegt dat hij dood wil", "leerling") == (
        "suicide_friend"
    )
    assert crisis_answer(["abuse"], None, "mijn man slaat me", "leerling") == "abuse_adult"
