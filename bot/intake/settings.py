"""Configuration from the environment (and the git-ignored var/secrets/local.env).

Secrets have no defaults in the repository: `python -m bot.intake.secrets init` writes them
under var/secrets/ once per machine; real environment variables always win over that file.
"""

from __future__ import annotations

import hashlib
import hmac
from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from bot.retention import defaults as retention

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VAR_DIR = PROJECT_ROOT / "var"
SECRETS_DIR = VAR_DIR / "secrets"
LOCAL_ENV_FILE = SECRETS_DIR / "local.env"
DEFAULT_DATA_KEY_FILE = SECRETS_DIR / "data.key"
DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'intake.sqlite3'}"

SECRETS_HINT = "run `python -m bot.intake.keys init` (or set the variable)"


class MissingSecretError(RuntimeError):
    """A secret the service needs is not configured; the message says how to create it."""


class Settings(BaseSettings):
    """Every knob of the intake service; field names are the environment variable names."""

    model_config = SettingsConfigDict(
        env_file=LOCAL_ENV_FILE, env_file_encoding="utf-8", extra="ignore"
    )

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy URL; postgresql:// URLs use the psycopg 3 driver.",
    )
    intake_api_token: SecretStr | None = Field(
        None, description="Bearer token the action server sends (at least 16 characters)."
    )
    lans_data_key: SecretStr | None = Field(
        None,
        description="Fernet key(s) for field encryption; comma-separated for key rotation "
        "(the first encrypts, all decrypt). Overrides the key file.",
    )
    lans_data_key_file: Path = Field(DEFAULT_DATA_KEY_FILE, description="File with the Fernet key.")
    lans_blind_index_key: SecretStr | None = Field(
        None, description="HMAC key for the phone/e-mail lookup columns and pickup codes."
    )
    intake_host: str = "127.0.0.1"
    intake_port: int = Field(8040, ge=1, le=65535)
    intake_migrate_on_start: bool = Field(
        True, description="Run `alembic upgrade head` before serving (off with replicas)."
    )

    # Staff dashboard (bot/web/staff) and the anonymous questions.
    lans_session_secret: SecretStr | None = Field(
        None,
        description="Signs the dashboard's session and CSRF cookies; derived from "
        "LANS_BLIND_INDEX_KEY when unset.",
    )
    staff_session_hours: float = Field(
        8, gt=0, le=24 * 7, description="A login ends this long after it started."
    )
    staff_idle_minutes: float = Field(
        60, gt=0, description="A login ends after this long without a request."
    )
    staff_cookie_secure: bool = Field(
        False, description="Send the dashboard cookies only over https (set true behind TLS)."
    )
    staff_login_max_failures: int = Field(
        5, ge=1, description="Failed logins per username before it is locked for a while."
    )
    staff_login_max_failures_per_address: int = Field(
        20,
        ge=1,
        description="Failed logins from one client address (IPv6: per /64), whatever the "
        "usernames, before that address is locked for a while.",
    )
    staff_login_delay_seconds: float = Field(
        1.0,
        ge=0,
        description="After k >= 2 failed logins of a username (the first mistake is free), "
        "its next attempt is checked only this many seconds times 2**(k-2) after the last one.",
    )
    staff_login_window_minutes: float = Field(
        15, gt=0, description="How long failed logins count (and so how long a lock lasts)."
    )
    lans_staff_require_2fa: bool = Field(
        False,
        description="Every staff member must log in in two steps (password, then a code from an "
        "authenticator app); one who has not set it up is sent to set it up first. Off for "
        "`make run`; true in production (deploy/env/intake.env.example).",
    )
    lans_admin_require_2fa: bool = Field(
        True,
        description="Every administrator must log in in two steps, whatever "
        "LANS_STAFF_REQUIRE_2FA says; one who has not set it up is sent to set it up first. "
        "On for `make run` too (its defaults are these); false only for a demo without a phone.",
    )
    question_expiry_days: int = Field(
        retention.QUESTION_DAYS,
        ge=1,
        le=365,
        # One knob for both names: LANS_RETENTION_QUESTION_DAYS (bot/retention) wins.
        validation_alias=AliasChoices("lans_retention_question_days", "question_expiry_days"),
        description="An anonymous question and its answer are erased after.",
    )

    # Students' web chat (bot/web/chat) at /chat.
    rasa_url: str = Field(
        "http://127.0.0.1:5005", description="Rasa server the web chat relays to (localhost)."
    )
    chat_cookie_secure: bool = Field(
        False, description="Send the web chat's cookies only over https (set true behind TLS)."
    )
    chat_max_message_chars: int = Field(1000, ge=10, le=4000)
    # Limits count per server-issued session first; the per-IP ceilings are high, because a
    # whole school can sit behind one address (NAT). IPv6 clients count per /64.
    chat_rate_session: str = Field(
        "20/minute", description="Chat messages per session (`limits` notation)."
    )
    chat_rate_ip: str = Field(
        "300/minute", description="Chat messages per IP address (IPv6: per /64): a ceiling."
    )
    chat_rate_question: str = Field(
        "5/hour;20/day", description="Anonymous questions per web chat session."
    )
    chat_rate_question_ip: str = Field(
        "60/hour;300/day", description="Anonymous questions per IP address (/64): a ceiling."
    )
    chat_rate_pickup: str = Field(
        "10/10 minutes", description="Pickup-code attempts per web chat session."
    )
    chat_rate_pickup_ip: str = Field(
        "60/10 minutes", description="Pickup-code attempts per IP address (/64): a ceiling."
    )
    pickup_failure_limit: str = Field(
        "20/hour;100/day",
        description="Wrong pickup codes per intake process, whatever the path (API, web chat); "
        "when used up, every pickup waits. SECURITY.md shows the arithmetic.",
    )
    chat_idle_minutes: float = Field(
        60,
        gt=0,
        # At most a day: a transcript never outlives its conversation in Rasa (1+ days).
        le=24 * 60,
        description="A web chat's transcript is forgotten after this long idle.",
    )

    def sqlalchemy_url(self) -> URL:
        """The database URL with psycopg 3 as PostgreSQL driver (psycopg2 is not installed)."""
        url = make_url(self.database_url)
        if url.drivername in ("postgresql", "postgres"):
            url = url.set(drivername="postgresql+psycopg")
        return url

    def api_token(self) -> str:
        """The bearer token, refusing to run without a reasonably long one."""
        token = self.intake_api_token.get_secret_value() if self.intake_api_token else ""
        if len(token) < 16:
            raise MissingSecretError(f"INTAKE_API_TOKEN is missing or too short: {SECRETS_HINT}")
        return token

    def data_cipher(self) -> MultiFernet:
        """The Fernet keys for personal fields, from LANS_DATA_KEY or the key file."""
        if self.lans_data_key is not None:
            raw = self.lans_data_key.get_secret_value()
        elif self.lans_data_key_file.is_file():
            raw = self.lans_data_key_file.read_text(encoding="ascii")
        else:
            raise MissingSecretError(
                f"No data key: LANS_DATA_KEY is unset and {self.lans_data_key_file} "
                f"does not exist: {SECRETS_HINT}"
            )
        keys = [part.strip() for part in raw.replace("\n", ",").split(",") if part.strip()]
        if not keys:
            raise MissingSecretError(f"The data key is empty: {SECRETS_HINT}")
        return MultiFernet([Fernet(key) for key in keys])

    def blind_index_key(self) -> bytes:
        """The HMAC key for lookups; separate from the data key so rotation stays possible."""
        key = self.lans_blind_index_key.get_secret_value() if self.lans_blind_index_key else ""
        if len(key) < 16:
            raise MissingSecretError(
                f"LANS_BLIND_INDEX_KEY is missing or too short: {SECRETS_HINT}"
            )
        return key.encode("utf-8")

    def session_secret(self) -> str:
        """The signing key for dashboard cookies: LANS_SESSION_SECRET, else derived.

        Deriving it (HMAC with a fixed purpose) keeps one secret less to manage while never
        using the lookup key itself for a second purpose.
        """
        if self.lans_session_secret is not None:
            secret = self.lans_session_secret.get_secret_value()
            if len(secret) < 16:
                raise MissingSecretError("LANS_SESSION_SECRET is too short (16+ characters)")
            return secret
        derived = hmac.new(self.blind_index_key(), b"staff-session-cookies", hashlib.sha256)
        return derived.hexdigest()

    def chat_secret(self) -> bytes:
        """Key for the web chat: signs its CSRF cookie and turns session ids into pseudonyms."""
        derived = hmac.new(self.blind_index_key(), b"web-chat", hashlib.sha256)
        return derived.hexdigest().encode("ascii")
