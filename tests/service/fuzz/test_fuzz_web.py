"""Property-based tests (hypothesis) of what the channels take from users: the web chat's forms
(in-process on the real app, Rasa faked), the staff dashboard's login, search, notes and
answers, the Telegram bridge's message splitting and callback data, and the parsing of Rasa's
answers. No input may give a 5xx or an unhandled exception (the test client re-raises them),
and no user text may reach a page as markup."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from web.helpers import STAFF, make_accounts

from bot.intake.models import Referral
from bot.telegram.bridge import CALLBACK_PREFIX, ButtonStore, sender_id, split_text
from bot.web.auth import AccountError, check_password, check_username
from bot.web.chat.state import pseudonym, valid_session_id
from bot.web.rasa_rest import RasaUnavailable, parse_messages
from bot.web.staff.views import _clean_text
from tests.fuzz_support import FUZZ, exercised, hit

# What a browser can send: any text that UTF-8 can encode (no lone surrogates), with markup.
MARKUP = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"'><b>", "{{7*7}}"]
form_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8")),
    st.text(alphabet=st.characters(codec="utf-8", max_codepoint=0x9F), max_size=30),
    st.builds(
        lambda a, m, b: a + m + b,
        st.text(max_size=10),
        st.sampled_from(MARKUP),
        st.text(max_size=10),
    ),
    st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=10), st.integers(100, 2500)),
).map(lambda s: s.encode("utf-8", "ignore").decode())
any_text = st.one_of(st.text(), st.text(alphabet=st.characters(codec=None, categories=None)))
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def token(client: TestClient, page: str) -> str:
    found = _TOKEN.search(client.get(page).text)
    assert found, page
    return found.group(1)


def no_user_markup(html: str) -> None:
    """The pages have no scripts, images or <b> of their own: any such tag came from a user."""
    lower = html.lower()
    assert "<script" not in lower and "<img" not in lower and "<b>" not in lower


# ---------- web chat ----------


@pytest.fixture(scope="module")
def chat(fuzz_client: TestClient) -> TestClient:
    return fuzz_client


@exercised("a relayed message")
@FUZZ
@given(text=form_text)
def test_any_chat_message_is_relayed_or_refused_never_a_5xx(chat: TestClient, text: str) -> None:
    response = chat.post(
        "/chat/bericht",
        data={"bericht": text, "csrf_token": token(chat, "/chat")},
        follow_redirects=False,
    )
    assert response.status_code in (303, 413, 422, 429), response.status_code
    if response.status_code == 303:
        hit("a relayed message")
        assert 0 < len(text.strip()) <= 1000
    page = chat.get("/chat")
    assert page.status_code == 200
    no_user_markup(page.text)


@FUZZ
@given(choice=form_text, title=form_text)
def test_any_button_press_is_relayed_or_refused(chat: TestClient, choice: str, title: str) -> None:
    response = chat.post(
        "/chat/knop",
        data={"knop": choice, "titel": title, "csrf_token": token(chat, "/chat")},
        follow_redirects=False,
    )
    assert response.status_code in (303, 409, 413, 429), response.status_code


@FUZZ
@given(question=form_text, code=form_text)
def test_any_question_and_pickup_code(chat: TestClient, question: str, code: str) -> None:
    asked = chat.post(
        "/chat/vraag",
        data={"vraag": question, "csrf_token": token(chat, "/chat")},
        follow_redirects=False,
    )
    assert asked.status_code in (303, 413, 422, 429), asked.status_code
    picked = chat.post("/chat/antwoord", data={"code": code, "csrf_token": token(chat, "/chat")})
    assert picked.status_code in (200, 404, 413, 429), picked.status_code
    no_user_markup(picked.text)


# Valid session ids on purpose (random printable text is almost never one), next to any cookie.
session_ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
                      min_size=32, max_size=64)  # fmt: skip


@exercised("a valid session id")
@FUZZ
@given(
    cookie=st.one_of(
        st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E)), session_ids
    )
)
def test_any_session_cookie_is_ignored_or_used(fuzz_app: FastAPI, cookie: str) -> None:
    with TestClient(fuzz_app, cookies={"lans_chat": cookie}) as client:
        assert client.get("/chat").status_code == 200
        refused = client.post("/chat/bericht", data={"bericht": "hoi"}, follow_redirects=False)
        assert refused.status_code == 403  # no CSRF token
    session = valid_session_id(cookie)
    assert session is None or session == cookie
    if session is not None:  # 32+ characters: the pseudonym cannot contain it by chance
        hit("a valid session id")
        assert cookie not in pseudonym(b"k" * 32, cookie)


# ---------- staff dashboard ----------


@pytest.fixture(scope="module")
def staff(fuzz_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(fuzz_app) as client:
        make_accounts(client)
        logged_in = client.post(
            "/staff/login",
            data={
                "username": STAFF[0],
                "password": STAFF[1],
                "csrf_token": token(client, "/staff/login"),
            },
            follow_redirects=False,
        )
        assert logged_in.status_code == 303
        yield client


@FUZZ
@given(username=form_text, password=form_text)
def test_any_login_attempt_is_refused_without_a_5xx(fuzz_app, username: str, password: str):
    with TestClient(fuzz_app) as client:
        response = client.post(
            "/staff/login",
            data={
                "username": username,
                "password": password,
                "csrf_token": token(client, "/staff/login"),
            },
            follow_redirects=False,
        )
        assert response.status_code in (200, 400, 401, 403, 413, 422, 429), response.status_code
        no_user_markup(response.text)


query_text = form_text.map(lambda s: s[:500])  # a URL holds at most 64 KiB (httpx)


@FUZZ
@given(q=query_text, kind=query_text, status=query_text, assignee=query_text)
def test_any_search_and_filter(staff: TestClient, q: str, kind: str, status: str, assignee: str):
    params = {"q": q, "type": kind, "status": status, "assignee": assignee}
    response = staff.get("/staff/", params=params)
    assert response.status_code == 200
    no_user_markup(response.text)
    assert staff.get("/staff/export.csv", params=params).status_code == 200


@pytest.fixture(scope="module")
def referral_id(staff: TestClient, fuzz_app: FastAPI, test_secrets) -> int:
    created = staff.post(
        "/api/v1/referrals",
        json={
            "child_first_name": "Sam", "child_age": 13, "child_class": "2B",
            "absence_duration": "sinds de herfst", "absence_extent": "twee dagen",
            "both_parents_know": "ja", "parent_name": "Ria", "phone": "06 12345678",
            "contact_preference": "telefoon", "contact_time": "na 16:00",
            "consent_version": "2026-11", "channel": "test",
        },
        headers={"Authorization": f"Bearer {test_secrets.token}", "Idempotency-Key": "fuzz-web-1"},
    )  # fmt: skip
    assert created.status_code in (200, 201)
    with fuzz_app.state.sessions() as session:
        return session.scalars(select(Referral.id)).first()


@FUZZ
@given(note=form_text, status=form_text, assignee=form_text)
def test_any_note_status_and_assignee(staff, referral_id: int, note: str, status: str, assignee):
    page = f"/staff/aanmeldingen/{referral_id}"
    for path, data in (
        (f"{page}/notities", {"text": note}),
        (f"{page}/status", {"status": status, "note": note}),
        (f"{page}/toewijzen", {"assignee": assignee}),
    ):
        response = staff.post(
            path, data={**data, "csrf_token": token(staff, page)}, follow_redirects=False
        )
        assert response.status_code in (303, 400, 413, 422), (path, response.status_code)
    shown = staff.get(page)
    assert shown.status_code == 200
    no_user_markup(shown.text)


@exercised("a cleaned text")
@FUZZ
@given(st.one_of(any_text, st.sampled_from(["anne", "Anne.de-Vries", "  een notitie  "])))
def test_account_and_text_checks_never_raise_anything_else(text: str) -> None:
    for check in (check_username, check_password):
        with contextlib.suppress(AccountError):
            assert check(text)
    cleaned = _clean_text(text, 1000)
    if cleaned is not None:
        hit("a cleaned text")
        assert 0 < len(cleaned) <= 1000 and cleaned == cleaned.strip()


# ---------- Telegram bridge and Rasa's answers ----------


@FUZZ
@given(text=any_text, limit=st.integers(20, 4000))
def test_long_answers_are_split_without_losing_text(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())


@FUZZ
@given(chat_id=st.integers(), data=st.one_of(st.none(), any_text), payload=any_text)
def test_callback_data_is_short_and_only_known_ids_resolve(chat_id: int, data, payload: str):
    buttons = ButtonStore()
    assert buttons.get(chat_id, data) is None
    key = buttons.add(chat_id, payload)
    assert key.startswith(CALLBACK_PREFIX) and len(key.encode()) <= 64
    assert buttons.get(chat_id, key) == payload
    assert buttons.get(chat_id + 1, key) is None


@FUZZ
@given(st.integers(min_value=10**8, max_value=2**52))
def test_the_telegram_pseudonym_hides_the_id(user_id: int) -> None:
    sender = sender_id(b"secret-0123456789", user_id)
    assert sender == sender_id(b"secret-0123456789", user_id) and str(user_id) not in sender[3:]


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | any_text,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(any_text, children, max_size=4),
    max_leaves=12,
)
rasa_message = st.fixed_dictionaries(
    {},
    optional={
        "text": json_value,
        "buttons": st.one_of(
            json_value, st.lists(st.dictionaries(st.sampled_from(["title", "payload"]), json_value))
        ),
    },
)


# Rasa's own kind of answer on purpose: random JSON is rarely a message with text or buttons.
valid_answer = st.lists(
    st.fixed_dictionaries(
        {"text": st.text(min_size=1)},
        optional={
            "buttons": st.lists(
                st.fixed_dictionaries(
                    {"title": st.text(min_size=1), "payload": st.text(min_size=1)}
                )
            )
        },
    ),
    min_size=1,
    max_size=3,
)


@exercised("a message parsed")
@FUZZ
@given(
    st.one_of(json_value, st.lists(st.one_of(rasa_message, json_value), max_size=5), valid_answer)
)
def test_any_answer_from_rasa_is_parsed_or_refused(data) -> None:
    try:
        messages = parse_messages(data)
    except RasaUnavailable:
        assert not isinstance(data, list)
        return
    for message in messages:
        hit("a message parsed")
        assert isinstance(message.text, str) and (message.text or message.buttons)
        assert all(b.title and b.payload for b in message.buttons)
