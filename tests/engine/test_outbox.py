"""The durable outbox: nothing confirmed is lost, delivered once, retried with backoff."""

from __future__ import annotations

import sqlite3
import time

import pytest
from cryptography.fernet import Fernet

from actions.intake_client import IntakeRejected, IntakeUnavailable
from actions.outbox import FIRST_RETRY_SECONDS, MAX_RETRY_SECONDS, Deliverer, Outbox, backoff

KEY = Fernet.generate_key()
PAYLOAD = {"child_first_name": "Marijke", "phone": "+31612345678"}


class FakeIntake:
    """Fails `failures` times, then stores what it gets (by idempotency key)."""

    def __init__(self, failures: int = 0, error: type[Exception] = IntakeUnavailable) -> None:
        self.failures = failures
        self.error = error
        self.received: dict[str, dict] = {}
        self.calls = 0

    def __call__(self, key: str, payload: dict) -> str:
        self.calls += 1
        if self.failures:
            self.failures -= 1
            raise self.error("down")
        self.received[key] = payload
        return "ACD-EFG"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "outbox.sqlite3"


def test_delivered_at_once_and_personal_data_removed(path):
    outbox, intake = Outbox(path, KEY), FakeIntake()
    outbox.add("k1", "ACDEFG", PAYLOAD)
    assert Deliverer(outbox, intake).deliver_key("k1") is True
    assert intake.received == {"k1": PAYLOAD}
    assert outbox.state("k1") == "delivered"
    (payload,) = sqlite3.connect(path).execute("SELECT payload FROM outbox").fetchone()
    assert payload is None


def test_personal_data_are_encrypted_while_waiting(path):
    Outbox(path, KEY).add("k1", "ACDEFG", PAYLOAD)
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")  # fmt: skip
    assert b"Marijke" not in raw and b"612345678" not in raw
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_adding_the_same_key_twice_keeps_one_item(path):
    outbox = Outbox(path, KEY)
    outbox.add("k1", "ACDEFG", PAYLOAD)
    outbox.add("k1", "XXXXXX", {"other": 1})
    assert [(i.key, i.reference, i.payload) for i in outbox.due()] == [("k1", "ACDEFG", PAYLOAD)]


def test_unavailable_intake_is_retried_later_and_survives_a_restart(path):
    intake = FakeIntake(failures=1)
    outbox = Outbox(path, KEY)
    outbox.add("k1", "ACDEFG", PAYLOAD)
    assert Deliverer(outbox, intake).deliver_key("k1") is False
    assert outbox.state("k1") == "pending"
    assert outbox.due() == []  # waiting for its backoff
    assert 0 < outbox.next_due_in() <= FIRST_RETRY_SECONDS * 1.2

    # The action server restarts: a new Outbox on the same file still has the referral.
    restarted = Outbox(path, KEY)
    (item,) = restarted.due(now=10**12)
    assert item.attempts == 1
    assert Deliverer(restarted, intake).deliver(item) is True
    assert intake.received == {"k1": PAYLOAD}
    assert intake.calls == 2


def test_a_delivered_item_is_never_sent_again(path):
    outbox, intake = Outbox(path, KEY), FakeIntake()
    outbox.add("k1", "ACDEFG", PAYLOAD)
    deliverer = Deliverer(outbox, intake)
    (item,) = outbox.due()
    assert deliverer.deliver(item) and deliverer.deliver(item)
    assert intake.calls == 1


def test_rejected_referral_is_not_retried(path):
    outbox, intake = Outbox(path, KEY), FakeIntake(failures=1, error=IntakeRejected)
    outbox.add("k1", "ACDEFG", PAYLOAD)
    assert Deliverer(outbox, intake).deliver_key("k1") is False
    assert outbox.state("k1") == "rejected"
    assert outbox.next_due_in() is None


def test_backoff_grows_and_is_capped():
    # The jitter at both of its ends (injected), so the bounds hold for every draw.
    for end in (min, max):
        waits = [backoff(n, uniform=end) for n in range(1, 15)]
        assert waits[0] == pytest.approx(FIRST_RETRY_SECONDS * end(0.8, 1.2))
        assert waits[1:4] == pytest.approx([w * end(0.8, 1.2) for w in (4, 8, 16)])
        assert max(waits) == pytest.approx(MAX_RETRY_SECONDS * end(0.8, 1.2))
    assert 1.6 <= backoff(1) <= 2.4  # the real jitter stays within them


def test_the_background_worker_delivers_what_is_due(path):
    outbox, intake = Outbox(path, KEY), FakeIntake()
    outbox.add("k1", "ACDEFG", PAYLOAD)
    deliverer = Deliverer(outbox, intake, idle_seconds=0.05)
    deliverer.start()
    for _ in range(100):
        if outbox.state("k1") == "delivered":
            break
        time.sleep(0.05)
    assert outbox.state("k1") == "delivered"
    assert intake.calls == 1
