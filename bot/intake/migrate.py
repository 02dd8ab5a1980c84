"""Applying the Alembic migrations programmatically (CLI, server start, tests)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection
from sqlalchemy.engine import URL

ALEMBIC_INI = Path(__file__).with_name("alembic.ini")


def alembic_config(url: URL | None = None, connection: Connection | None = None) -> Config:
    """Alembic's config for this package, with the database passed as an object (no ini URL)."""
    config = Config(str(ALEMBIC_INI))
    if url is not None:
        config.attributes["url"] = url
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade_to_head(url: URL) -> None:
    """Bring the database at `url` to the newest schema (a no-op when it already is)."""
    command.upgrade(alembic_config(url=url), "head")
