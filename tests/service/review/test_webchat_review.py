"""The web chat after the security review (issue 18): no intent from typed text, no session
fixation, the phone/e-mail filter in the question box, limits per server-issued session first
with per-IP ceilings (IPv6 per /64), and the service-wide budget of wrong pickup codes shared
with the API. Real HTTP to uvicorn, real database."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select

from bot.intake.models import AnonymousQuestion, QuestionStatus
from bot.intake.questions import create_question
from bot.web.chat.app import SESSION_COOKIE
from bot.web.chat.state import new_session_id, pseudonym

from .conftest import Served, post


@pytest.mark.parametrize(
    ("typed", "arrives"),
    [
        ("/ /restart", "restart"),
        (" /x", "x"),
        ('/\t/ //inform_role{"role": "ouder"}', 'inform_role{"role": "ouder"}'),
        ("\u00a0\u2003/ \n/stop", "stop"),
    ],
)
def test_typed_text_never_becomes_an_intent(serve, typed: str, arrives: str):
    served: Served = serve()
    with served.client() as browser:
        assert post(browser, "/chat/bericht", bericht=typed).status_code == 200  # after 303
    assert [m["message"] for m in served.rasa.received] == [arrives]


def test_only_slashes_send_nothing(serve):
    served: Served = serve()
    with served.client() as browser:
        response = post(browser, "/chat/bericht", bericht=" / // /")
    assert response.status_code == 422
    assert served.rasa.received == []


def test_an_unknown_session_id_is_replaced_by_a_fresh_one(serve):
    served: Served = serve()
    planted = new_session_id()  # well-formed, but this server never issued it
    with served.client() as browser:
        browser.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1", path="/chat")
        token_page = browser.get("/chat")
        assert token_page.status_code == 200
        response = post(browser, "/chat/bericht", bericht="hoi")
        assert response.status_code == 200
        issued = browser.cookies.get(SESSION_COOKIE, path="/chat")
        assert issued and issued != planted
        sender = served.rasa.received[-1]["sender"]
        assert sender == pseudonym(served.app.state.web_chat.secret, issued)
        assert sender != pseudonym(served.app.state.web_chat.secret, planted)
        # The issued session is known now: it stays the same for the next message.
        post(browser, "/chat/bericht", bericht="nog een vraag")
        assert browser.cookies.get(SESSION_COOKIE, path="/chat") == issued
        assert served.rasa.received[-1]["sender"] == sender
    # Whoever planted the id sees nothing of the conversation.
    with served.client() as other:
        other.cookies.set(SESSION_COOKIE, planted, domain="127.0.0.1", path="/chat")
        assert "nog een vraag" not in other.get("/chat").text


def _questions(served: Served) -> int:
    with served.app.state.sessions() as session:
        return session.scalar(select(func.count(AnonymousQuestion.id)))


@pytest.mark.parametrize(
    "question",
    [
        "Mag ik later beginnen? Bel me op 06-12345678",
        "Kunt u mailen naar sanne.de.vries@example.nl over mijn rooster?",
        "Mijn nummer is +31 6 1234 5678, wat moet ik doen",
    ],
)
def test_the_question_box_refuses_phone_numbers_and_e_mail_addresses(serve, question: str):
    served: Served = serve()
    with served.client() as browser:
        response = post(browser, "/chat/vraag", vraag=question)
    assert response.status_code == 422
    assert "telefoonnummer of e-mailadres" in response.text
    assert _questions(served) == 0


def test_students_behind_one_school_address_do_not_block_each_other(serve):
    served: Served = serve()  # the default limits
    school = "203.0.113.7"
    for _ in range(12):  # twelve students, each in their own browser, one NAT address
        with served.client(school) as browser:
            response = post(browser, "/chat/vraag", vraag="Mag ik later beginnen?")
            assert response.status_code == 200, response.text
            assert "bewaar" in response.text.lower()
    assert _questions(served) == 12
    # One student's own session is limited (5 an hour), the others are not affected.
    with served.client(school) as one:
        statuses = [post(one, "/chat/vraag", vraag="Nog een vraag?").status_code for _ in range(6)]
    assert statuses == [200] * 5 + [429]
    with served.client(school) as another:
        assert post(another, "/chat/vraag", vraag="Mijn vraag?").status_code == 200


def test_the_per_address_ceiling_counts_an_ipv6_client_per_64(serve):
    served: Served = serve(chat_rate_question_ip="4/hour")
    statuses = []
    for host in range(1, 7):  # fresh sessions and fresh addresses, all in one /64
        with served.client(f"2001:db8:1:2::{host:x}") as browser:
            statuses.append(post(browser, "/chat/vraag", vraag="Een vraag?").status_code)
    assert statuses == [200] * 4 + [429] * 2
    with served.client("2001:db8:1:3::1") as elsewhere:  # another /64
        assert post(elsewhere, "/chat/vraag", vraag="Een vraag?").status_code == 200
    with served.client("::ffff:198.51.100.4") as mapped, served.client("198.51.100.4") as plain:
        assert post(mapped, "/chat/vraag", vraag="Een vraag?").status_code == 200
        assert post(plain, "/chat/vraag", vraag="Een vraag?").status_code == 200


def test_pickup_guesses_from_rotating_ipv6_addresses_hit_the_ceiling(serve):
    served: Served = serve(chat_rate_pickup_ip="5/10 minutes", pickup_failure_limit="1000/hour")
    statuses = []
    for host in range(1, 9):
        with served.client(f"2001:db8:9:9:{host:x}::1") as browser:
            statuses.append(post(browser, "/chat/antwoord", code="KM7Q-4XTA").status_code)
    assert statuses == [404] * 5 + [429] * 3


def test_wrong_codes_share_one_service_wide_budget_across_the_api_and_the_web_chat(
    serve, auth: dict[str, str]
):
    served: Served = serve(pickup_failure_limit="6/hour")
    created = create_question(
        served.app.state.sessions, "Mag ik later beginnen?", served.app.state.index_key, 30
    )
    with served.client() as api:
        # The right code works while the budget has room.
        ok = api.post("/api/v1/questions/answer", json={"code": created.code}, headers=auth)
        assert ok.status_code == 200 and ok.json()["status"] == "nieuw"
        # Wrong codes through the API (the path a code typed in the conversation takes) ...
        for guess in ("AAAA-AAA3", "AAAA-AAA4", "AAAA-AAA6"):
            body = {"code": guess}
            assert api.post("/api/v1/questions/answer", json=body, headers=auth).status_code == 404
        # ... and through the web form, each from a new browser and address ...
        for number, guess in enumerate(("AAAA-AAA7", "AAAA-AAA9", "AAAA-AAAC"), start=1):
            with served.client(f"192.0.2.{number}") as browser:
                assert post(browser, "/chat/antwoord", code=guess).status_code == 404
        # ... use up one budget: now every pickup waits, even with the right code, on both paths.
        paused = api.post("/api/v1/questions/answer", json={"code": created.code}, headers=auth)
        assert paused.status_code == 429 and int(paused.headers["retry-after"]) >= 1
        with served.client("192.0.2.200") as browser:
            response = post(browser, "/chat/antwoord", code=created.code)
            assert response.status_code == 429
            assert "Mag ik later beginnen?" not in response.text


def test_a_wrong_code_writes_nothing_to_the_database(serve, auth: dict[str, str]):
    served: Served = serve()
    sessions = served.app.state.sessions
    create_question(sessions, "Een vraag", served.app.state.index_key, 30)
    engine = sessions.kw["bind"]
    writes: list[str] = []

    def record(_conn, _cursor, statement: str, *_args) -> None:
        if statement.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        with served.client() as client:
            for guess in ("KM7Q-4XTA", "7NM7-EKKG", "AAAA-AAA3"):
                body = {"code": guess}
                assert (
                    client.post("/api/v1/questions/answer", json=body, headers=auth).status_code
                    == 404
                )
                assert post(client, "/chat/antwoord", code=guess).status_code == 404
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert writes == []


def test_an_expired_code_erases_its_question_at_once(serve, auth: dict[str, str]):
    served: Served = serve()
    sessions = served.app.state.sessions
    created = create_question(sessions, "Verlopen vraag", served.app.state.index_key, 30)
    with sessions.begin() as session:
        question = session.scalar(select(AnonymousQuestion))
        question.expires_at = question.created_at.replace(year=question.created_at.year - 1)
    with served.client() as client:
        gone = client.post("/api/v1/questions/answer", json={"code": created.code}, headers=auth)
    assert gone.status_code == 410
    with sessions() as session:
        question = session.scalar(select(AnonymousQuestion))
        assert question.status == QuestionStatus.EXPIRED and question.question is None


def test_the_pickup_arithmetic_in_security_md_holds_for_the_defaults():
    """SECURITY.md's table: at the default budget, with two replicas and 1,000 live
    questions, opening any question takes on average more than a thousand years."""
    from limits import parse_many

    from bot.intake.reference import ALPHABET, PICKUP_CODE_LENGTH
    from bot.intake.settings import PROJECT_ROOT, Settings

    codes = len(ALPHABET) ** PICKUP_CODE_LENGTH
    assert codes == 152_587_890_625
    default = Settings.model_fields["pickup_failure_limit"].default
    per_day = min(item.amount * 86400 // item.get_expiry() for item in parse_many(default))
    assert per_day == 100
    guesses_a_year = 2 * per_day * 365
    chance_a_year = guesses_a_year * 1000 / codes
    assert chance_a_year < 5e-4 and 1 / chance_a_year > 2000
    security = (PROJECT_ROOT / "SECURITY.md").read_text()
    assert "default 20 an hour and 100 a day" in security and "73,000 a year" in security
