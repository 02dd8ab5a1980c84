"""POST /api/v1/referrals/withdraw: erasure on a match, one generic 404 otherwise."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import URL

from .helpers import new_key, post_referral, raw_rows, valid_body, withdraw

PERSONAL_COLUMNS = (
    "child_first_name",
    "child_age",
    "child_class",
    "absence_duration",
    "absence_extent",
    "signs",
    "check_signals",
    "both_parents_know",
    "parent_name",
    "phone",
    "email",
    "contact_preference",
    "contact_time",
    "phone_index",
    "email_index",
    "request_hash",
)


@pytest.fixture
def reference(client: TestClient, auth: dict) -> str:
    body = valid_body(phone="06-12345678", email="Ria.de.Vries@Example.nl")
    return post_referral(client, body, auth).json()["reference"]


@pytest.mark.parametrize(
    ("typed_reference", "contact"),
    [
        ("{ref}", "06-12345678"),
        ("{ref}", "+31 6 1234 5678"),
        ("{ref}", "0031612345678"),
        ("{lower}", "ria.de.vries@example.nl"),
        ("{nodash}", " RIA.DE.VRIES@EXAMPLE.NL "),
    ],
)
def test_withdraw_erases_personal_data_and_records_it(
    client: TestClient,
    auth: dict,
    database_url: URL,
    reference: str,
    typed_reference: str,
    contact: str,
) -> None:
    other = post_referral(client, valid_body(child_first_name="Noor"), auth).json()["reference"]
    typed = typed_reference.format(
        ref=reference, lower=reference.lower(), nodash=reference.replace("-", "")
    )
    response = withdraw(client, typed, contact, auth)
    assert (response.status_code, response.json()) == (200, {"status": "ingetrokken"})

    canonical = reference.replace("-", "")
    [row] = raw_rows(database_url, "SELECT * FROM referrals WHERE reference = :r", r=canonical)
    assert row["status"] == "ingetrokken"
    assert {column: row[column] for column in PERSONAL_COLUMNS} == dict.fromkeys(PERSONAL_COLUMNS)
    history = raw_rows(
        database_url,
        "SELECT from_status, to_status, by FROM referral_status_changes "
        "WHERE referral_id = :id ORDER BY id",
        id=row["id"],
    )
    assert [tuple(h.values()) for h in history] == [
        (None, "nieuw", "system"),
        ("nieuw", "ingetrokken", "parent"),
    ]
    [event] = raw_rows(
        database_url, "SELECT * FROM audit_events WHERE action = 'referral.withdrawn'"
    )
    assert event["actor"] == "parent" and event["object_id"] == str(row["id"])
    assert "Ria" not in repr(event) and "612345678" not in repr(event)

    # The other family's referral is untouched.
    [untouched] = raw_rows(
        database_url,
        "SELECT status, child_first_name FROM referrals WHERE reference = :r",
        r=other.replace("-", ""),
    )
    assert untouched["status"] == "nieuw" and untouched["child_first_name"] is not None


def test_no_match_gives_one_identical_404(
    client: TestClient, auth: dict, database_url: URL, reference: str
) -> None:
    attempts = [
        withdraw(client, reference, "06-87654321", auth),  # wrong phone
        withdraw(client, reference, "someone@example.nl", auth),  # wrong e-mail
        withdraw(client, "KKK-KKK", "06-12345678", auth),  # unknown reference, right phone
        withdraw(client, "not a reference", "06-12345678", auth),  # malformed reference
        withdraw(client, reference, "not a contact", auth),  # malformed contact
        withdraw(client, reference, "'; DROP TABLE referrals;--", auth),
    ]
    assert {r.status_code for r in attempts} == {404}
    assert len({r.content for r in attempts}) == 1
    assert len({tuple(sorted(r.headers.items())) for r in attempts}) == 1
    [row] = raw_rows(database_url, "SELECT status, parent_name FROM referrals")
    assert row["status"] == "nieuw" and row["parent_name"] is not None


def test_repeated_withdrawal_without_key_finds_nothing(
    client: TestClient, auth: dict, reference: str
) -> None:
    assert withdraw(client, reference, "06-12345678", auth).status_code == 200
    again = withdraw(client, reference, "06-12345678", auth)
    unknown = withdraw(client, "KKK-KKK", "06-12345678", auth)
    # After erasure the contact cannot be matched: the same generic answer as for a stranger.
    assert again.status_code == 404 and again.content == unknown.content


def test_retried_withdrawal_with_the_same_key_gets_the_same_answer(
    client: TestClient, auth: dict, database_url: URL, reference: str
) -> None:
    key = new_key()
    first = withdraw(client, reference, "06-12345678", auth, key)
    retry = withdraw(client, reference, "06-12345678", auth, key)
    assert first.status_code == retry.status_code == 200
    assert first.json() == retry.json() == {"status": "ingetrokken"}
    changes = raw_rows(database_url, "SELECT COUNT(*) AS n FROM referral_status_changes")
    assert changes[0]["n"] == 2
    # The key alone does not open another referral.
    other = post_referral(client, valid_body(), auth).json()["reference"]
    assert withdraw(client, other, "06-12345678", auth, key).status_code == 409
    assert withdraw(client, "KKK-KKK", "06-12345678", auth, key).status_code == 409


def test_replayed_referral_after_withdrawal_does_not_recreate_it(
    client: TestClient, auth: dict, database_url: URL
) -> None:
    key = new_key()
    created = post_referral(client, valid_body(), auth, key).json()
    assert withdraw(client, created["reference"], "0612345678", auth).status_code == 200
    replay = post_referral(client, valid_body(), auth, key)
    assert replay.status_code == 200
    assert replay.json()["reference"] == created["reference"]
    assert replay.json()["status"] == "ingetrokken"
    assert raw_rows(database_url, "SELECT COUNT(*) AS n FROM referrals")[0]["n"] == 1


def test_withdrawal_needs_the_token(client: TestClient, reference: str) -> None:
    response = client.post(
        "/api/v1/referrals/withdraw", json={"reference": reference, "contact": "0612345678"}
    )
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "body",
    [{}, {"reference": "K7M-4QX"}, {"contact": "0612345678"}, {"reference": "x" * 10_000}],
)
def test_withdrawal_body_is_validated(client: TestClient, auth: dict, body: dict) -> None:
    response = client.post("/api/v1/referrals/withdraw", json=body, headers=auth)
    assert response.status_code == 422
    assert "x" * 100 not in response.text
