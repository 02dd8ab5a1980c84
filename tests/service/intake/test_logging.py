"""Nothing personal, no token and no idempotency key ever reaches the logs."""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from bot.intake.api import create_app
from bot.intake.settings import Settings

from .conftest import Secrets
from .helpers import post_referral, valid_body, withdraw

NAME = "Zebedeus"
PARENT = "Wilhelmina Quackenbosch"
PHONE = "06-19283746"
EMAIL = "w.quackenbosch@voorbeeld.nl"
KEY = "idem-key-SHOULD-NOT-BE-LOGGED"


def test_logs_hold_references_only(
    settings: Settings,
    test_secrets: Secrets,
    caplog: pytest.LogCaptureFixture,
    capfd: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)  # everything, SQLAlchemy's statements included:
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")  # (it sets itself to WARNING)
    auth = {"Authorization": f"Bearer {test_secrets.token}"}
    body = valid_body(
        child_first_name=NAME, parent_name=PARENT, phone=PHONE, email=EMAIL, signs=f"{NAME} {NAME}"
    )
    with TestClient(create_app(settings)) as client:
        created = post_referral(client, body, auth, KEY)
        assert created.status_code == 201
        assert post_referral(client, body, auth, KEY).status_code == 200
        assert post_referral(client, {**body, "child_age": 3}, auth, KEY).status_code == 422
        assert post_referral(client, {**body, "signs": "x"}, auth, KEY).status_code == 409
        assert withdraw(client, created.json()["reference"], "06-11111111", auth).status_code == 404
        assert withdraw(client, created.json()["reference"], EMAIL, auth).status_code == 200

    captured = capfd.readouterr()
    everything = caplog.text + captured.out + captured.err
    assert "SELECT" in caplog.text  # the SQL log really was on
    for secret in (
        NAME,
        "Wilhelmina",
        "Quackenbosch",
        "19283746",
        "quackenbosch@",
        KEY,
        test_secrets.token,
        test_secrets.index_key,
        test_secrets.data_key,
    ):
        assert secret.lower() not in everything.lower(), secret
    reference = created.json()["reference"]
    created_lines = [r.getMessage() for r in caplog.records if "referral created" in r.getMessage()]
    assert created_lines == [f"referral created: {reference}"]
    assert re.search(rf"referral withdrawn: {reference}", caplog.text)
