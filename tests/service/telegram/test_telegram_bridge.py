"""The Telegram bridge (`python -m bot.telegram`) against a fake Bot API and a fake Rasa.

These run in seconds; tests against the real Rasa are in test_telegram_rasa.py.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from local_servers import free_port, on_free_ports
from tg_fakes import BOT_TOKEN, Bridge, FakeBotApi, FakeRasa, User, running_bridge, text_of

from bot.telegram import texts

USER = User()


@pytest.fixture
def bridge(bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], tmp_path: Path):
    with running_bridge(bot_api, fake_rasa[1], tmp_path / "bridge.log") as running:
        yield running


def assert_private(log: str, rasa: FakeRasa) -> None:
    for secret in (str(USER.id), USER.username, USER.first_name, USER.last_name, BOT_TOKEN):
        assert secret.lower() not in log.lower(), secret
        for body in rasa.received:
            assert secret.lower() not in str(body).lower(), secret


def test_start_shows_buttons_and_a_pressed_button_sends_its_payload(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    rasa, _ = fake_rasa
    reply = bot_api.say(USER, "/start")
    assert "chatbot" in text_of(reply)
    assert rasa.received[-1]["message"] == "/greet"
    sender = rasa.received[-1]["sender"]
    assert sender.startswith("tg-") and len(sender) == 3 + 64
    board = bot_api.keyboards()[-1]
    assert [b["text"] for b in board][:2] == ["Ik ben ouder/verzorger", "Ik ben leerling"]
    assert all(len(b["callback_data"].encode()) <= 64 for b in board)

    # A payload far longer than 64 bytes travels behind a short id.
    query = bot_api.press(USER, bot_api.button_data("Een knop met een heel lange payload"))
    bot_api.wait_for(lambda: bot_api.calls_to("answerCallbackQuery"), what="answer")
    bot_api.wait_for(lambda: len(rasa.received) == 2, what="the payload at Rasa")
    assert rasa.received[-1]["message"].startswith('/inform{"x": "yyyy')
    assert rasa.received[-1]["sender"] == sender
    assert bot_api.calls_to("answerCallbackQuery")[0].params["callback_query_id"] == query
    bot_api.wait_for(lambda: bot_api.calls_to("editMessageReplyMarkup"), what="keyboard gone")

    # The typing indicator was on while Rasa thought.
    actions = bot_api.calls_to("sendChatAction")
    assert actions and actions[0].params["action"] == "typing"
    assert_private(bridge.log_text(), rasa)


def test_a_long_reply_is_split_under_4096_characters(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    reply = bot_api.say(USER, "lang")
    assert len(reply) >= 3
    assert all(len(m.params["text"]) < 4096 for m in reply)
    expected = FakeRasa.answer("lang")[0]["text"]
    assert "".join(text_of(reply).split()) == "".join(expected.split())


def test_photos_voice_and_stickers_get_a_kind_answer_and_reach_nobody(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    bot_api.send_photo(USER)
    bot_api.send_voice(USER)
    bot_api.send_sticker(USER)
    bot_api.wait_for(lambda: len(bot_api.sent_texts()) == 3, what="three answers")
    assert bot_api.sent_texts() == [texts.ONLY_TEXT] * 3
    assert "alleen tekst" in texts.ONLY_TEXT
    assert fake_rasa[0].received == []


def test_help_privacy_unknown_commands_and_a_too_long_message(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    assert "geen mens" in text_of(bot_api.say(USER, "/help"))
    assert "Telegram-naam" in text_of(bot_api.say(USER, "/privacy"))
    assert text_of(bot_api.say(USER, "/onbekend")) == texts.UNKNOWN_COMMAND
    assert "maximaal 1000 tekens" in text_of(bot_api.say(USER, "x" * 1001))
    assert fake_rasa[0].received == []


def test_stop_restarts_the_rasa_session_and_old_buttons_stop_working(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    rasa, _ = fake_rasa
    bot_api.say(USER, "/start")
    old_button = bot_api.button_data("Ik ben leerling")
    assert text_of(bot_api.say(USER, "/stop")) == texts.STOPPED
    assert rasa.received[-1]["message"] == "/restart"
    assert rasa.received[-1]["sender"] == rasa.received[0]["sender"]
    bot_api.press(USER, old_button)
    answered = bot_api.wait_for(lambda: bot_api.calls_to("answerCallbackQuery"), what="answer")
    assert answered[0].params["text"] == texts.OLD_BUTTON
    bot_api.say(USER, "en nu")  # the old button's press was handled before this one's reply
    assert [r["message"] for r in rasa.received[1:]] == ["/restart", "en nu"]  # it sent nothing


def test_unreachable_rasa_gets_a_friendly_message(bot_api: FakeBotApi, tmp_path: Path) -> None:
    closed = f"http://127.0.0.1:{free_port()}"
    with running_bridge(bot_api, closed, tmp_path / "bridge.log") as bridge:
        reply = text_of(bot_api.say(USER, "hallo"))
        assert reply == texts.UNREACHABLE
        assert "nog een keer sturen" in reply and "113" in reply
        assert bridge.process.poll() is None


def test_rasa_503_is_retried_then_the_user_is_told(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    rasa, _ = fake_rasa
    rasa.down = True
    assert text_of(bot_api.say(USER, "hallo")) == texts.UNREACHABLE
    assert len(rasa.received) == 2  # TELEGRAM_RASA_ATTEMPTS=2 in the tests
    rasa.down = False
    assert text_of(bot_api.say(USER, "hallo")) == "echo: hallo"


def test_a_429_is_waited_out_and_nothing_is_lost(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    bot_api.fail(
        "sendMessage",
        429,
        description="Too Many Requests: retry after 2",
        parameters={"retry_after": 2},
    )
    bot_api.send_text(USER, "hallo")
    attempts = bot_api.wait_for(
        lambda: (calls := bot_api.calls_to("sendMessage")) and len(calls) == 2 and calls,
        what="the message again after the wait",
    )
    # The refused one and the same message again after the wait.
    assert [a.params["text"] for a in attempts] == ["echo: hallo", "echo: hallo"]
    assert attempts[1].at - attempts[0].at >= 2.0


@pytest.mark.parametrize("status", [500, 502])
def test_a_5xx_from_telegram_is_retried_and_the_reply_arrives_exactly_once(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge, status: int
) -> None:
    rasa, _ = fake_rasa
    bot_api.fail_server_errors("sendMessage", times=2, status=status)
    bot_api.send_text(USER, "hallo")
    bot_api.wait_for(lambda: bot_api.delivered(), what="the reply after two server errors")
    # The next message of this chat is relayed only after the previous one's sending (retries
    # included) ended, so a duplicate would have come before its answer.
    assert text_of(bot_api.say(USER, "weer")) == "echo: weer"

    attempts = bot_api.calls_to("sendMessage")
    assert [(a.status, a.params["text"]) for a in attempts] == [
        (status, "echo: hallo"),
        (status, "echo: hallo"),
        (200, "echo: hallo"),
        (200, "echo: weer"),  # the next message went through at once
    ]
    assert [m.params["text"] for m in bot_api.delivered()] == ["echo: hallo", "echo: weer"]
    assert [r["message"] for r in rasa.received] == ["hallo", "weer"]  # Rasa saw each once
    assert bridge.process.poll() is None
    assert "Traceback" not in bridge.log_text()
    assert_private(bridge.log_text(), rasa)


def test_a_5xx_in_the_middle_of_a_long_answer_loses_and_repeats_nothing(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    expected = FakeRasa.answer("lang")[0]["text"]
    bot_api.say(USER, "hallo")
    bot_api.fail_server_errors("sendMessage", times=1, status=502)
    bot_api.say(USER, "lang")
    chunks = [m.params["text"] for m in bot_api.delivered()][1:]
    assert len(chunks) >= 3
    assert "".join("".join(chunks).split()) == "".join(expected.split())  # in order, once


def test_a_user_who_blocked_the_bot_does_not_break_it(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    bot_api.fail("sendMessage", 403, description="Forbidden: bot was blocked by the user")
    bot_api.send_text(USER, "hallo")
    bot_api.wait_for(lambda: bot_api.calls_to("sendMessage"), what="the refused message")
    assert bridge.process.poll() is None
    assert text_of(bot_api.say(USER, "weer terug")) == "echo: weer terug"
    assert "blocked" in bridge.log_text()
    assert "Traceback" not in bridge.log_text()


def test_webhook_mode_refuses_requests_without_the_secret(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], tmp_path: Path
) -> None:
    secret = "webhook-secret-0123456789"

    @contextmanager
    def webhook_bridge(port: int) -> Iterator[tuple[Bridge, int]]:
        with running_bridge(
            bot_api,
            fake_rasa[1],
            tmp_path / "bridge.log",
            TELEGRAM_MODE="webhook",
            TELEGRAM_WEBHOOK_URL="https://lans.example.nl/telegram",
            TELEGRAM_WEBHOOK_SECRET=secret,
            TELEGRAM_WEBHOOK_PORT=str(port),
        ) as bridge:
            yield bridge, port

    with on_free_ports(webhook_bridge) as (bridge, port):
        set_webhook = bot_api.calls_to("setWebhook")[0].params
        assert set_webhook["url"] == "https://lans.example.nl/telegram"
        assert set_webhook["secret_token"] == secret
        url = f"http://127.0.0.1:{port}/telegram"
        update = {
            "update_id": 5,
            "message": {
                "message_id": 9,
                "date": int(time.time()),
                "chat": USER.chat(),
                "from": USER.as_dict(),
                "text": "hallo via webhook",
            },
        }
        deadline = time.monotonic() + 20
        while True:
            try:
                missing = httpx.post(url, json=update, timeout=5)
                break
            except httpx.ConnectError:
                assert time.monotonic() < deadline, bridge.log_text()
                time.sleep(0.1)
        assert missing.status_code == 403
        wrong = httpx.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "fout"}, timeout=5
        )
        assert wrong.status_code == 403
        assert fake_rasa[0].received == []
        right = httpx.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}, timeout=5
        )
        assert right.status_code == 200
        bot_api.wait_for(lambda: bot_api.sent_texts(), what="the reply")
        assert bot_api.sent_texts() == ["echo: hallo via webhook"]
        assert_private(bridge.log_text(), fake_rasa[0])
        assert secret not in bridge.log_text()


def test_chats_run_side_by_side_and_each_chat_keeps_its_order(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    other = User(id=402_118_555, first_name="Bertha", last_name="Kwast", username="bertha_tg")
    rasa, _ = fake_rasa
    bot_api.send_text(USER, "traag")  # Rasa holds this one until the test releases it
    bot_api.send_text(USER, "snel")
    bot_api.wait_for(lambda: any(r["message"] == "traag" for r in rasa.received), what="traag")
    bot_api.send_text(other, "hoi")
    bot_api.wait_for(lambda: bot_api.sent_texts() == ["echo: hoi"], what="the other chat")
    rasa.release_slow.set()
    bot_api.wait_for(lambda: len(bot_api.sent_texts()) == 3, what="three replies")
    assert bot_api.sent_texts(USER.id) == ["echo: traag", "echo: snel"]
    assert bot_api.sent_texts()[0] == "echo: hoi"  # not stuck behind the slow chat
