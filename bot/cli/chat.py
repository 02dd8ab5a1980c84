"""A terminal chat with the assistant over Rasa's REST channel.

Buttons are shown as numbered choices; typing the number sends the button's payload,
just like tapping it in Telegram or the web chat.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx

MAX_MESSAGE_CHARS = 2000


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    buttons: list[dict[str, str]] = field(default_factory=list)


def parse_reply(messages: list[dict]) -> Reply:
    reply = Reply()
    for message in messages:
        if message.get("text"):
            reply.texts.append(message["text"])
        reply.buttons.extend(message.get("buttons") or [])
    return reply


NO_ANSWER = "(Er kwam geen antwoord: er ging even iets mis. Stuur je bericht zo nog een keer.)"


def render(reply: Reply) -> str:
    lines = [f"LANS: {text}" for text in reply.texts]
    lines += [f"  [{i}] {b['title']}" for i, b in enumerate(reply.buttons, start=1)]
    return "\n".join(lines)


def to_message(user_input: str, buttons: list[dict[str, str]]) -> str | None:
    """What to send for a line the user typed: a button's payload, the text, or nothing."""
    text = user_input.strip()
    if not text:
        return None
    if text.isdigit() and 1 <= int(text) <= len(buttons):
        return buttons[int(text) - 1]["payload"]
    return text[:MAX_MESSAGE_CHARS]


class RestChat:
    def __init__(self, webhook_url: str, client: httpx.Client | None = None) -> None:
        self.webhook_url = webhook_url
        self.sender = f"terminal-{secrets.token_hex(8)}"
        self._client = client or httpx.Client(timeout=30)

    def send(self, message: str) -> Reply:
        response = self._client.post(
            self.webhook_url, json={"sender": self.sender, "message": message}
        )
        response.raise_for_status()
        return parse_reply(response.json())


def repl(chat: RestChat, read: Callable[[str], str] = input, write: Callable = print) -> None:
    # "stop" belongs to the assistant (it ends a form), so the chat itself closes on /quit.
    write("Typ een bericht (of /quit om te sluiten). Typ een cijfer om een knop te kiezen.")
    buttons: list[dict[str, str]] = []
    while True:
        try:
            line = read("jij: ")
        except (EOFError, KeyboardInterrupt):
            break
        if line.strip().lower() in {"/quit", "/exit", "/stop"}:
            break
        message = to_message(line, buttons)
        if message is None:
            continue
        try:
            reply = chat.send(message)
        except httpx.HTTPError:
            write("(De assistent is even niet bereikbaar. Probeer het zo nog eens.)")
            continue
        buttons = reply.buttons
        # Rasa answers nothing at all when an action server is gone for a moment.
        write(render(reply) or NO_ANSWER)
