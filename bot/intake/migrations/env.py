"""Alembic environment: the URL comes from the caller (bot.intake.migrate) or the settings."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

from bot.intake.columns import Encrypted, UTCDateTime
from bot.intake.db import make_engine
from bot.intake.models import Base
from bot.intake.settings import Settings

config = context.config
target_metadata = Base.metadata


def _render_item(type_: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Write the project's column types as their plain storage types in new migrations.

    A migration must not import application code that may change later.
    """
    if type_ == "type" and isinstance(obj, Encrypted):
        return "sa.Text()"
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_item=_render_item,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
    )


def run_migrations_online() -> None:
    """Run against a live connection (the only mode this project uses)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.attributes.get("url") or Settings().sqlalchemy_url()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            _configure(connection)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline (--sql) migrations are not supported; run against a database")
run_migrations_online()
