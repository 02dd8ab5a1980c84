"""The staff dashboard's tests reuse the intake tests' databases (SQLite, and PostgreSQL when
its server binaries are installed), secrets and clients."""

from __future__ import annotations

from intake.conftest import (  # noqa: F401  (fixtures are found by name)
    auth,
    backend,
    client,
    database_url,
    postgres_server,
    postgres_template,
    settings,
    sqlite_template,
    test_secrets,
)
