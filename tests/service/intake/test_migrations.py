"""The Alembic migrations and the SQLAlchemy models describe the same schema."""

from __future__ import annotations

from itertools import count
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL, inspect, make_url

from bot.intake.db import make_engine
from bot.intake.migrate import alembic_config, upgrade_to_head
from bot.intake.models import Base

from .conftest import PostgresServer

_numbers = count()


@pytest.fixture
def empty_database(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    if backend == "sqlite":
        yield make_url(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    dbname = f"intake_empty_{next(_numbers)}"
    with server.janitor(dbname):
        yield server.url(dbname)


def _differences(url: URL) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            return compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()


def test_migrations_match_models(empty_database: URL) -> None:
    assert _differences(empty_database), "the comparison must see a missing schema"
    upgrade_to_head(empty_database)
    assert _differences(empty_database) == []


def test_upgrade_is_repeatable_and_downgrade_works(empty_database: URL) -> None:
    upgrade_to_head(empty_database)
    upgrade_to_head(empty_database)  # a second start of the server must be a no-op
    command.downgrade(alembic_config(url=empty_database), "base")
    engine = make_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    upgrade_to_head(empty_database)
    assert _differences(empty_database) == []


def test_single_head() -> None:
    assert len(ScriptDirectory.from_config(alembic_config()).get_heads()) == 1
