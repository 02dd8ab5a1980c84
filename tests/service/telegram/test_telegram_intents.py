"""No typed text reaches Rasa as an intent (security review, issue 18): the bridge strips
leading whitespace and slashes until none is left, so "/ /restart" and " /x" arrive as plain
words and go through the NLU and the crisis detector. Real bridge process, fake Bot API and a
fake Rasa over HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest
from tg_fakes import FakeBotApi, FakeRasa, User, running_bridge, text_of

from bot.telegram import texts

USER = User()


@pytest.fixture
def bridge(bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], tmp_path: Path):
    with running_bridge(bot_api, fake_rasa[1], tmp_path / "bridge.log") as running:
        yield running


def say_plain(bot_api: FakeBotApi, text: str):
    """A text message as Telegram sends one that is no command (no bot_command entity)."""
    return bot_api._exchange(
        lambda: bot_api._push({"message": bot_api._message(USER, text=text)}), 60.0
    )


@pytest.mark.parametrize(
    ("typed", "arrives"),
    [
        ("/ /restart", "restart"),
        (" /x", "x"),
        ('/\t/ //inform_role{"role": "ouder"}', 'inform_role{"role": "ouder"}'),
        ("\u00a0\u2003/ \n/stop", "stop"),
        ("//  / hoi /daar", "hoi /daar"),
    ],
)
def test_leading_slashes_and_whitespace_never_make_an_intent(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge, typed: str, arrives: str
) -> None:
    rasa, _ = fake_rasa
    say_plain(bot_api, typed)
    assert rasa.received[-1]["message"] == arrives
    assert not rasa.received[-1]["message"].startswith("/")


def test_only_slashes_reach_nobody(
    bot_api: FakeBotApi, fake_rasa: tuple[FakeRasa, str], bridge
) -> None:
    assert text_of(say_plain(bot_api, " / // ")) == texts.UNKNOWN_COMMAND
    assert fake_rasa[0].received == []
