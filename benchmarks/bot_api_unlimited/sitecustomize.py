"""For `bench_stack --no-bot-api-limit` only: the bridge without its overall Bot API limit.

python-telegram-bot's AIORateLimiter holds the bridge to 30 Bot API calls a second (Telegram's
limit for one bot). Behind that cap, more Rasa replicas cannot show. The benchmark puts this
folder first on the bridge's PYTHONPATH and sets LANS_BENCH_NO_BOT_API_LIMIT=1; Python then
imports this file at start-up, before the bridge, and the limiter is built without the overall
limit (retries of 429 and 5xx stay as they are). No product code changes.
"""

import os

if os.environ.get("LANS_BENCH_NO_BOT_API_LIMIT") == "1":
    from telegram.ext import AIORateLimiter

    _original_init = AIORateLimiter.__init__

    def _init_without_overall_limit(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs["overall_max_rate"] = 0
        _original_init(self, *args, **kwargs)

    AIORateLimiter.__init__ = _init_without_overall_limit
