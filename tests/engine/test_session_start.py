"""A conversation starts in the register of the channel's users; how to talk carries over to a
new session, nobody's details do."""

from __future__ import annotations

import asyncio

from rasa_sdk import Tracker
from rasa_sdk.events import ActionExecuted, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart

DOMAIN = {"session_config": {"carry_over_slots_to_new_session": True}}


def start(sender: str, slots: dict) -> list:
    tracker = Tracker(sender, slots, {}, [], False, None, {}, "action_listen")
    return asyncio.run(ActionSessionStart().run(CollectingDispatcher(), tracker, DOMAIN))


def test_telegram_starts_as_a_parent_and_the_web_chat_as_a_student():
    assert start("tg-1", {"role": None}) == [
        SessionStarted(),
        SlotSet("role", "ouder"),
        ActionExecuted("action_listen"),
    ]
    assert SlotSet("role", "leerling") in start("web-1", {"role": None})


def test_the_role_and_the_crisis_lines_carry_over_but_no_answers():
    slots = {
        "role": "medewerker",
        "crisis_active": True,
        "x": None,
        "child_first_name": "Noor",
        "phone": "+31612345678",
        "anonymous_question": "ik durf niet naar school",
    }
    events = start("web-1", slots)
    assert events == [
        SessionStarted(),
        SlotSet("role", "medewerker"),
        SlotSet("crisis_active", True),
        ActionExecuted("action_listen"),
    ]


def test_other_channels_start_without_a_role():
    assert start("test-1", {"role": None}) == [SessionStarted(), ActionExecuted("action_listen")]
