"""The terminal chat of `make run`, against the real assistant."""

from __future__ import annotations

import httpx

from bot.cli.chat import NO_ANSWER, Reply, RestChat, render, repl, to_message


def test_numbers_choose_buttons_and_text_is_sent_as_typed():
    buttons = [{"title": "Wat is LANS?", "payload": "/ask_lans"}]
    assert to_message("1", buttons) == "/ask_lans"
    assert to_message("2", buttons) == "2"
    assert to_message("  hoi ", buttons) == "hoi"
    assert to_message("   ", buttons) is None


def test_render_numbers_the_buttons():
    reply = Reply(texts=["Hallo"], buttons=[{"title": "Ik ben ouder", "payload": "/x"}])
    assert render(reply) == "LANS: Hallo\n  [1] Ik ben ouder"


def test_a_scripted_session_talks_to_the_real_assistant(engine):
    typed = iter(["hoi", "1", "stop", "/quit"])
    shown: list[str] = []
    repl(RestChat(engine.webhook_url), read=lambda _: next(typed), write=shown.append)
    transcript = "\n".join(shown)
    assert "[1]" in transcript  # the greeting offered buttons
    assert transcript.count("LANS:") >= 3  # ... choosing one got an answer, and so did "stop"


def test_an_unreachable_assistant_gets_a_clear_message():
    typed = iter(["hoi", "/quit"])
    shown: list[str] = []
    repl(RestChat("http://127.0.0.1:9/webhooks/rest/webhook"), read=lambda _: next(typed),
         write=shown.append)  # fmt: skip
    assert "niet bereikbaar" in shown[-1]


def test_an_empty_answer_gets_a_clear_message():
    # What Rasa sends back while its action server is down (tests/service/production).
    empty = httpx.Client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, json=[]))
    )
    typed = iter(["ja", "/quit"])
    shown: list[str] = []
    repl(RestChat("http://rasa/webhooks/rest/webhook", client=empty), read=lambda _: next(typed),
         write=shown.append)  # fmt: skip
    assert shown[-1] == NO_ANSWER
