"""Erased means erased (issue 18): the real Rasa server keeps conversations in its SQLite
tracker store encrypted, and forgetting one deletes its events. The tests read the database
file itself, as someone with a copy of it would."""

from __future__ import annotations

import json
import sqlite3

import pytest
from cryptography.fernet import Fernet
from domain_responses import assert_says, assert_shared

from bot.engine_process import Engine
from tests.service.conftest import Conversation

CHILD = "Marijkeke"  # unusual enough that no response text contains it


def rows(engine: Engine, sender: str) -> list[tuple[str, str | None, str | None, str]]:
    """(type_name, intent_name, action_name, data) of the sender's stored events."""
    with sqlite3.connect(engine.log_dir / "conversations.db") as db:
        return db.execute(
            "SELECT type_name, intent_name, action_name, data FROM events WHERE sender_id = ?"
            " ORDER BY id",
            (sender,),
        ).fetchall()


def stored_text(engine: Engine, sender: str, key: str) -> str:
    """Everything the store keeps of a conversation, decrypted."""
    cipher = Fernet(key)
    return "\n".join(cipher.decrypt(row[3].encode()).decode() for row in rows(engine, sender))


@pytest.fixture
def referring_parent(conversation: Conversation) -> Conversation:
    conversation.say("ik ben de moeder van een meisje uit 2 havo")
    consent = conversation.text_of("ik wil mijn dochter aanmelden voor lans")
    assert_says(consent, "utter_ask_referral_consent", role="ouder")
    conversation.say("ja")
    assert_says(conversation.text_of(CHILD), "utter_ask_child_age", role="ouder")
    return conversation


def test_the_store_holds_the_conversation_only_encrypted(referring_parent, engine, tracker_key):
    stored = rows(engine, referring_parent.sender)
    assert len(stored) > 10
    raw = repr(stored)
    for plain in (CHILD, "moeder", "aanmelden", "request_referral", '"text"'):
        assert plain not in raw, plain
    assert {intent for _type, intent, _action, _data in stored} == {None}
    assert {action for _type, _intent, action, _data in stored} == {None}
    # The key does open it: the test reads the right rows.
    assert CHILD in stored_text(engine, referring_parent.sender, tracker_key)


def test_wis_dit_gesprek_erases_the_conversation_and_keeps_the_register(
    referring_parent, engine, tracker_key
):
    before = len(rows(engine, referring_parent.sender))
    reply = referring_parent.text_of("/restart")  # the button "Wis dit gesprek"
    assert_says(reply, "utter_conversation_erased", role="ouder")  # the parents' words, "u"
    left = stored_text(engine, referring_parent.sender, tracker_key)
    assert len(rows(engine, referring_parent.sender)) < 8 < before
    for gone in (CHILD, "moeder", "aanmelden"):
        assert gone not in left, gone

    # The conversation goes on, afresh, still to a parent ("u"), and the form is gone.
    answer = referring_parent.text_of("wat is lans")
    assert_says(answer, "utter_lans", role="ouder")
    assert " je " not in f" {answer} ", answer
    assert CHILD not in stored_text(engine, referring_parent.sender, tracker_key)


def test_asking_to_forget_without_a_referral_offers_to_erase_the_conversation(
    conversation, engine, tracker_key
):
    conversation.say(f"mijn dochter {CHILD} is al weken thuis")
    messages = conversation.say("verwijder mijn gegevens")
    buttons = [b for m in messages for b in m.get("buttons", [])]
    erase = [b for b in buttons if b["payload"] == "/restart"]
    assert erase and "wis" in erase[0]["title"].lower(), messages
    erased = conversation.text_of(erase[0]["payload"])
    assert_says(erased, "utter_conversation_erased", role="ouder")
    assert CHILD not in stored_text(engine, conversation.sender, tracker_key)


def test_the_privacy_answer_says_how_long_and_how_to_erase(conversation):
    conversation.say("ik ben de vader")
    messages = conversation.say("wat doen jullie met mijn gegevens")
    # Every variation for a parent names both periods (the privacy statements' test checks the
    # numbers are the settings).
    assert_shared(messages, "30 dagen", "utter_privacy", role="ouder")
    assert_shared(messages, "90 dagen", "utter_privacy", role="ouder")
    assert any(b["payload"] == "/restart" for m in messages for b in m.get("buttons", []))
    json.dumps(messages)  # plain data, as the channels pass it on
