"""Settings: defaults, the PostgreSQL driver, and clear errors for missing secrets."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.intake.api import create_app
from bot.intake.settings import PROJECT_ROOT, MissingSecretError, Settings


def _bare(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "INTAKE_HOST", "INTAKE_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = _bare()
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'var' / 'intake.sqlite3'}"
    assert (settings.intake_host, settings.intake_port) == ("127.0.0.1", 8040)
    assert settings.lans_data_key_file == PROJECT_ROOT / "var" / "secrets" / "data.key"


@pytest.mark.parametrize(
    "url", ["postgresql://u:p@db/intake", "postgres://u:p@db/intake", "postgresql+psycopg://u@db/x"]
)
def test_postgresql_urls_use_psycopg3(url: str) -> None:
    assert _bare(database_url=url).sqlalchemy_url().drivername == "postgresql+psycopg"


def test_missing_secrets_are_explained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("INTAKE_API_TOKEN", "LANS_DATA_KEY", "LANS_BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings = _bare(lans_data_key_file=tmp_path / "missing.key")
    for method in (settings.api_token, settings.data_cipher, settings.blind_index_key):
        with pytest.raises(MissingSecretError, match=r"bot\.intake\.keys init"):
            method()
    with pytest.raises(MissingSecretError):
        create_app(settings)
    with pytest.raises(MissingSecretError, match="too short"):
        _bare(intake_api_token="short").api_token()


def test_key_rotation_list(tmp_path: Path) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = Fernet(old.encode()).encrypt(b"oud")
    cipher = _bare(lans_data_key=f"{new},{old}").data_cipher()
    assert cipher.decrypt(token) == b"oud"
    assert Fernet(new.encode()).decrypt(cipher.encrypt(b"nieuw")) == b"nieuw"


def test_sqlite_folder_is_created(tmp_path: Path) -> None:
    from bot.intake.db import make_engine

    url = _bare(database_url=f"sqlite:///{tmp_path / 'a' / 'b' / 'intake.sqlite3'}")
    make_engine(url.sqlalchemy_url()).dispose()
    assert (tmp_path / "a" / "b").is_dir()
