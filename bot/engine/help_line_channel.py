"""Rasa's REST channel, plus the help lines that must stay after a crisis.

Once the crisis answer was given, every later reply of that conversation ends with a short
footer naming the help lines that fit the crisis (utter_crisis_footer), whatever the user
writes next ("nee", "oké", "doei", another topic) and whichever rule or form answers. When
the NLU was unsure whether a message is a crisis (`crisis_check` on the parse), the reply ends
with one calm line with 113 and 112 and a question whether someone is in danger now
(utter_crisis_check). A message in a language the assistant does not speak (`language` on
the parse, bot/nlu/language_gate.py) gets a short reply in English with the school's contact
and the help lines (utter_other_language), so that it is never a dead end. Doing this here,
after the dialogue has answered, covers every rule, form and action at once instead of each
of them remembering it.

The footer is left out of a reply that already names all of its numbers (the crisis answer
itself, the "met een mens praten" answer in a crisis). Registered under the name `rest`, so
the URL (/webhooks/rest/webhook) and the clients (Telegram bridge, web chat) stay the same.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sanic import Blueprint, Sanic

from bot.nlu.crisis_detector import CRISIS_CHECK
from bot.nlu.language_gate import LANGUAGE

FOOTER = "utter_crisis_footer"
CHECK = "utter_crisis_check"
OTHER_LANGUAGE = "utter_other_language"
HELP_NUMBER = re.compile(r"\b(?:112|113|0800-\d{4})\b")


def latest_parse(tracker: DialogueStateTracker) -> dict[str, Any]:
    """The NLU result of the user's latest message, read from the events: after a form fills
    a slot from the whole text (the question box), `tracker.latest_message` as read back
    from the tracker store can still be the message before it (seen in Rasa 3.6.21)."""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return event.parse_data or {}
    return {}


def closing_responses(tracker: DialogueStateTracker) -> list[str]:
    """The responses that must close this turn's reply, if any."""
    parse = latest_parse(tracker)
    closing = [OTHER_LANGUAGE] if parse.get(LANGUAGE) else []
    if tracker.get_slot("crisis_active"):
        closing.append(FOOTER)
    elif parse.get(CRISIS_CHECK):
        closing.append(CHECK)
    return closing


def already_named(closing_text: str, reply_texts: list[str]) -> bool:
    """True when the reply already gives every help number of the closing text."""
    numbers = set(HELP_NUMBER.findall(closing_text))
    given = {n for text in reply_texts for n in HELP_NUMBER.findall(text)}
    return bool(numbers) and numbers <= given


def reply_texts(output_channel: OutputChannel) -> list[str]:
    return [m.get("text") or "" for m in getattr(output_channel, "messages", [])]


class HelpLineRestInput(RestInput):
    """The REST channel with the crisis footer and the unsure-crisis line."""

    def __init__(self) -> None:
        self._app: Sanic | None = None

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        async def answer_with_help_lines(message: UserMessage) -> None:
            await on_new_message(message)
            if self._app is not None:
                await self._close_reply(self._app.ctx.agent, message)

        blueprint = super().blueprint(answer_with_help_lines)

        @blueprint.listener("before_server_start")
        async def remember_app(app: Sanic, _loop: Any) -> None:
            self._app = app

        return blueprint

    @staticmethod
    async def _close_reply(agent: Any, message: UserMessage) -> None:
        tracker = await agent.tracker_store.retrieve(message.sender_id)
        if tracker is None:
            return
        output = message.output_channel
        for name in closing_responses(tracker):
            response = await agent.nlg.generate(name, tracker, output.name())
            text = response.get("text") or "" if response else ""
            if response and (
                name == OTHER_LANGUAGE or not already_named(text, reply_texts(output))
            ):
                await output.send_response(message.sender_id, response)
