"""The web chat's tests: the intake service's app (TestClient) with Rasa faked in-process, and
for the browser tests the real service process relaying to the real Rasa."""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    Secrets,
    make_settings,
    sqlite_template,
    test_secrets,
)

from bot.intake.api import create_app
from bot.web.rasa_rest import RasaClient

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class FakeRasa:
    """Answers like Rasa's REST channel; `down` makes every request fail to connect, `silent`
    answers nothing (as Rasa does while its action server is gone)."""

    received: list[dict] = field(default_factory=list)
    down: bool = False
    silent: bool = False

    def handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = httpx.Response(200, content=request.content).json()
        self.received.append(body)
        message = body["message"]
        if message == "/restart" or self.silent:
            return httpx.Response(200, json=[])
        return httpx.Response(
            200,
            json=[
                {"text": f"Dat snap ik. Je schreef: {message}"},
                {
                    "text": "Wil je meer weten?",
                    "buttons": [
                        {"title": "Signalen herkennen", "payload": "/ask_signs"},
                        {"title": "Anoniem iets vragen", "payload": "/ask_anonymous_question"},
                    ],
                },
            ],
        )


@pytest.fixture
def fake_rasa() -> FakeRasa:
    return FakeRasa()


@pytest.fixture
def chat_settings(tmp_path: Path, sqlite_template: Path, test_secrets: Secrets):  # noqa: F811
    path = tmp_path / "intake.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return make_settings(f"sqlite:///{path}", test_secrets)


@pytest.fixture
def make_client(chat_settings, fake_rasa: FakeRasa):
    clients: list[TestClient] = []

    def make(**overrides) -> TestClient:
        settings = chat_settings.model_copy(update=overrides)
        app = create_app(settings)
        transport = httpx.MockTransport(fake_rasa.handle)
        rasa = RasaClient(
            "http://rasa.invalid",
            attempts=2,
            first_wait=0.01,
            max_wait=0.02,
            client=httpx.AsyncClient(transport=transport),
        )
        app.state.web_chat = dataclasses.replace(app.state.web_chat, rasa=rasa)
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def chat(make_client) -> Iterator[TestClient]:
    return make_client()


def token(client: TestClient) -> str:
    page = client.get("/chat")
    assert page.status_code == 200
    match = _TOKEN.search(page.text)
    assert match
    return match.group(1)


def post(client: TestClient, path: str, **data: str) -> httpx.Response:
    return client.post(path, data={**data, "csrf_token": token(client)}, follow_redirects=False)
