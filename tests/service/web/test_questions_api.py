"""The API the student side uses: ask anonymously, read the answer with a pickup code."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from intake.helpers import raw_rows
from sqlalchemy import URL, select, update

from bot.intake.columns import utcnow
from bot.intake.models import AnonymousQuestion
from bot.intake.questions import ALPHABET, parse_code

from .helpers import login, make_accounts, post_form

CODE = re.compile(rf"^[{ALPHABET}]{{4}}-[{ALPHABET}]{{4}}$")


def _ask(client: TestClient, auth: dict[str, str], text: str = "Mag ik later beginnen?") -> str:
    response = client.post("/api/v1/questions", json={"question": text}, headers=auth)
    assert response.status_code == 201, response.text
    body = response.json()
    assert CODE.match(body["pickup_code"]), body
    assert body["status"] == "nieuw"
    return body["pickup_code"]


def _pick_up(client: TestClient, auth: dict[str, str], code: str):
    return client.post("/api/v1/questions/answer", json={"code": code}, headers=auth)


def test_ask_then_read_the_answer(client: TestClient, auth: dict[str, str], database_url: URL):
    code = _ask(client, auth)
    before = _pick_up(client, auth, code)
    assert before.status_code == 200
    assert before.json()["status"] == "nieuw" and before.json()["answer"] is None

    make_accounts(client)
    assert login(client).status_code == 303
    with client.app.state.sessions() as session:
        question_id = session.scalar(select(AnonymousQuestion.id))
    page = f"/staff/vragen/{question_id}"
    assert "Mag ik later beginnen?" in client.get(page).text
    answered = post_form(client, f"{page}/antwoord", {"answer": "Ja, overleg met je mentor."}, page)
    assert answered.status_code == 303

    # Any case, spaces instead of the dash: the same code.
    typed = code.lower().replace("-", " ")
    after = _pick_up(client, auth, typed)
    assert after.status_code == 200
    assert after.json()["status"] == "beantwoord"
    assert after.json()["answer"] == "Ja, overleg met je mentor."

    rows = raw_rows(database_url, "SELECT * FROM anonymous_questions")
    dump = repr(rows)
    assert code not in dump and parse_code(code) not in dump  # only a keyed hash is stored
    assert "Mag ik" not in dump and "mentor" not in dump  # encrypted at rest
    assert rows[0]["answered_by"] == "medewerker"


def test_wrong_or_malformed_codes_get_one_404(client: TestClient, auth: dict[str, str]) -> None:
    code = _ask(client, auth)
    other = "".join("A" if c != "A" else "C" for c in parse_code(code))
    answers = [
        _pick_up(client, auth, text)
        for text in (f"{other[:4]}-{other[4:]}", "ABC", "0000-0000", "x" * 40, "")
    ]
    assert {response.status_code for response in answers} == {404}
    assert len({response.text for response in answers}) == 1
    assert _pick_up(client, auth, "x" * 41).status_code == 422


def test_an_expired_question_is_gone(client: TestClient, auth: dict[str, str], database_url: URL):
    code = _ask(client, auth, "Een vraag die verloopt")
    with client.app.state.sessions.begin() as session:
        session.execute(
            update(AnonymousQuestion).values(expires_at=utcnow() - timedelta(minutes=1))
        )
    gone = _pick_up(client, auth, code)
    assert gone.status_code == 410
    rows = raw_rows(database_url, "SELECT question, answer, status FROM anonymous_questions")
    assert rows == [{"question": None, "answer": None, "status": "verlopen"}]


def test_expiry_is_configurable(client: TestClient, auth: dict[str, str]) -> None:
    response = client.post("/api/v1/questions", json={"question": "Hoi"}, headers=auth)
    days = client.app.state.settings.question_expiry_days
    assert days == 30
    with client.app.state.sessions() as session:
        question = session.scalar(select(AnonymousQuestion))
    remaining = question.expires_at - question.created_at
    assert (
        timedelta(days=days) - timedelta(minutes=1) < remaining <= timedelta(days=days, seconds=5)
    )
    assert response.json()["expires_at"].startswith(question.expires_at.strftime("%Y-%m-%d"))


def test_question_api_needs_the_token_and_valid_text(
    client: TestClient, auth: dict[str, str]
) -> None:
    assert client.post("/api/v1/questions", json={"question": "Hoi"}).status_code == 401
    assert client.post("/api/v1/questions/answer", json={"code": "AAAA-CCCC"}).status_code == 401
    for body in (
        {"question": ""},
        {"question": "   "},
        {"question": "x" * 1001},
        {"question": "a\x00b"},
        {"question": "Hoi", "name": "Sam"},
        {},
    ):
        response = client.post("/api/v1/questions", json=body, headers=auth)
        assert response.status_code == 422, body
        assert "Sam" not in response.text
    assert (
        client.post("/api/v1/questions", json={"question": "x" * 1000}, headers=auth).status_code
        == 201
    )
