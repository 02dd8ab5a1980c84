"""The Telegram bridge's settings: environment variables, else var/secrets/local.env."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.intake.settings import LOCAL_ENV_FILE, MissingSecretError

WEBHOOK_SECRET = re.compile(r"^[A-Za-z0-9_-]{16,256}$")


class TelegramSettings(BaseSettings):
    """Field names are the environment variable names (upper case)."""

    model_config = SettingsConfigDict(
        env_file=LOCAL_ENV_FILE, env_file_encoding="utf-8", extra="ignore"
    )

    telegram_bot_token: SecretStr | None = Field(None, description="From BotFather.")
    telegram_sender_secret: SecretStr | None = Field(
        None,
        description="HMAC key that turns a Telegram user id into Rasa's sender id; derived "
        "from LANS_BLIND_INDEX_KEY when unset.",
    )
    lans_blind_index_key: SecretStr | None = None
    rasa_url: str = Field("http://127.0.0.1:5005", description="Rasa server (localhost).")
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str | None = Field(
        None, description="Public https URL Telegram posts updates to (webhook mode)."
    )
    telegram_webhook_secret: SecretStr | None = Field(
        None, description="Sent by Telegram in X-Telegram-Bot-Api-Secret-Token (webhook mode)."
    )
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(8443, ge=1, le=65535)
    telegram_webhook_path: str = "telegram"
    telegram_base_url: str | None = Field(
        None, description="Bot API base URL (tests: a fake server), e.g. http://127.0.0.1:9/bot"
    )
    telegram_max_message_chars: int = Field(1000, ge=10, le=4000)
    telegram_messages_per_minute: int = Field(
        20, ge=1, description="Messages one chat may send to the assistant per minute."
    )
    telegram_rasa_attempts: int = Field(4, ge=1, le=10)

    def bot_token(self) -> str:
        token = self.telegram_bot_token.get_secret_value() if self.telegram_bot_token else ""
        if not token:
            raise MissingSecretError("TELEGRAM_BOT_TOKEN is not set (get one from @BotFather)")
        return token

    def sender_secret(self) -> bytes:
        if self.telegram_sender_secret is not None:
            secret = self.telegram_sender_secret.get_secret_value()
            if len(secret) < 16:
                raise MissingSecretError("TELEGRAM_SENDER_SECRET is too short (16+ characters)")
            return secret.encode("utf-8")
        base = self.lans_blind_index_key.get_secret_value() if self.lans_blind_index_key else ""
        if len(base) < 16:
            raise MissingSecretError(
                "Set TELEGRAM_SENDER_SECRET (16+ characters) or LANS_BLIND_INDEX_KEY "
                "(`python -m bot.intake.keys init`)"
            )
        return hmac.new(base.encode(), b"telegram-sender", hashlib.sha256).hexdigest().encode()

    def webhook_secret(self) -> str:
        secret = (
            self.telegram_webhook_secret.get_secret_value() if self.telegram_webhook_secret else ""
        )
        if not WEBHOOK_SECRET.match(secret):
            raise MissingSecretError(
                "TELEGRAM_WEBHOOK_SECRET must be 16-256 characters of A-Z a-z 0-9 _ - "
                "in webhook mode"
            )
        return secret
