"""A real Rasa server and action server with the trained model, for HTTP-level tests."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

from bot.engine_process import DEFAULT_MODEL, Engine, running_engine


@pytest.fixture(scope="session")
def engine(tmp_path_factory) -> Iterator[Engine]:
    assert DEFAULT_MODEL.exists(), "run `make train` first: no trained model"
    with running_engine(
        rasa_port=5105, actions_port=5155, log_dir=tmp_path_factory.mktemp("engine")
    ) as running:
        yield running


class Conversation:
    """One user talking to the assistant over the REST channel."""

    def __init__(self, engine: Engine) -> None:
        self.url = engine.webhook_url
        self.sender = f"test-{secrets.token_hex(6)}"

    def say(self, text: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def text_of(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def conversation(engine) -> Conversation:
    return Conversation(engine)
