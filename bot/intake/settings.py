"""Configuration from the environment (and the git-ignored var/secrets/local.env).

Secrets have no defaults in the repository: `python -m bot.intake.secrets init` writes them
under var/secrets/ once per machine; real environment variables always win over that file.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, MultiFernet
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

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
