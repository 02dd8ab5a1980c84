"""Small parts of the bridge and the channels' Rasa client, without servers."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from bot.cli import run
from bot.intake.settings import MissingSecretError
from bot.telegram.bridge import MAX_CHUNK, ButtonStore, sender_id, split_text
from bot.telegram.settings import TelegramSettings
from bot.web.rasa_rest import RasaClient, RasaUnavailable, parse_messages


def test_the_sender_is_a_keyed_hash_without_the_telegram_id() -> None:
    first = sender_id(b"secret-one-0123456789", 731940285)
    assert first == sender_id(b"secret-one-0123456789", 731940285)
    assert first != sender_id(b"secret-two-0123456789", 731940285)
    assert first != sender_id(b"secret-one-0123456789", 731940286)
    assert "731940285" not in first and first.startswith("tg-")


def test_long_text_is_split_at_paragraphs_and_never_over_the_limit() -> None:
    paragraph = "Een zin over school. " * 30
    text = "\n\n".join([paragraph.strip()] * 20)
    chunks = split_text(text)
    assert all(len(chunk) <= MAX_CHUNK < 4096 for chunk in chunks)
    assert all(chunk.endswith(".") for chunk in chunks)
    assert "".join(text.split()) == "".join("".join(chunks).split())
    # No spaces at all: cut hard.
    assert [len(c) for c in split_text("x" * 9000, 4000)] == [4000, 4000, 1000]
    assert split_text("kort") == ["kort"]
    assert split_text("   ") == []


def test_buttons_get_short_ids_per_chat_and_old_ones_are_forgotten() -> None:
    store = ButtonStore(per_chat=2)
    long_payload = '/inform{"x": "' + "y" * 500 + '"}'
    data = store.add(1, long_payload)
    assert len(data.encode()) <= 64
    assert store.get(1, data) == long_payload
    assert store.get(2, data) is None  # another chat cannot use it
    assert store.get(1, "k:unknown") is None and store.get(1, None) is None
    second, third = store.add(1, "/b"), store.add(1, "/c")
    assert store.get(1, data) is None  # only the newest two are kept
    assert store.get(1, second) == "/b" and store.get(1, third) == "/c"
    store.forget(1)
    assert store.get(1, third) is None


def test_settings_derive_the_sender_secret_and_check_the_webhook_secret() -> None:
    settings = TelegramSettings(_env_file=None, lans_blind_index_key="index-key-0123456789")
    derived = settings.sender_secret()
    assert derived and b"index-key" not in derived
    explicit = TelegramSettings(_env_file=None, telegram_sender_secret="s" * 20)
    assert explicit.sender_secret() == b"s" * 20
    with pytest.raises(MissingSecretError):
        TelegramSettings(_env_file=None, telegram_sender_secret="short").sender_secret()
    with pytest.raises(MissingSecretError):
        TelegramSettings(_env_file=None).sender_secret()
    with pytest.raises(MissingSecretError):
        TelegramSettings(_env_file=None).bot_token()
    with pytest.raises(MissingSecretError):
        TelegramSettings(_env_file=None, telegram_webhook_secret="bad secret!").webhook_secret()
    good = TelegramSettings(_env_file=None, telegram_webhook_secret="a" * 32)
    assert good.webhook_secret() == "a" * 32


def test_make_run_leaves_telegram_off_without_a_token(monkeypatch, capsys, tmp_path) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setattr(run, "TelegramSettings", lambda: TelegramSettings(_env_file=None))
    assert run.start_telegram("http://127.0.0.1:5005", tmp_path) is None
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().out


def _client(handler) -> RasaClient:
    transport = httpx.MockTransport(handler)
    return RasaClient(
        "http://rasa.test",
        attempts=3,
        first_wait=0.01,
        max_wait=0.02,
        client=httpx.AsyncClient(transport=transport),
    )


def test_connection_failures_are_retried_but_a_timeout_is_not() -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append("x")
        if len(calls) < 3:
            raise httpx.ConnectError("refused", request=request)
        return httpx.Response(200, json=[{"text": "hallo"}])

    answers = asyncio.run(_client(flaky).send("s", "hoi"))
    assert [a.text for a in answers] == ["hallo"] and len(calls) == 3

    timeouts: list[str] = []

    def slow(request: httpx.Request) -> httpx.Response:
        timeouts.append("x")
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(RasaUnavailable):
        asyncio.run(_client(slow).send("s", "hoi"))
    assert len(timeouts) == 1  # Rasa may have the message: never sent twice

    with pytest.raises(RasaUnavailable):
        asyncio.run(_client(lambda r: httpx.Response(500, text="boom")).send("s", "hoi"))


def test_rasa_answers_are_read_defensively() -> None:
    messages = parse_messages(
        [
            {"text": "een", "buttons": [{"title": "Ja", "payload": "/ja"}, {"title": "kapot"}]},
            {"image": "https://example.org/x.png"},
            "onzin",
            {"buttons": [{"title": "Alleen knop", "payload": "/k"}]},
        ]
    )
    assert [(m.text, [b.payload for b in m.buttons]) for m in messages] == [
        ("een", ["/ja"]),
        ("", ["/k"]),
    ]
    with pytest.raises(RasaUnavailable):
        parse_messages({"error": "x"})
