"""The action server's one outbox and its delivery worker, configured from the environment.

LANS_OUTBOX_PATH   the SQLite file (default var/outbox.sqlite3 in the project)
LANS_OUTBOX_KEY    Fernet key for the personal data in it; without it a key file next to the
                   outbox is used, created on first use with owner-only permissions
INTAKE_URL, INTAKE_API_TOKEN   where referrals go (actions/intake_client.py)

The worker starts with the action server when INTAKE_URL is set, so referrals left over from
before a restart are delivered without waiting for a new one.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet

from actions.intake_client import IntakeClient
from actions.outbox import Deliverer, Outbox

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _outbox_key(outbox_path: Path) -> bytes:
    if key := os.environ.get("LANS_OUTBOX_KEY"):
        return key.encode()
    key_file = outbox_path.with_suffix(".key")
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(Fernet.generate_key())
    return key_file.read_bytes().strip()


@cache
def deliverer() -> Deliverer:
    path = Path(os.environ.get("LANS_OUTBOX_PATH", PROJECT_ROOT / "var" / "outbox.sqlite3"))
    outbox = Outbox(path, _outbox_key(path))
    return Deliverer(outbox, IntakeClient.from_env().submit_referral)


def start_worker_if_configured() -> None:
    if os.environ.get("INTAKE_URL"):
        deliverer().start()
