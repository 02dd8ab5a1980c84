"""Whole conversations over HTTP with the real Rasa server, action server and model."""

from __future__ import annotations

import re

import pytest
from domain_responses import assert_says, assert_shared, payloads

HELP_LINES = ("113", "112")


def test_greeting_says_it_is_a_bot_and_asks_who_is_talking(conversation):
    messages = conversation.say("hallo")
    assert_shared(messages, "computerprogramma", "utter_greet")  # every greeting says so
    assert any("inform_role" in p for p in payloads(messages))


def test_a_parent_is_addressed_with_u_and_hears_back_what_they_described(conversation):
    conversation.say("ik ben de moeder van een jongen van 13")
    messages = conversation.say("mijn zoon heeft elke maandag buikpijn, in het weekend niks")
    text = " ".join(m["text"] for m in messages)
    assert "buikpijn" in text
    assert re.search(r"\b(u|uw)\b", text) and not re.search(r"\bje\b", text)
    assert "/start_check" in payloads(messages)
    assert "/start_check" not in conversation.text_of("ja graag")  # the check itself follows


def test_a_student_is_addressed_with_je(conversation):
    text = conversation.text_of("ik durf gwn nie naar school, elke ochtend heb ik hoofdpijn")
    assert "hoofdpijn" in text
    assert re.search(r"\bje\b", text) and not re.search(r"\b(u|uw)\b", text)


def test_crisis_in_the_middle_gets_help_lines_and_nee_hoor_does_not_close_it(conversation):
    conversation.say("hoe lang duurt een behandeling")
    crisis = conversation.text_of("ik wil er niet meer zijn")
    assert all(line in crisis for line in HELP_LINES)
    after = conversation.text_of("nee hoor")
    assert all(line in after for line in HELP_LINES)
    goodbye = conversation.text_of("doei")
    assert "113" in goodbye


def test_a_parent_in_crisis_themself_is_not_answered_about_their_child(conversation):
    conversation.say("ik ben de vader van een meisje van 12")
    text = conversation.text_of("ik zie het zelf echt niet meer zitten")
    assert "113" in text and "112" in text
    assert "uw kind" not in text and re.search(r"\bu\b", text)


def test_violence_at_home_names_veilig_thuis(conversation):
    text = conversation.text_of("mijn stiefvader slaat me als ik thuisblijf van school")
    assert "0800-2000" in text and "112" in text


def test_robot_question_is_answered_honestly(conversation):
    reply = conversation.text_of("praat ik met een robot?")
    assert_shared(reply, "computerprogramma", "utter_bot_challenge")


def test_not_understood_gets_a_kind_fallback_with_suggestions(conversation):
    messages = conversation.say("blorp flarp snizzle")
    assert messages and payloads(messages)


def test_out_of_scope_gets_a_useful_answer(conversation):
    messages = conversation.say("wat voor weer wordt het morgen in heeze")
    assert messages and payloads(messages)


@pytest.mark.parametrize(
    "text",
    [
        " ",
        "😭😭😭",
        "<script>alert('x')</script>",
        "'; DROP TABLE referrals; --",
        "a" * 10_000,
        "Where can I find information in English?",
        "\x00\x01\x02",
    ],
)
def test_bad_input_gets_an_answer_and_breaks_nothing(conversation, text):
    messages = conversation.say(text)
    answer = "\n".join(m.get("text") or "" for m in messages)
    # A sensible answer: real text (a fallback that says what it can do, or buttons to choose
    # from), never the input echoed back as markup, SQL or control characters.
    assert messages and len(answer.strip()) >= 20, messages
    assert payloads(messages) or len(answer) >= 60, messages
    assert "<script" not in answer and "DROP TABLE" not in answer, answer
    assert not any(ord(c) < 32 and c not in "\n\t" for c in answer), answer
    if text.startswith("Where"):
        assert_says(answer, "utter_other_language")  # the English note
    # The server still answers normally afterwards.
    assert_says(conversation.text_of("wat is schoolweigering"), "utter_definition")


def test_what_users_type_never_reaches_the_logs(engine, conversation):
    marker = "mijn dochter Zoë-Annabel heeft buikpijn"
    conversation.say(marker)
    conversation.say("ik wil er niet meer zijn, 06-12345678")
    logs = "".join(p.read_text(errors="replace") for p in engine.log_dir.glob("*.log"))
    assert "Zoë-Annabel" not in logs and "06-12345678" not in logs
    assert conversation.sender not in logs


def test_after_abuse_every_later_reply_keeps_veilig_thuis_and_the_kindertelefoon(conversation):
    first = conversation.text_of("mn stiefvader slaat me als mn moeder er niet is")
    assert "0800-2000" in first
    for follow_up in ("nee", "oké", "laat maar", "wat is LANS?", "nee hoor", "doei"):
        text = conversation.text_of(follow_up)
        assert all(n in text for n in ("0800-2000", "0800-0432", "112")), (follow_up, text)


def test_after_suicidal_talk_a_topic_change_keeps_113(conversation):
    conversation.say("ik wil er niet meer zijn")
    for follow_up in ("hoe lang duurt LANS", "ok", "doei"):
        text = conversation.text_of(follow_up)
        assert "113" in text and "112" in text, (follow_up, text)


def test_talking_to_a_person_in_a_crisis_leads_to_113_and_the_kindertelefoon(conversation):
    conversation.say("ik wil echt dood")
    text = conversation.text_of("/request_human")
    assert "113.nl" in text and "0800-0432" in text and "kindertelefoon.nl" in text
    assert "doorverbinden" not in text


def test_a_parent_about_their_child_gets_the_parent_steps_before_any_role(conversation):
    text = conversation.text_of("mijn zoon van 14 zei gisteren dat hij liever dood wil")
    assert "uw kind" in text and "113" in text and "112" in text
    assert not re.search(r"\bje\b", text)


def test_a_student_about_a_friend_is_told_to_tell_an_adult(conversation):
    conversation.say('/inform_role{"role":"leerling"}')
    text = conversation.text_of("mijn beste vriendin zegt dat ze wil verdwijnen voor altijd")
    assert "volwassene" in text and "113" in text and "112" in text


def test_a_worrying_message_keeps_its_answer_and_gets_one_calm_line(conversation):
    # An answer that already names 112 and 113 gets no calm line; this one does not.
    messages = conversation.say("hij heeft al zijn knuffels weggegeven")
    assert len(messages) >= 2
    assert "112" in messages[-1]["text"] and "113" in messages[-1]["text"]
    assert "/crisis" in payloads(messages)


def test_a_crisis_in_the_question_box_is_answered_and_not_sent_as_a_question(conversation):
    conversation.say('/inform_role{"role":"leerling"}')
    conversation.say("/ask_anonymous_question")
    text = conversation.text_of("ik sta nu boven op de parkeergarage")
    assert "113" in text and "112" in text
    assert "code" not in text and "verstuurd" not in text  # no pickup code: nothing was sent


def test_a_crisis_that_names_a_role_stops_the_referral_form(conversation):
    # A loop that accepts the message outranks every rule: "moeder" must not fill the role.
    conversation.say('/inform_role{"role":"ouder"}')
    assert_says(conversation.text_of("ik wil mijn zoon aanmelden"), "utter_ask_referral_consent")
    text = conversation.text_of("ik ben zijn moeder en hij zegt dat hij niet meer wil leven")
    assert "113" in text and "112" in text and "akkoord" not in text
