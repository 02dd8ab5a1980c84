"""POST /api/v1/referrals against real databases (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL, select

from bot.intake.db import make_engine, make_sessionmaker
from bot.intake.models import AuditEvent, Referral, ReferralStatusChange

from .helpers import TEXT_FIELDS, new_key, post_referral, raw_rows, valid_body

HTML = "<script>alert('x')</script><b>vet</b>"
SQL = "'; DROP TABLE referrals;--"


def stored_referrals(url: URL) -> list[Referral]:
    """Referrals through the models, i.e. decrypted."""
    engine = make_engine(url)
    try:
        with make_sessionmaker(engine)() as session:
            return list(session.scalars(select(Referral).order_by(Referral.id)))
    finally:
        engine.dispose()


def count_rows(url: URL, table: str) -> int:
    return raw_rows(url, f"SELECT COUNT(*) AS n FROM {table}")[0]["n"]


def test_create_returns_201_with_a_reference(client: TestClient, auth: dict) -> None:
    response = post_referral(client, valid_body(), auth)
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert set(receipt) == {"reference", "status", "created_at"}
    assert receipt["status"] == "nieuw"
    assert len(receipt["reference"]) == 7 and receipt["reference"][3] == "-"
    assert datetime.fromisoformat(receipt["created_at"]).utcoffset().total_seconds() == 0


def test_personal_data_are_encrypted_at_rest(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    body = valid_body(
        child_first_name="Marijke",
        parent_name="Hendrika Zwanenburg",
        email="hendrika.zwanenburg@example.nl",
        signs="hoofdpijn en misselijkheid",
        child_class="groep 7b",
    )
    assert post_referral(client, body, auth).status_code == 201
    [raw] = raw_rows(database_url, "SELECT * FROM referrals")
    dump = repr(raw)
    for secret in (
        "Marijke",
        "Zwanenburg",
        "hendrika",
        "612345678",
        "hoofdpijn",
        "groep 7b",
        "physical_complaints",
        "doordeweeks",
        "herfstvakantie",
    ):
        assert secret not in dump
    assert raw["child_first_name"].startswith("gAAAAA")  # a Fernet token
    [referral] = stored_referrals(database_url)
    assert referral.child_first_name == "Marijke"
    assert referral.child_age == 13
    assert referral.check_signals == ["physical_complaints", "better_on_weekends"]
    assert referral.phone == "+31612345678"
    assert referral.email == "hendrika.zwanenburg@example.nl"
    assert referral.created_at.utcoffset().total_seconds() == 0


def test_history_and_audit_are_recorded_without_personal_data(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    reference = post_referral(client, valid_body(), auth).json()["reference"]
    engine = make_engine(database_url)
    try:
        with make_sessionmaker(engine)() as session:
            [change] = session.scalars(select(ReferralStatusChange))
            [event] = session.scalars(select(AuditEvent))
    finally:
        engine.dispose()
    assert (change.from_status, change.to_status.value, change.by) == (None, "nieuw", "system")
    assert event.action == "referral.created" and event.actor == "system"
    assert event.detail["reference"] == reference.replace("-", "")
    assert "Sam" not in repr(event.detail) and "Ria" not in repr(event.detail)


def test_same_key_same_body_returns_the_same_reference_once(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    key = new_key()
    first = post_referral(client, valid_body(), auth, key)
    again = post_referral(client, valid_body(), auth, key)
    # Same meaning, different spelling of the phone number: still the same request.
    third = post_referral(client, valid_body(phone="+31 6 1234 5678"), auth, key)
    assert first.status_code == 201
    assert again.status_code == 200 and third.status_code == 200
    assert again.json() == first.json() == third.json()
    assert count_rows(database_url, "referrals") == 1
    assert count_rows(database_url, "referral_status_changes") == 1
    assert count_rows(database_url, "audit_events") == 1


def test_same_key_different_body_is_a_conflict(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    key = new_key()
    assert post_referral(client, valid_body(), auth, key).status_code == 201
    response = post_referral(client, valid_body(child_first_name="Noor"), auth, key)
    assert response.status_code == 409
    assert "Noor" not in response.text
    assert count_rows(database_url, "referrals") == 1


def test_different_keys_make_different_referrals(client: TestClient, auth: dict) -> None:
    first = post_referral(client, valid_body(), auth).json()["reference"]
    second = post_referral(client, valid_body(), auth).json()["reference"]
    assert first != second


def test_reference_collision_draws_again(
    client: TestClient, auth: dict, database_url: URL, monkeypatch: pytest.MonkeyPatch
) -> None:
    draws = iter(["KKKKKK", "KKKKKK", "MMMMMM"])
    monkeypatch.setattr("bot.intake.reference.new_reference", lambda: next(draws))
    assert post_referral(client, valid_body(), auth).json()["reference"] == "KKK-KKK"
    assert post_referral(client, valid_body(), auth).json()["reference"] == "MMM-MMM"
    assert count_rows(database_url, "referrals") == 2


# -- validation --------------------------------------------------------------------------


def _errors(response) -> str:
    assert response.status_code == 422, response.text
    return " ".join(f"{e['loc']} {e['msg']}" for e in response.json()["detail"])


def test_each_missing_field(client: TestClient, auth: dict) -> None:
    for field in valid_body():
        body = valid_body()
        del body[field]
        response = post_referral(client, body, auth)
        if field in ("signs", "check_signals", "email"):
            assert response.status_code == 201, field  # optional
        elif field == "phone":
            assert "no phone number was given" in _errors(response)  # preference is telefoon
        else:
            assert field in _errors(response)


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"child_age": "twaalf"}, "child_age"),
        ({"child_age": "12"}, "child_age"),
        ({"child_age": 12.5}, "child_age"),
        ({"child_age": True}, "child_age"),
        ({"child_age": 3}, "greater than or equal to 4"),
        ({"child_age": 21}, "less than or equal to 20"),
        ({"child_first_name": 42}, "child_first_name"),
        ({"child_first_name": ""}, "at least 1 character"),
        ({"child_first_name": "   "}, "at least 1 character"),
        ({"check_signals": "physical"}, "check_signals"),
        ({"check_signals": ["x"] * 21}, "at most 20"),
        ({"check_signals": [""]}, "check_signals"),
        ({"both_parents_know": "misschien"}, "both_parents_know"),
        ({"contact_preference": "fax"}, "contact_preference"),
        ({"channel": "sms"}, "channel"),
        ({"phone": "12345"}, "not a valid Dutch phone number"),
        ({"phone": "+32 470 12 34 56"}, "not a valid Dutch phone number"),
        ({"phone": "bel me maar"}, "phone"),
        ({"email": "ria@", "contact_preference": "e-mail"}, "e-mail"),
        ({"email": "ria at example.nl"}, "not a valid e-mail address"),
        ({"phone": None, "email": None}, "phone number or an e-mail address"),
        ({"phone": "", "email": "  "}, "phone number or an e-mail address"),
        ({"phone": None}, "no phone number was given"),
        ({"email": None, "contact_preference": "e-mail"}, "no e-mail address was given"),
        ({"unexpected": "field"}, "unexpected"),
    ],
)
def test_invalid_bodies_get_clear_422(
    client: TestClient, auth: dict, changes: dict, expected: str
) -> None:
    assert expected in _errors(post_referral(client, valid_body(**changes), auth))


@pytest.mark.parametrize(
    "body", ["not json", '{"child_age": ', "[]", "null", b"\xff\xfe\x00binary"]
)
def test_malformed_json_is_422(client: TestClient, auth: dict, body: str | bytes) -> None:
    response = client.post(
        "/api/v1/referrals",
        content=body,
        headers={**auth, "Idempotency-Key": new_key(), "Content-Type": "application/json"},
    )
    # Undecodable bytes are a 400 from FastAPI's body parser, the rest a 422.
    assert response.status_code == (400 if isinstance(body, bytes) else 422)


def test_ten_thousand_characters_are_rejected_without_echo(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    for field in [*TEXT_FIELDS, "phone", "email"]:
        response = post_referral(client, valid_body(**{field: "A" * 10_000}), auth)
        assert response.status_code == 422, field
        assert "A" * 100 not in response.text
        assert len(response.content) < 1000
    assert count_rows(database_url, "referrals") == 0


@pytest.mark.parametrize(
    "bad", ["Sam\x00", "Sam\x1b[31m", "Sa\x07m", "Sa\rm", "Sa\x7fm", "Sa\x85m", "\ud800"]
)
def test_control_characters_are_rejected_in_every_text_field(
    client: TestClient, auth: dict, database_url: URL, bad: str
) -> None:
    # pydantic itself already refuses a lone surrogate, with its own message.
    expected = "unicode string" if bad == "\ud800" else "control characters"
    for field in [*TEXT_FIELDS, "check_signals"]:
        value = [bad] if field == "check_signals" else bad
        # Encoded by hand: json.dumps escapes a lone surrogate, httpx would refuse to send it.
        response = client.post(
            "/api/v1/referrals",
            content=json.dumps(valid_body(**{field: value})),
            headers={**auth, "Idempotency-Key": new_key(), "Content-Type": "application/json"},
        )
        assert expected in _errors(response), field
    assert count_rows(database_url, "referrals") == 0


def test_newlines_tabs_emoji_and_other_scripts_are_kept(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    signs = "Buikpijn\n\thoofdpijn 🙁🙁\nصداع • головная боль"
    body = valid_body(signs=signs, child_first_name="Zoë 🌻", check_signals=["😀"])
    assert post_referral(client, body, auth).status_code == 201
    [referral] = stored_referrals(database_url)
    assert (referral.signs, referral.child_first_name) == (signs, "Zoë 🌻")
    assert referral.check_signals == ["😀"]


def test_surrounding_whitespace_is_trimmed(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    assert post_referral(client, valid_body(child_first_name="  Sam \n"), auth).status_code == 201
    assert stored_referrals(database_url)[0].child_first_name == "Sam"


@pytest.mark.parametrize("payload", [HTML, SQL], ids=["html", "sql"])
def test_html_and_sql_in_every_text_field_are_stored_verbatim(
    client: TestClient, auth: dict, database_url: URL, payload: str
) -> None:
    hostile = {field: payload[:limit] for field, limit in TEXT_FIELDS.items()}
    hostile["check_signals"] = [payload[:40], payload[::-1][:40]]
    assert post_referral(client, valid_body(**hostile), auth).status_code == 201
    assert post_referral(client, valid_body(), auth).status_code == 201  # the table still works
    first, second = stored_referrals(database_url)
    for field, value in hostile.items():
        assert getattr(first, field) == value, field
    assert second.child_first_name == "Sam"
    assert count_rows(database_url, "referrals") == 2
    assert count_rows(database_url, "referral_status_changes") == 2


@pytest.mark.parametrize("payload", [HTML, SQL], ids=["html", "sql"])
def test_html_and_sql_in_contact_fields_are_rejected(
    client: TestClient, auth: dict, payload: str
) -> None:
    assert post_referral(client, valid_body(phone=payload), auth).status_code == 422
    assert post_referral(client, valid_body(email=payload), auth).status_code == 422


# -- authentication, idempotency header, body size ----------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token-wrong-token"},
        {"Authorization": "Bearer "},
        {"Authorization": "Basic dXNlcjpwYXNz"},
        {"Authorization": "test-token-" + "x" * 24},
    ],
    ids=["missing", "wrong", "empty", "basic", "no-scheme"],
)
def test_missing_or_wrong_token_is_401(
    client: TestClient, database_url: URL, headers: dict
) -> None:
    response = client.post(
        "/api/v1/referrals", json=valid_body(), headers={**headers, "Idempotency-Key": new_key()}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    # Invalid bodies also get 401 first: without a token nothing is revealed.
    assert client.post("/api/v1/referrals", json={}, headers=headers).status_code == 401
    assert count_rows(database_url, "referrals") == 0


@pytest.mark.parametrize(
    "key",
    [None, "", "short", "x" * 129, "has space 123", "ümlaut-key", "key/with/slash", "a;DROP--x"],
)
def test_missing_or_bad_idempotency_key_is_rejected(
    client: TestClient, auth: dict, database_url: URL, key: str | None
) -> None:
    headers: dict[str, str | bytes] = dict(auth)
    if key is not None:
        headers["Idempotency-Key"] = key.encode("utf-8")  # raw bytes, as a client could send
    response = client.post("/api/v1/referrals", json=valid_body(), headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.text
    assert count_rows(database_url, "referrals") == 0


@pytest.mark.parametrize("key", ["abcdefgh", "A" * 128, "ref_2024-11-30_X"])
def test_valid_idempotency_keys(client: TestClient, auth: dict, key: str) -> None:
    assert post_referral(client, valid_body(), auth, key).status_code == 201


def test_oversized_body_is_413(client: TestClient, auth: dict, database_url: URL) -> None:
    big = valid_body(signs="x" * (70 * 1024))
    assert post_referral(client, big, auth).status_code == 413
    assert count_rows(database_url, "referrals") == 0


def test_oversized_chunked_body_is_413(client: TestClient, auth: dict) -> None:
    chunks = (b"x" * 8192 for _ in range(1280))  # 10 MiB, no Content-Length
    response = client.post(
        "/api/v1/referrals",
        content=chunks,
        headers={**auth, "Idempotency-Key": new_key(), "Content-Type": "application/json"},
    )
    assert response.status_code == 413


def test_health(client: TestClient) -> None:
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_openapi_documents_the_contract(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    create = spec["paths"]["/api/v1/referrals"]["post"]
    assert {"200", "201", "401", "409", "413", "422"} <= set(create["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in create["parameters"])
    assert "withdraw" in spec["paths"]["/api/v1/referrals/withdraw"]["post"]["summary"].lower()
    assert spec["components"]["schemas"]["ReferralIn"]["properties"]["child_age"]["description"]
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_the_assistant_may_choose_the_reference(client: TestClient, auth: dict) -> None:
    # The action server tells the parent the reference before delivery (outbox), so the
    # service must store the one it was given.
    response = post_referral(client, valid_body(reference="k7m 4qx"), auth)
    assert response.status_code == 201, response.text
    assert response.json()["reference"] == "K7M-4QX"


def test_a_chosen_reference_that_is_taken_is_refused(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    assert post_referral(client, valid_body(reference="K7M-4QX"), auth).status_code == 201
    other = post_referral(client, valid_body(reference="K7M-4QX", child_first_name="Bo"), auth)
    assert other.status_code == 409
    assert count_rows(database_url, "referrals") == 1


def test_replaying_a_chosen_reference_with_its_key_creates_nothing(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    key = new_key()
    body = valid_body(reference="K7M-4QX")
    assert post_referral(client, body, auth, key).status_code == 201
    again = post_referral(client, body, auth, key)
    assert again.status_code == 200 and again.json()["reference"] == "K7M-4QX"
    assert count_rows(database_url, "referrals") == 1


@pytest.mark.parametrize("reference", ["K7M-4Q0", "ABC", "x" * 41, ""])
def test_a_malformed_chosen_reference_is_refused(client: TestClient, auth: dict, reference) -> None:
    assert post_referral(client, valid_body(reference=reference), auth).status_code == 422
