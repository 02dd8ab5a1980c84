"""The retention periods' defaults, in one place (standard library only).

Both environments read them: the intake service (bot.retention.settings) and the action
server's outbox (actions/outbox.py), which keeps delivery receipts as long as conversations.
"""

from __future__ import annotations

import os

CHAT_DAYS = 30  # LANS_RETENTION_CHAT_DAYS: a conversation, counted from its last message
QUESTION_DAYS = 30  # LANS_RETENTION_QUESTION_DAYS: an anonymous question, from its creation
CLOSED_REFERRAL_DAYS = 90  # LANS_RETENTION_CLOSED_REFERRAL_DAYS: from the last status change
INTERVAL_HOURS = 24.0  # LANS_RETENTION_INTERVAL_HOURS: the intake service's job; 0 = off
BATCH_SIZE = 500  # LANS_RETENTION_BATCH_SIZE: conversations erased per transaction

CHAT_DAYS_ENV = "LANS_RETENTION_CHAT_DAYS"


def chat_days_from_env() -> float:
    """LANS_RETENTION_CHAT_DAYS for code without pydantic-settings (the action server)."""
    raw = os.environ.get(CHAT_DAYS_ENV, "").strip()
    if not raw:
        return CHAT_DAYS
    days = float(raw)
    if days <= 0:
        raise ValueError(f"{CHAT_DAYS_ENV} must be more than 0")
    return days
