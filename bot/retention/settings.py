"""Retention settings from the environment (and var/secrets/local.env), like the intake service.

The question period is the intake service's own setting (QUESTION_EXPIRY_DAYS, also read as
LANS_RETENTION_QUESTION_DAYS), because it also sets the expiry date a student is shown.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from bot.intake.settings import LOCAL_ENV_FILE
from bot.retention import defaults


class RetentionSettings(BaseSettings):
    """Field names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=LOCAL_ENV_FILE, env_file_encoding="utf-8", extra="ignore"
    )

    lans_retention_chat_days: int = Field(
        defaults.CHAT_DAYS,
        ge=1,
        le=3650,
        description="A Rasa conversation is erased this long after its last event.",
    )
    lans_retention_closed_referral_days: int = Field(
        defaults.CLOSED_REFERRAL_DAYS,
        ge=1,
        le=3650,
        description="A referral that is afgerond or doorverwezen is erased this long after "
        "its last status change.",
    )
    lans_retention_interval_hours: float = Field(
        defaults.INTERVAL_HOURS,
        ge=0,
        le=24 * 31,
        description="How often the intake service runs the retention; 0 turns it off.",
    )
    lans_retention_batch_size: int = Field(
        defaults.BATCH_SIZE, ge=1, le=10_000, description="Conversations per transaction."
    )
    lans_tracker_database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of Rasa's SQL tracker store; unset: Rasa's in-memory "
        "store, nothing to erase.",
    )

    def tracker_url(self) -> URL | None:
        """The tracker store URL with psycopg 3 for PostgreSQL (the service environment's)."""
        if not self.lans_tracker_database_url:
            return None
        url = make_url(self.lans_tracker_database_url)
        if url.get_backend_name() == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url
