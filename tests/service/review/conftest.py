"""The security review's findings (issue 18, part 4), tested against the intake service served
by uvicorn on loopback (real HTTP, with uvicorn's proxy-header handling, so a test can speak
for many client addresses through X-Forwarded-For as nginx does) and a real database (SQLite,
and PostgreSQL when installed). Rasa is faked in-process: what it receives is recorded."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    Secrets,
    auth,
    backend,
    database_url,
    postgres_server,
    postgres_template,
    settings,
    sqlite_template,
    test_secrets,
)
from local_servers import bound_socket

from bot.intake.api import create_app
from bot.intake.settings import Settings
from bot.web.rasa_rest import RasaClient

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class FakeRasa:
    received: list[dict] = field(default_factory=list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = httpx.Response(200, content=request.content).json()
        self.received.append(body)
        return httpx.Response(200, json=[{"text": "Oké."}])


@dataclass
class Served:
    url: str
    app: FastAPI
    settings: Settings
    rasa: FakeRasa

    def client(self, address: str | None = None) -> httpx.Client:
        """A browser at `address` (X-Forwarded-For, trusted from 127.0.0.1 as behind nginx)."""
        headers = {"X-Forwarded-For": address} if address else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30, follow_redirects=True)


def csrf(client: httpx.Client, page: str) -> str:
    response = client.get(page)
    assert response.status_code == 200, response.text
    match = _TOKEN.search(response.text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def post(client: httpx.Client, path: str, page: str = "/chat", **data: str) -> httpx.Response:
    return client.post(path, data={**data, "csrf_token": csrf(client, page)})


@pytest.fixture
def serve(settings: Settings) -> Iterator:  # noqa: F811
    started: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(**overrides) -> Served:
        app_settings = settings.model_copy(update=overrides)
        app = create_app(app_settings)
        rasa = FakeRasa()
        client = RasaClient(
            "http://rasa.invalid",
            attempts=1,
            client=httpx.AsyncClient(transport=httpx.MockTransport(rasa.handle)),
        )
        app.state.web_chat = dataclasses.replace(app.state.web_chat, rasa=client)
        sock = bound_socket()  # held from here on: no other process can take the port
        config = uvicorn.Config(
            app,
            log_config=None,
            access_log=False,
            proxy_headers=True,
            forwarded_allow_ips="127.0.0.1",
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.02)
        started.append((server, thread, sock))
        return Served(f"http://127.0.0.1:{sock.getsockname()[1]}", app, app_settings, rasa)

    yield start
    for server, thread, sock in started:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()
