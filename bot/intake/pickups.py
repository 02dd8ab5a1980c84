"""The service-wide budget of failed pickups (anonymous questions' codes), shared by every way
to try a code: the intake API (which the action server calls for a code typed in the
conversation, on Telegram or in the web chat) and the web chat's pickup form.

Per-session and per-address limits stop one client; this stops many (a botnet, or a client
with fresh sessions and addresses): whatever the path, at most PICKUP_FAILURES_SERVICE wrong
codes are looked up per period, after that every pickup waits until the window has room
again. SECURITY.md ("Anonymous questions") shows why guessing a code is hopeless at this rate.

The counter lives in this process's memory (`limits`, moving window); a wrong guess is
counted there and costs no database write. With several replicas, the budget is per replica.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

KEY = "pickup-failures"


@dataclass(frozen=True)
class PickupGuard:
    limiter: MovingWindowRateLimiter
    failures: list[RateLimitItem]

    @classmethod
    def from_setting(cls, value: str) -> PickupGuard:
        return cls(MovingWindowRateLimiter(MemoryStorage()), parse_many(value))

    def open(self) -> bool:
        """Whether a pickup may be looked up now (the budget of failures is not used up)."""
        return all(self.limiter.test(item, KEY) for item in self.failures)

    def failed(self) -> None:
        """Count one wrong code against the budget."""
        for item in self.failures:
            self.limiter.hit(item, KEY)

    def retry_after(self) -> int:
        """Seconds until the budget has room again (at least 1)."""
        stats = [self.limiter.get_window_stats(item, KEY) for item in self.failures]
        waits = [s.reset_time - time.time() for s in stats if s.remaining <= 0]
        return max(1, int(max(waits, default=0)) + 1)
