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
    """A parent's whole referral; returns the bot's last answer (with the reference)."""
    assert "akkoord" in conversation.text_of("ik wil mijn dochter aanmelden voor lans")
    assert re.search("voornaam|hoe heet", conversation.text_of("ja").lower())
    steps = [
        (name, "oud"),
        ("ze is 13", "klas"),
        ("2 havo", "hoe lang"),
        ("sinds de herfstvakantie", "hoeveel"),
        ("een paar dagen per week", "signalen"),
        ("buikpijn op maandag en ze slaapt slecht", "beide ouders"),
        ("ja", "uw naam"),
        ("Fatima de Vries", "contact"),
        ("telefoon", "telefoonnummer"),
        ("0612", "klopt niet"),  # a bad number is asked again, with an example
        ("06-12345678", "bereiken"),
        ("ochtend", "klopt dit"),
    ]
    for answer, expected in steps:
        reply = conversation.text_of(answer)
        assert expected in reply.lower(), (answer, reply)
    assert "06 12345678" in reply and name in reply
    return conversation.text_of("ja, klopt")


@pytest.fixture
def parent(conversation) -> Conversation:
    conversation.say("ik ben de moeder van Sanne")
    return conversation


def test_the_check_asks_who_it_is_about_then_ten_questions_then_signals(conversation):
    first = conversation.say("is dit schoolweigering?")
    # outside Telegram and the web chat it asks who writes (either variation)
    payloads = [b["payload"] for m in first for b in m.get("buttons") or []]
    assert any("inform_role" in p for p in payloads), first
    assert "Mist uw kind" in conversation.text_of("over mijn dochter")
    for answer in CHECK_ANSWERS:
        reply = conversation.text_of(answer)
    assert "Hoe lang" in reply
    result = conversation.say("een paar maanden")
    text = " ".join(m["text"] for m in result)
    assert "schoolweigering" in text and "geen diagnose" in text
    assert "weg in het weekend" in text  # the signals, named
    assert "/request_referral" in [b["payload"] for m in result for b in m.get("buttons") or []]


def test_a_question_in_the_middle_of_the_check_is_answered_and_the_check_goes_on(parent):
    assert "Mist uw kind" in parent.text_of("doe de check")
    reply = parent.text_of("wat is lans eigenlijk?")
    assert "LANS" in reply and "Mist uw kind" in reply
    assert "verzet" in parent.text_of("ja")


def test_an_unclear_answer_is_asked_again(parent):
    parent.say("doe de check")
    reply = parent.text_of("blauw")
    assert "ja, nee of weet ik niet" in reply and "Mist uw kind" in reply


def test_crisis_mid_check_then_nee_hoor_then_the_check_resumes(parent):
    parent.say("doe de check")
    parent.say("ja")
    crisis = parent.text_of("ze zegt dat ze dood wil")
    assert "113" in crisis and "112" in crisis
    assert "113" in parent.text_of("nee hoor")
    # Resumed where it was: the first question was answered already.
    assert "verzet" in parent.text_of("ik wil verder met de check")


def test_stopping_the_check_forgets_the_answers(parent):
    parent.say("doe de check")
    parent.say("ja")
    assert "niet naar school" in parent.text_of("stop").replace("niets", "niet")
    assert "Mist uw kind" in parent.text_of("doe de check")  # starts again from the top


def test_no_consent_no_questions(parent):
    assert "akkoord" in parent.text_of("ik wil mijn dochter aanmelden")
    reply = parent.text_of("nee")
    assert "niets" in reply and "voornaam" not in reply.lower()


def test_a_student_is_not_asked_for_personal_data(conversation):
    conversation.say("ik zit in de brugklas")
    reply = conversation.text_of("ik wil me aanmelden voor lans")
    assert "akkoord" not in reply and "ouders" in reply


def test_a_confirmed_referral_arrives_once_and_can_be_withdrawn(
    parent, intake_env, engine, intake, tracker_key
):
    done = fill_referral(parent, name="Evelientje")
    reference = REFERENCE.search(done)
    assert reference and "referentienummer" in done and "niet bereikbaar" not in done, done
    rows = referrals(intake_env, reference[1])
    assert len(rows) == 1
    status, name, phone = rows[0]
    assert status == "nieuw"
    assert decrypt(intake_env, name) == "Evelientje" and "Evelientje" not in name  # encrypted
    assert decrypt(intake_env, phone) == "+31612345678"

    # Withdrawing with the wrong phone number says nothing about whether it exists.
    assert "referentienummer" in parent.text_of("ik wil mijn aanmelding intrekken")
    parent.say(reference[1].lower())
    parent.say("06 87654321")
    wrong = parent.text_of("ja")
    assert "kan ik geen aanmelding intrekken" in wrong
    assert referrals(intake_env, reference[1])[0][0] == "nieuw"

    parent.say("verwijder mijn gegevens")
    parent.say(f"het nummer is {reference[1]}")
    assert "zeker" in parent.text_of("06 12345678")
    assert "ingetrokken" in parent.text_of("ja")
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
        assert reference and "niet bereikbaar" in done, done
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
