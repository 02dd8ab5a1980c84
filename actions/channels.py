"""Which channel a conversation comes from.

Both channels relay over Rasa's REST channel, which drops metadata, so the pseudonym's prefix
tells them apart (bot/telegram: "tg-", bot/web/chat: "web-"); the terminal chat and tests use
other prefixes.
"""

from __future__ import annotations


def channel(sender_id: str) -> str:
    if sender_id.startswith("tg-"):
        return "telegram"
    if sender_id.startswith("web-"):
        return "web"
    return "terminal" if sender_id.startswith("terminal-") else "test"
