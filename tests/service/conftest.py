"""A real Rasa server, action server and intake service with the trained model, for HTTP-level
tests. The intake service runs on a temporary SQLite database with throwaway secrets."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import httpx
import pytest

# Free ports everywhere: two test runs on one machine must never meet each other's servers
# (a server already answering on a fixed port would be taken for ours). on_free_ports starts a
# server again on other ports when another process took one before the server could bind it.
from local_servers import on_free_ports

from bot.engine_process import DEFAULT_MODEL, Engine, new_tracker_key, running_engine
from bot.intake.process import IntakeService, running_intake, throwaway_environment


@pytest.fixture(scope="session")
def intake_env(tmp_path_factory) -> dict[str, str]:
    return throwaway_environment(tmp_path_factory.mktemp("intake"))


@pytest.fixture(scope="session")
def intake(tmp_path_factory, intake_env) -> Iterator[IntakeService]:
    logs = tmp_path_factory.mktemp("intake-logs")
    with on_free_ports(lambda port: running_intake(port, logs, intake_env)) as svc:
        yield svc


@pytest.fixture(scope="session")
def tracker_key() -> str:
    """The key of the engine's conversation store, so tests can read what it keeps."""
    return new_tracker_key()


@pytest.fixture(scope="session")
def engine(tmp_path_factory, intake, intake_env, tracker_key) -> Iterator[Engine]:
    assert DEFAULT_MODEL.exists(), "run `make train` first: no trained model"
    action_env = {
        "LANS_TRACKER_KEY": tracker_key,  # the store: log_dir/conversations.db
        "INTAKE_URL": intake.url,
        "INTAKE_API_TOKEN": intake_env["INTAKE_API_TOKEN"],
        "LANS_OUTBOX_PATH": intake_env["LANS_OUTBOX_PATH"],
    }
    log_dir = tmp_path_factory.mktemp("engine")

    def start(rasa_port: int, actions_port: int):
        return running_engine(
            rasa_port=rasa_port,
            actions_port=actions_port,
            # The HTTP API (loopback only) lets tests read a tracker: what Rasa actually stored.
            enable_api=True,
            log_dir=log_dir,
            env=action_env,
        )

    with on_free_ports(start, count=2) as running:
        yield running


class Conversation:
    """One user talking to the assistant over the REST channel."""

    def __init__(self, engine: Engine) -> None:
        self.url = engine.webhook_url
        self.sender = f"test-{secrets.token_hex(6)}"

    def say(self, text: str) -> list[dict]:
        response = httpx.post(self.url, json={"sender": self.sender, "message": text}, timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def text_of(self, text: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(text))


@pytest.fixture
def conversation(engine) -> Conversation:
    return Conversation(engine)


@pytest.fixture(scope="module")
def browser():
    """Debian's headless chromium, driven by Playwright (its own browser download is not used)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            yield browser
        finally:
            browser.close()


# With CI=true a missing server or browser stops the session instead of skipping tests.
from required_tools import pytest_sessionstart  # noqa: E402, F401
