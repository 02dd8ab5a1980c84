"""Run in the engine environment (Python 3.10, Rasa): two processes take a ticket for the same
conversation at the same instant, many times. Prints how often both got the same ticket.

Usage: lock_race.py stock|atomic PORT PASSWORD ROUNDS
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time

SPACING = 0.02  # seconds between rounds; both processes spin until the same instant


def take_tickets(kind: str, port: int, password: str, start: float, rounds: int, queue) -> None:
    from rasa.core.lock_store import RedisLockStore

    from deploy.lock_store import AtomicRedisLockStore

    store_class = AtomicRedisLockStore if kind == "atomic" else RedisLockStore
    store = store_class(
        host="127.0.0.1", port=port, password=password, db=2, key_prefix=f"race{kind}"
    )
    tickets = []
    for round_number in range(rounds):
        moment = start + round_number * SPACING
        while time.time() < moment:
            pass
        tickets.append(store.issue_ticket(f"conversation{round_number}"))
    queue.put(tickets)


def main() -> None:
    kind, port, password, rounds = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
    queue = multiprocessing.Queue()
    start = time.time() + 8  # after both processes imported Rasa
    workers = [
        multiprocessing.Process(
            target=take_tickets, args=(kind, port, password, start, rounds, queue)
        )
        for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    first, second = queue.get(), queue.get()
    for worker in workers:
        worker.join()
    same = sum(1 for a, b in zip(first, second, strict=True) if a == b)
    print(json.dumps({"kind": kind, "rounds": rounds, "same_ticket": same}))


if __name__ == "__main__":
    main()
