"""Fixtures for the fuzz tests: the real intake app (API, dashboard, web chat) on a temporary
SQLite database at the newest schema, with throwaway secrets. Module-scoped, because
hypothesis runs many examples inside one test call."""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    Secrets,
    make_settings,
    sqlite_template,
    test_secrets,
)

from bot.intake.api import create_app
from bot.intake.settings import Settings
from bot.web.rasa_rest import RasaClient


def echo_rasa(request: httpx.Request) -> httpx.Response:
    """Rasa's REST channel, faked: echoes the message and offers two buttons."""
    message = httpx.Response(200, content=request.content).json()["message"]
    return httpx.Response(
        200,
        json=[
            {"text": f"Je schreef: {message}"},
            {"text": "Nog iets?", "buttons": [{"title": "Ja", "payload": "/affirm"}]},
        ],
    )


@pytest.fixture(scope="module")
def fuzz_settings(
    tmp_path_factory: pytest.TempPathFactory,
    sqlite_template: Path,  # noqa: F811
    test_secrets: Secrets,  # noqa: F811
) -> Settings:
    path = tmp_path_factory.mktemp("fuzz-db") / "intake.sqlite3"
    shutil.copyfile(sqlite_template, path)
    # Rate limits high enough that the fuzzer reaches the handlers, not only the 429.
    return make_settings(f"sqlite:///{path}", test_secrets).model_copy(
        update={
            "chat_rate_session": "100000/minute",
            "chat_rate_ip": "100000/minute",
            "chat_rate_question": "100000/minute",
            "chat_rate_question_ip": "100000/minute",
            "chat_rate_pickup": "100000/minute",
            "chat_rate_pickup_ip": "100000/minute",
            "pickup_failure_limit": "100000/minute",
            # The login fuzzer fails many times from one address; the staff login after it
            # must still get through (tests/service/review tests the limits themselves).
            "staff_login_max_failures_per_address": 100000,
        }
    )


@pytest.fixture(scope="module")
def fuzz_app(fuzz_settings: Settings) -> FastAPI:
    app = create_app(fuzz_settings)
    rasa = RasaClient(
        "http://rasa.invalid",
        attempts=1,
        client=httpx.AsyncClient(transport=httpx.MockTransport(echo_rasa)),
    )
    app.state.web_chat = dataclasses.replace(app.state.web_chat, rasa=rasa)
    return app


@pytest.fixture(scope="module")
def fuzz_client(fuzz_app: FastAPI) -> Iterator[TestClient]:
    # raise_server_exceptions: an unhandled exception fails the test instead of becoming a 500.
    with TestClient(fuzz_app, raise_server_exceptions=True) as client:
        yield client
