"""Codes as an authenticator app computes them (pyotp), for the two-step login tests."""

from __future__ import annotations

import time

import pyotp


def fresh_step() -> None:
    """Wait until the current 30-second step has at least 5 s left, so a code computed now
    belongs to the same step when the server checks it."""
    left = 30 - time.time() % 30
    if left < 5:
        time.sleep(left + 0.1)


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The code an app shows `offset_steps` steps from now (a clock that runs fast or slow)."""
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)
