"""The forms over HTTP: the real Rasa server, action server (with its outbox) and intake
service. A referral must reach the intake database exactly once, also when the intake service
was down while the parent confirmed it."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest
from cryptography.fernet import Fernet
from domain_responses import assert_says, payloads

from tests.service.conftest import Conversation
from tests.service.test_erasure import stored_text

REFERENCE = re.compile(r"\b([A-Z0-9]{3}-[A-Z0-9]{3})\b")
CHECK_ANSWERS = ["ja", "ja vooral op maandag", "ja", "ja", "ja", "nee", "ja", "nee", "ja"]


def database(intake_env: dict[str, str]) -> sqlite3.Connection:
    return sqlite3.connect(intake_env["DATABASE_URL"].removeprefix("sqlite:///"))


def referrals(intake_env: dict[str, str], reference: str) -> list[tuple]:
    with database(intake_env) as db:
        return db.execute(
            "SELECT status, child_first_name, phone FROM referrals WHERE reference = ?",
            (reference.replace("-", ""),),
        ).fetchall()


def outbox_state(intake_env: dict[str, str], reference: str) -> str | None:
    """The action server's outbox record of a referral: pending, delivered or rejected."""
    with sqlite3.connect(intake_env["LANS_OUTBOX_PATH"]) as db:
        row = db.execute(
            "SELECT state FROM outbox WHERE replace(reference, '-', '') = ?",
            (reference.replace("-", ""),),
        ).fetchone()
    return row[0] if row else None


def decrypt(intake_env: dict[str, str], token: str | None):
    if token is None:
        return None
    return json.loads(Fernet(intake_env["LANS_DATA_KEY"]).decrypt(token.encode()))


def fill_referral(conversation: Conversation, name: str = "Sanne") -> str:
    """A parent's whole referral; returns the bot's last answer (with the reference). Each
    answer is checked against the response it must get, in any of its variations."""
    steps = [
        ("ik wil mijn dochter aanmelden voor lans", "utter_ask_referral_consent"),
        ("ja", "utter_ask_child_first_name"),
        (name, "utter_ask_child_age"),
        ("ze is 13", "utter_ask_child_class"),
        ("2 havo", "utter_ask_absence_duration"),
        ("sinds de herfstvakantie", "utter_ask_absence_extent"),
        ("een paar dagen per week", "utter_ask_signs"),
        ("buikpijn op maandag en ze slaapt slecht", "utter_ask_both_parents_know"),
        ("ja", "utter_ask_parent_name"),
        ("Fatima de Vries", "utter_ask_contact_preference"),
        ("telefoon", "utter_ask_phone"),
        ("0612", "utter_phone_unclear"),  # a bad number is asked again, with an example
        ("06-12345678", "utter_ask_contact_time"),
    ]
    for answer, expected in steps:
        assert_says(conversation.text_of(answer), expected, role="ouder")
    reply = conversation.text_of("ochtend")
    assert_says(reply, "utter_ask_referral_confirmed", role="ouder", contact_preference="telefoon")
    assert "06 12345678" in reply and name in reply
    return conversation.text_of("ja, klopt")


@pytest.fixture
def parent(conversation) -> Conversation:
    conversation.say("ik ben de moeder van Sanne")
    return conversation


def test_the_check_asks_who_it_is_about_then_ten_questions_then_signals(conversation):
    first = conversation.say("is dit schoolweigering?")
    # outside Telegram and the web chat it asks who writes (either variation), with buttons
    assert_says(first, "utter_ask_role")
    assert any("inform_role" in p for p in payloads(first)), first
    assert_says(conversation.text_of("over mijn dochter"), "utter_ask_check_absence", role="ouder")
    for answer in CHECK_ANSWERS:
        reply = conversation.text_of(answer)
    assert_says(reply, "utter_ask_check_duration", role="ouder")
    result = conversation.say("een paar maanden")
    assert_says(result, "utter_check_result", role="ouder", check_outcome="refusal_signs")
    assert "klachten weg" in " ".join(m["text"] for m in result)  # the weekend signal, named
    assert "/request_referral" in payloads(result)


def test_a_question_in_the_middle_of_the_check_is_answered_and_the_check_goes_on(parent):
    assert_says(parent.text_of("doe de check"), "utter_ask_check_absence", role="ouder")
    reply = parent.text_of("wat is lans eigenlijk?")
    assert_says(reply, "utter_lans", role="ouder")
    assert_says(reply, "utter_ask_check_absence", role="ouder")
    assert_says(parent.text_of("ja"), "utter_ask_check_resistance", role="ouder")


def test_an_unclear_answer_is_asked_again(parent):
    parent.say("doe de check")
    reply = parent.text_of("blauw")
    assert_says(reply, "utter_yes_no_unclear", role="ouder")
    assert_says(reply, "utter_ask_check_absence", role="ouder")


def test_crisis_mid_check_then_nee_hoor_then_the_check_resumes(parent):
    parent.say("doe de check")
    parent.say("ja")
    crisis = parent.text_of("ze zegt dat ze dood wil")
    assert "113" in crisis and "112" in crisis
    assert "113" in parent.text_of("nee hoor")
    # Resumed where it was: the first question was answered already.
    resumed = parent.text_of("ik wil verder met de check")
    assert_says(resumed, "utter_ask_check_resistance", role="ouder")


def test_stopping_the_check_forgets_the_answers(parent):
    parent.say("doe de check")
    parent.say("ja")
    assert_says(parent.text_of("stop"), "utter_check_stopped", role="ouder")
    # starts again from the top
    assert_says(parent.text_of("doe de check"), "utter_ask_check_absence", role="ouder")


def test_no_consent_no_questions(parent):
    assert_says(parent.text_of("ik wil mijn dochter aanmelden"), "utter_ask_referral_consent")
    reply = parent.text_of("nee")
    assert_says(reply, "utter_referral_no_consent", role="ouder")
    assert "voornaam" not in reply.lower()


def test_a_student_is_not_asked_for_personal_data(conversation):
    conversation.say("ik zit in de brugklas")
    reply = conversation.text_of("ik wil me aanmelden voor lans")
    assert_says(reply, "utter_request_referral", role="leerling")
    assert "akkoord" not in reply


def test_a_confirmed_referral_arrives_once_and_can_be_withdrawn(
    parent, intake_env, engine, intake, tracker_key
):
    done = fill_referral(parent, name="Evelientje")
    reference = REFERENCE.search(done)
    assert reference and "niet bereikbaar" not in done, done
    assert_says(done, "utter_referral_sent", role="ouder")
    rows = referrals(intake_env, reference[1])
    assert len(rows) == 1
    status, name, phone = rows[0]
    assert status == "nieuw"
    assert decrypt(intake_env, name) == "Evelientje" and "Evelientje" not in name  # encrypted
    assert decrypt(intake_env, phone) == "+31612345678"

    # Withdrawing with the wrong phone number says nothing about whether it exists.
    asked = parent.text_of("ik wil mijn aanmelding intrekken")
    assert_says(asked, "utter_ask_withdraw_reference", role="ouder")
    parent.say(reference[1].lower())
    parent.say("06 87654321")
    assert_says(parent.text_of("ja"), "utter_withdraw_not_found", role="ouder")
    assert referrals(intake_env, reference[1])[0][0] == "nieuw"

    parent.say("verwijder mijn gegevens")
    parent.say(f"het nummer is {reference[1]}")
    assert_says(parent.text_of("06 12345678"), "utter_ask_withdraw_confirmed", role="ouder")
    assert_says(parent.text_of("ja"), "utter_withdraw_done", role="ouder")
    status, name, phone = referrals(intake_env, reference[1])[0]
    assert status == "ingetrokken" and name is None and phone is None
    # The conversation that held the answers is erased from Rasa's store too.
    kept = stored_text(engine, parent.sender, tracker_key)
    for personal in ("Evelientje", "Fatima", "12345678"):
        assert personal not in kept, personal

    # No log line of any of the three services holds what the parent typed.
    logs = "".join(
        p.read_text(errors="replace") for p in [*engine.log_dir.glob("*.log"), intake.log]
    )
    for personal in ("Evelientje", "Fatima", "Vries", "12345678", "87654321", parent.sender):
        assert personal not in logs, personal


def test_referral_confirmed_while_intake_is_down_is_delivered_once_later(
    parent, intake, intake_env
):
    intake.stop()
    try:
        done = fill_referral(parent, name="Noor")
        reference = REFERENCE.search(done)
        assert reference, done
        assert_says(done, "utter_referral_queued", role="ouder")  # "niet bereikbaar"
        # Checked while the service is still down: the outbox's retry (2 s after the failure,
        # with jitter) cannot have delivered it yet, however slow this machine is.
        assert referrals(intake_env, reference[1]) == []
        assert outbox_state(intake_env, reference[1]) == "pending"
    finally:
        intake.start()

    # Delivered once the outbox has marked it so; after that nothing retries it.
    deadline = time.monotonic() + 60
    while outbox_state(intake_env, reference[1]) != "delivered" and time.monotonic() < deadline:
        time.sleep(0.2)
    assert outbox_state(intake_env, reference[1]) == "delivered"
    rows = referrals(intake_env, reference[1])
    assert len(rows) == 1 and decrypt(intake_env, rows[0][1]) == "Noor"
