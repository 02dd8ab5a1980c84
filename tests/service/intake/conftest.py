"""Real databases for the intake tests: a SQLite file always, PostgreSQL when installed.

PostgreSQL is a throwaway cluster (tests/service/pg_cluster.py). Without the server binaries
(Debian: `apt-get install postgresql`) the PostgreSQL cases are skipped with the reason.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from fastapi.testclient import TestClient
from local_servers import PG_USER, ServerMissing, pg_cluster
from pytest_postgresql.janitor import DatabaseJanitor
from sqlalchemy import URL, make_url

from bot.intake.api import create_app
from bot.intake.migrate import upgrade_to_head
from bot.intake.settings import Settings

TEMPLATE_DB = "intake_template"


@dataclass(frozen=True)
class Secrets:
    token: str
    data_key: str
    index_key: str


@pytest.fixture(scope="session")
def test_secrets() -> Secrets:
    return Secrets(
        token="test-token-" + "x" * 24,
        data_key=Fernet.generate_key().decode(),
        index_key="test-blind-index-key-0123456789",
    )


def make_settings(url: str | URL, secrets: Secrets) -> Settings:
    """Settings that ignore the machine's var/secrets/local.env.

    Tests of other features log in wrongly several times in a row; they do not wait for the
    growing delay between failed logins (tests/service/review tests it with its default).
    Their administrators work without two-step login (LANS_ADMIN_REQUIRE_2FA=false);
    tests/service/web/test_two_factor.py tests the default, which requires it.
    """
    if isinstance(url, URL):
        url = url.render_as_string(hide_password=False)
    return Settings(
        _env_file=None,
        database_url=url,
        intake_api_token=secrets.token,
        lans_data_key=secrets.data_key,
        lans_blind_index_key=secrets.index_key,
        staff_login_delay_seconds=0,
        lans_admin_require_2fa=False,
    )


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int

    def url(self, dbname: str) -> URL:
        return URL.create(
            "postgresql+psycopg", username=PG_USER, host=self.host, port=self.port, database=dbname
        )

    def janitor(self, dbname: str, template: str | None = None) -> DatabaseJanitor:
        return DatabaseJanitor(
            user=PG_USER, host=self.host, port=self.port, dbname=dbname, template_dbname=template
        )


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with ExitStack() as stack:
        try:
            # A throwaway cluster: durability only costs time here.
            cluster = stack.enter_context(
                pg_cluster(
                    "lans-intake-pg-",
                    TEMPLATE_DB,
                    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                )
            )
        except ServerMissing as missing:
            pytest.skip(str(missing))
        yield PostgresServer(cluster.executor.host, int(cluster.executor.port))


@pytest.fixture(scope="session")
def postgres_template(postgres_server: PostgresServer) -> str:
    """A database at the newest schema that each test's database is cloned from."""
    postgres_server.janitor(TEMPLATE_DB).init()
    upgrade_to_head(postgres_server.url(TEMPLATE_DB))
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite-template") / "intake.sqlite3"
    upgrade_to_head(make_url(f"sqlite:///{path}"))
    return path


_database_numbers = count()

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql"),
]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[URL]:
    """A fresh database at the newest schema, on the test's backend."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "intake.sqlite3"
        shutil.copyfile(template, path)
        yield make_url(f"sqlite:///{path}")
        return
    server: PostgresServer = request.getfixturevalue("postgres_server")
    template_name: str = request.getfixturevalue("postgres_template")
    dbname = f"intake_test_{os.getpid()}_{next(_database_numbers)}"
    with server.janitor(dbname, template=template_name):
        yield server.url(dbname)


@pytest.fixture
def settings(database_url: URL, test_secrets: Secrets) -> Settings:
    return make_settings(database_url, test_secrets)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture
def auth(test_secrets: Secrets) -> dict[str, str]:
    return {"Authorization": f"Bearer {test_secrets.token}"}
