"""The notifications' settings: environment variables, else var/secrets/local.env."""

from __future__ import annotations

from datetime import time
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.intake.settings import LOCAL_ENV_FILE


class NotifyConfigError(RuntimeError):
    """A channel is half configured (e.g. addresses but no SMTP server)."""


class NotifySettings(BaseSettings):
    """Field names are the environment variable names (upper case)."""

    model_config = SettingsConfigDict(
        env_file=LOCAL_ENV_FILE, env_file_encoding="utf-8", extra="ignore"
    )

    lans_notify_email_to: str | None = Field(
        None, description="Comma-separated addresses that get an e-mail; unset: no e-mail."
    )
    lans_smtp_host: str | None = None
    lans_smtp_port: int = Field(587, ge=1, le=65535)
    lans_smtp_user: str | None = None
    lans_smtp_password: SecretStr | None = None
    lans_smtp_from: str | None = Field(None, description="Sender address of the e-mails.")
    lans_smtp_ca_file: str | None = Field(
        None, description="CA bundle for the SMTP server's certificate; unset: the system's."
    )
    lans_smtp_timeout_seconds: float = Field(20, gt=0, le=120)
    lans_notify_telegram_chat_id: str | None = Field(
        None, description="The staff group's chat id (e.g. -1001234567890); unset: no Telegram."
    )
    lans_notify_telegram_bot_token: SecretStr | None = Field(
        None,
        validation_alias=AliasChoices("lans_notify_telegram_bot_token", "telegram_bot_token"),
        description="The bot that posts in the staff group; TELEGRAM_BOT_TOKEN when unset.",
    )
    lans_notify_telegram_base_url: str | None = Field(
        None,
        validation_alias=AliasChoices("lans_notify_telegram_base_url", "telegram_base_url"),
        description="Bot API base URL (tests: a fake server), e.g. http://127.0.0.1:9/bot",
    )
    lans_notify_digest: Literal["off", "daily"] = Field(
        "off", description="daily: one message a day with every new item, instead of one each."
    )
    lans_notify_digest_time: time = Field(time(8, 0), description="When the daily digest goes.")
    lans_notify_timezone: str = "Europe/Amsterdam"
    lans_dashboard_url: str = Field(
        "http://127.0.0.1:8040/staff", description="The dashboard's address as staff open it."
    )
    lans_notify_poll_seconds: float = Field(
        30, gt=0, description="How often the worker looks for due notifications."
    )
    lans_notify_retry_seconds: float = Field(
        30, gt=0, description="First wait after a failed send; it doubles up to the maximum."
    )
    lans_notify_retry_max_seconds: float = Field(3600, gt=0)
    lans_notify_give_up_hours: float = Field(
        72, gt=0, description="A notification that could not be sent for this long is dropped."
    )

    def email_to(self) -> list[str]:
        raw = self.lans_notify_email_to or ""
        return [part.strip() for part in raw.split(",") if part.strip()]

    def channels(self) -> list[str]:
        """The configured channels; raises NotifyConfigError when one is half configured."""
        channels = []
        if self.email_to():
            if not self.lans_smtp_host or not self.lans_smtp_from:
                raise NotifyConfigError(
                    "LANS_NOTIFY_EMAIL_TO is set: LANS_SMTP_HOST and LANS_SMTP_FROM are needed too"
                )
            channels.append("email")
        if self.lans_notify_telegram_chat_id:
            if self.lans_notify_telegram_bot_token is None:
                raise NotifyConfigError(
                    "LANS_NOTIFY_TELEGRAM_CHAT_ID is set: LANS_NOTIFY_TELEGRAM_BOT_TOKEN "
                    "(or TELEGRAM_BOT_TOKEN) is needed too"
                )
            channels.append("telegram")
        return channels

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.lans_notify_timezone)

    def dashboard(self, path: str = "/") -> str:
        return self.lans_dashboard_url.rstrip("/") + path
