"""deploy/lock_store.py against Rasa's own RedisLockStore, on the real Redis: two processes (as
two Rasa replicas would) take a ticket for the same conversation at the same instant. Two
turns holding the same ticket run at once, and the tracker store then keeps only one of them
(test_replicas.py saw that with Rasa's store). Rasa's store is the control: it shows the race
is really hit in this run."""

from __future__ import annotations

import json
import subprocess

from bot.engine_process import ENGINE_BIN, PROJECT_ROOT, engine_env
from production.conftest import Redis

RACE = PROJECT_ROOT / "tests" / "service" / "production" / "lock_race.py"
ROUNDS = 300


def same_tickets(redis: Redis, kind: str) -> int:
    done = subprocess.run(
        [str(ENGINE_BIN / "python"), str(RACE), kind, str(redis.port), redis.password,
         str(ROUNDS)],
        env=engine_env(),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])["same_ticket"]


def test_the_atomic_lock_store_never_gives_two_replicas_the_same_ticket(redis: Redis):
    assert same_tickets(redis, "atomic") == 0
    # Control: Rasa's own store, same race, same machine.
    assert same_tickets(redis, "stock") > 0, "the race was not hit: this run proves nothing"
