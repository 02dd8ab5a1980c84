"""The channels' client for Rasa's REST channel (`/webhooks/rest/webhook`, localhost only).

Used by the Telegram bridge (bot/telegram) and the students' web chat (bot/web/chat). A message
that could not be delivered (Rasa or its port not there yet, or a 502/503/504 from a proxy) is
retried with exponential backoff (tenacity); a read timeout is not retried, because Rasa may
already have handled the message and would then see it twice. When every attempt failed the
caller gets `RasaUnavailable` and tells the user to send the message again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
)

log = logging.getLogger("bot.rasa_rest")

RETRY_STATUSES = frozenset({502, 503, 504})


def typed_text(text: str) -> str:
    """What a user typed, made safe for Rasa: every leading whitespace character and "/" goes.

    Rasa strips a message (str.strip) and reads one that then starts with "/" as an intent
    ("/restart", '/inform{"x": 1}'), skipping the NLU and the crisis detector. Stripping only
    once leaves "/ /restart" or " /x" as intents, so this strips until neither is left. Only
    buttons (payloads the server chose) may send intents. May return "" (nothing to send).
    """
    start = 0
    while start < len(text) and (text[start] == "/" or text[start].isspace()):
        start += 1
    return text[start:].strip()


class RasaUnavailable(Exception):
    """Rasa could not be reached or gave no usable answer; the message may not be handled."""


class _NotDelivered(Exception):
    """A failure after which the message certainly did not reach Rasa: safe to retry."""


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass
class BotMessage:
    text: str = ""
    buttons: list[Button] = field(default_factory=list)


def parse_messages(data: object) -> list[BotMessage]:
    """Rasa's JSON answer as messages with text and buttons; anything else is skipped."""
    if not isinstance(data, list):
        raise RasaUnavailable("unexpected answer")
    messages: list[BotMessage] = []
    for item in data:
        if not isinstance(item, dict):
            continue
        text = item.get("text") if isinstance(item.get("text"), str) else ""
        offered = item.get("buttons")
        buttons = [
            Button(str(b.get("title", "")), str(b.get("payload", "")))
            for b in (offered if isinstance(offered, list) else [])
            if isinstance(b, dict) and b.get("title") and b.get("payload")
        ]
        if text or buttons:
            messages.append(BotMessage(text=text, buttons=buttons))
    return messages


class RasaClient:
    """Sends one user's message to Rasa and returns the bot's messages."""

    def __init__(
        self,
        base_url: str,
        *,
        timeout: float = 60.0,
        attempts: int = 4,
        first_wait: float = 0.5,
        max_wait: float = 4.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.webhook_url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self.attempts = attempts
        self.first_wait = first_wait
        self.max_wait = max_wait
        self._client = client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def _post_once(self, client: httpx.AsyncClient, body: dict[str, str]) -> list:
        try:
            response = await client.post(self.webhook_url, json=body, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout) as error:
            raise _NotDelivered(type(error).__name__) from error
        if response.status_code in RETRY_STATUSES:
            raise _NotDelivered(f"status {response.status_code}")
        if response.status_code != 200:
            raise RasaUnavailable(f"status {response.status_code}")
        try:
            return response.json()
        except ValueError:
            raise RasaUnavailable("answer is not JSON") from None

    async def send(self, sender: str, message: str) -> list[BotMessage]:
        """The bot's answer to `message` from `sender` (a pseudonym, never a real id)."""
        body = {"sender": sender, "message": message}
        client = self._client or httpx.AsyncClient()
        try:
            retrying = AsyncRetrying(
                stop=stop_after_attempt(self.attempts),
                wait=wait_exponential(multiplier=self.first_wait, max=self.max_wait),
                retry=retry_if_exception_type(_NotDelivered),
                reraise=True,
            )
            async for attempt in retrying:
                with attempt:
                    data = await self._post_once(client, body)
        except _NotDelivered as error:
            log.warning("Rasa unreachable after %d attempts (%s)", self.attempts, error)
            raise RasaUnavailable(str(error)) from None
        except httpx.HTTPError as error:
            # A read timeout or a broken connection: Rasa may have the message; do not resend.
            log.warning("Rasa did not answer (%s)", type(error).__name__)
            raise RasaUnavailable(type(error).__name__) from None
        finally:
            if self._client is None:
                await client.aclose()
        return parse_messages(data)
