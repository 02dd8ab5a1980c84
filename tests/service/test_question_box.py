"""The anonymous question box in the conversation, over HTTP with the whole stack: a student
leaves a question, gets a pickup code, a staff member answers it in the dashboard, and the
student reads the answer with the code."""

from __future__ import annotations

import re
import sqlite3

import httpx
from domain_responses import assert_says

from tests.service.web.helpers import create_staff_account, login, post_form

CODE = re.compile(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b")
STAFF = ("lans.team", "een-lang-wachtwoord-42")


def latest_question_id(intake_env: dict[str, str]) -> int:
    path = intake_env["DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as db:
        return db.execute("SELECT MAX(id) FROM anonymous_questions").fetchone()[0]


def test_a_student_asks_anonymously_and_reads_the_staff_answer(conversation, intake, intake_env):
    conversation.say("ik zit in de tweede klas")
    asked = conversation.text_of("ik wil anoniem een vraag stellen")
    assert_says(asked, "utter_ask_anonymous_question", role="leerling")
    sent = conversation.text_of("hoe vertel ik mijn mentor dat ik bang ben voor gym")
    assert_says(sent, "utter_question_received", role="leerling")
    code = CODE.search(sent)
    assert code, sent

    assert_says(conversation.text_of("antwoord ophalen"), "utter_ask_pickup_code", role="leerling")
    assert_says(conversation.text_of(code[1].lower()), "utter_question_waiting", role="leerling")

    create_staff_account(intake_env, *STAFF)
    with httpx.Client(base_url=intake.url) as staff:
        assert login(staff, STAFF).status_code == 303
        question = f"/staff/vragen/{latest_question_id(intake_env)}"
        answer = {"answer": "Mail je mentor, of kom even langs bij mij."}
        answered = post_form(staff, f"{question}/antwoord", answer, page=question)
        assert answered.status_code == 303

    reply = conversation.text_of(f"is er al antwoord? mijn code is {code[1]}")
    assert_says(reply, "utter_question_answered", role="leerling")
    assert "kom even langs bij mij" in reply


def test_a_wrong_code_gets_a_clear_answer(conversation):
    conversation.say("ik wil het antwoord op mijn vraag ophalen")
    assert_says(conversation.text_of("QQQQ-QQQQ"), "utter_question_code_unknown")


def test_a_phone_number_in_the_question_is_refused(conversation):
    conversation.say("ik wil anoniem iets vragen")
    refused = conversation.text_of("kunnen jullie me bellen op 0612345678")
    assert_says(refused, "utter_question_personal")  # no role given: the default words
