"""The web chat page without a browser: the intake service's app (TestClient), a temporary
SQLite database, and Rasa faked in-process (httpx MockTransport)."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select, update

from bot.intake.columns import utcnow
from bot.intake.models import AnonymousQuestion, QuestionStatus
from bot.web.chat.views import TEXT

from .conftest import FakeRasa, post

CODE = re.compile(r'<p class="pickup">([A-Z0-9]{4}-[A-Z0-9]{4})</p>')


def transcript(client: TestClient) -> str:
    return client.get("/chat").text


def test_the_page_is_dutch_says_it_is_a_bot_and_has_the_help_lines(chat: TestClient) -> None:
    page = chat.get("/chat")
    assert page.status_code == 200
    html = page.text
    assert '<html lang="nl">' in html
    assert "chatbot" in html and "geen mens" in html
    for number in ('href="tel:112"', 'href="tel:08000113"', 'href="tel:08000432"'):
        assert number in html
    assert "<script" not in html and "http://" not in html.replace("http://testserver", "")
    headers = page.headers
    assert "default-src 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert "lans_chat_csrf" in headers["set-cookie"]
    assert chat.get("/chat/static/chat.css").status_code == 200


def test_a_message_goes_to_rasa_under_a_pseudonym_and_the_answer_is_shown(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    sent = post(chat, "/chat/bericht", bericht="ik durf niet naar school")
    assert sent.status_code == 303 and sent.headers["location"] == "/chat#laatste"
    cookie = sent.headers["set-cookie"]
    assert "lans_chat=" in cookie and "HttpOnly" in cookie
    assert "samesite=lax" in cookie.lower() and "Path=/chat" in cookie
    session_id = chat.cookies.get("lans_chat")
    sender = fake_rasa.received[0]["sender"]
    assert sender.startswith("web-") and session_id not in sender
    assert fake_rasa.received[0]["message"] == "ik durf niet naar school"
    html = transcript(chat)
    assert "Je schreef: ik durf niet naar school" in html
    assert 'id="laatste"' in html

    # A button: the page sends its number, the payload stays on the server.
    pressed = post(chat, "/chat/knop", knop="1", titel="Anoniem iets vragen")
    assert pressed.status_code == 303
    assert fake_rasa.received[-1] == {"sender": sender, "message": "/ask_anonymous_question"}
    assert "Anoniem iets vragen" in transcript(chat)

    # A button from an older page (its title no longer matches) sends nothing.
    stale = post(chat, "/chat/knop", knop="0", titel="Iets van vroeger")
    assert stale.status_code == 409 and TEXT["old_button"] in stale.text
    assert len(fake_rasa.received) == 2


def test_an_empty_answer_from_rasa_gets_a_clear_message(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.silent = True
    assert post(chat, "/chat/bericht", bericht="ja").status_code == 303
    assert TEXT["no_answer"] in transcript(chat)


def test_the_first_buttons_ask_who_is_typing(chat: TestClient, fake_rasa: FakeRasa) -> None:
    assert "Ik ben leerling" in chat.get("/chat").text
    post(chat, "/chat/knop", knop="0", titel="Ik ben leerling")
    assert fake_rasa.received[0]["message"] == '/inform_role{"role": "leerling"}'


def test_typed_html_is_escaped_and_a_typed_slash_is_not_an_intent(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    post(chat, "/chat/bericht", bericht="<script>alert(1)</script>")
    html = transcript(chat)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    post(chat, "/chat/bericht", bericht="/restart")
    assert fake_rasa.received[-1]["message"] == "restart"


def test_empty_and_too_long_messages_get_a_clear_answer_and_keep_the_text(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    empty = post(chat, "/chat/bericht", bericht="   ")
    assert empty.status_code == 422 and TEXT["empty"] in empty.text
    long_text = "a" * 1001
    too_long = post(chat, "/chat/bericht", bericht=long_text)
    assert too_long.status_code == 422
    assert "maximaal 1000 tekens" in too_long.text
    assert long_text in too_long.text  # kept in the textarea
    assert fake_rasa.received == []


def test_unreachable_rasa_gets_a_kind_message_and_the_text_stays(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    fake_rasa.down = True
    answer = post(chat, "/chat/bericht", bericht="ik wil iets vragen over school")
    assert answer.status_code == 503
    assert "Dat ligt niet aan jou" in answer.text and "113" in answer.text
    assert ">ik wil iets vragen over school</textarea>" in answer.text
    fake_rasa.down = False
    assert post(chat, "/chat/bericht", bericht="nog een keer").status_code == 303


def test_forms_without_a_csrf_token_are_refused(chat: TestClient, fake_rasa: FakeRasa) -> None:
    chat.get("/chat")
    for path, field in (("/chat/bericht", "bericht"), ("/chat/vraag", "vraag")):
        refused = chat.post(path, data={field: "hallo"}, follow_redirects=False)
        assert refused.status_code == 403
        assert TEXT["stale_form"] in refused.text
    wrong = chat.post("/chat/bericht", data={"bericht": "x", "csrf_token": "fout"})
    assert wrong.status_code == 403
    assert fake_rasa.received == []


def test_messages_are_rate_limited_per_session_and_per_ip(make_client) -> None:
    chat = make_client(chat_rate_session="3/minute", chat_rate_ip="5/minute")
    for number in range(3):
        assert post(chat, "/chat/bericht", bericht=f"bericht {number}").status_code == 303
    limited = post(chat, "/chat/bericht", bericht="nog eentje")
    assert limited.status_code == 429
    assert TEXT["too_fast"] in limited.text and ">nog eentje</textarea>" in limited.text
    # Another session from the same address: the per-IP limit (5) still counts the first.
    chat.cookies.clear()
    assert post(chat, "/chat/bericht", bericht="nieuw 1").status_code == 303
    assert post(chat, "/chat/bericht", bericht="nieuw 2").status_code == 303
    assert post(chat, "/chat/bericht", bericht="nieuw 3").status_code == 429


def test_a_new_conversation_forgets_the_old_one(chat: TestClient, fake_rasa: FakeRasa) -> None:
    post(chat, "/chat/bericht", bericht="eerste gesprek")
    old = chat.cookies.get("lans_chat")
    assert post(chat, "/chat/opnieuw").status_code == 303
    assert fake_rasa.received[-1]["message"] == "/restart"
    assert fake_rasa.received[-1]["sender"] == fake_rasa.received[0]["sender"]
    assert chat.cookies.get("lans_chat") != old
    assert "eerste gesprek" not in transcript(chat)
    post(chat, "/chat/bericht", bericht="tweede gesprek")
    assert fake_rasa.received[-1]["sender"] != fake_rasa.received[0]["sender"]


def test_an_anonymous_question_gets_a_code_and_the_answer_is_read_with_it(
    chat: TestClient, fake_rasa: FakeRasa
) -> None:
    asked = post(chat, "/chat/vraag", vraag="Mag ik later op de dag beginnen?")
    assert asked.status_code == 303 and asked.headers["location"] == "/chat#vraag"
    page = chat.get("/chat").text
    code = CODE.search(page).group(1)
    assert "Bewaar deze code" in page
    assert fake_rasa.received == []  # the question box does not go through Rasa

    pending = post(chat, "/chat/antwoord", code=code.lower().replace("-", " "))
    assert pending.status_code == 200 and TEXT["pickup_pending"] in pending.text

    sessions = chat.app.state.sessions
    with sessions.begin() as session:
        question = session.scalar(select(AnonymousQuestion))
        assert question.question == "Mag ik later op de dag beginnen?"
        question.answer = "Dat kan soms. Bespreek het met je mentor."
        question.status = QuestionStatus.ANSWERED
        question.answered_at = utcnow()
    answered = post(chat, "/chat/antwoord", code=code)
    assert "Dat kan soms. Bespreek het met je mentor." in answered.text
    assert "Mag ik later op de dag beginnen?" in answered.text

    # A wrong code, a malformed one and an expired one get the same answer.
    for wrong in ("ABCD-EFGH", "hallo", ""):
        refused = post(chat, "/chat/antwoord", code=wrong)
        assert refused.status_code == 404 and TEXT["pickup_unknown"] in refused.text
    with sessions.begin() as session:
        session.execute(update(AnonymousQuestion).values(expires_at=utcnow() - timedelta(days=1)))
    expired = post(chat, "/chat/antwoord", code=code)
    assert expired.status_code == 404 and TEXT["pickup_unknown"] in expired.text
    assert "Dat kan soms" not in expired.text


def test_bad_questions_are_refused_kindly(chat: TestClient) -> None:
    assert post(chat, "/chat/vraag", vraag=" ").status_code == 422
    too_long = post(chat, "/chat/vraag", vraag="b" * 1001)
    assert too_long.status_code == 422 and TEXT["question_too_long"] in too_long.text
    control = post(chat, "/chat/vraag", vraag="hallo\x00daar")
    assert control.status_code == 422 and TEXT["question_invalid"] in control.text


def test_questions_and_code_attempts_are_rate_limited(make_client) -> None:
    chat = make_client(chat_rate_question="2/hour", chat_rate_pickup="3/10 minutes")
    assert post(chat, "/chat/vraag", vraag="vraag 1").status_code == 303
    assert post(chat, "/chat/vraag", vraag="vraag 2").status_code == 303
    limited = post(chat, "/chat/vraag", vraag="vraag 3")
    assert limited.status_code == 429 and TEXT["question_too_fast"] in limited.text
    for _ in range(3):
        assert post(chat, "/chat/antwoord", code="ABCD-EFGH").status_code == 404
    assert post(chat, "/chat/antwoord", code="ABCD-EFGH").status_code == 429
