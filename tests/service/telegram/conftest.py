"""Fixtures for the Telegram bridge: the fake Bot API and a fake Rasa on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tg_fakes import FakeBotApi, FakeRasa, ThreadServer


@pytest.fixture
def bot_api() -> Iterator[FakeBotApi]:
    api = FakeBotApi()
    with ThreadServer(api.app()) as server:
        api.url = server.url
        yield api


@pytest.fixture
def fake_rasa(bot_api: FakeBotApi) -> Iterator[tuple[FakeRasa, str]]:
    rasa = FakeRasa()
    bot_api.rasa = rasa  # its answers tell the fake API how many messages each reply has
    with ThreadServer(rasa.app()) as server:
        yield rasa, server.url
