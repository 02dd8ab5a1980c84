"""Engine and session set-up for SQLite (default) and PostgreSQL.

SQLite gets `BEGIN IMMEDIATE` transactions (SQLAlchemy's documented pysqlite recipe) so two
concurrent writers queue on the busy timeout instead of failing with "database is locked".
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker


class _NoResultRows(logging.Filter):
    """Drop SQLAlchemy's DEBUG "Row ..." records: they hold decrypted personal data.

    hide_parameters covers statement parameters only; rows would still be logged whenever
    someone turns on sqlalchemy.engine DEBUG logging to investigate something.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


_ENGINE_LOGGER = logging.getLogger("sqlalchemy.engine.Engine")
if not any(isinstance(f, _NoResultRows) for f in _ENGINE_LOGGER.filters):
    _ENGINE_LOGGER.addFilter(_NoResultRows())


def make_engine(url: URL) -> Engine:
    """An engine that keeps statement parameters and result rows out of logs and errors."""
    if url.get_backend_name() != "sqlite":
        return create_engine(url, hide_parameters=True, pool_pre_ping=True)
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, hide_parameters=True, connect_args={"timeout": 15})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide when transactions begin (see "begin" below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # Overwrite deleted content, so erased personal data do not linger in free pages.
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit (responses are built after commit)."""
    return sessionmaker(engine, expire_on_commit=False)
