"""`python -m bot.telegram`: run the bridge, by polling (local) or as a webhook (production).

Environment: TELEGRAM_BOT_TOKEN (required), TELEGRAM_SENDER_SECRET (else derived from
LANS_BLIND_INDEX_KEY), RASA_URL, TELEGRAM_MODE=polling|webhook, and for webhook mode
TELEGRAM_WEBHOOK_URL, TELEGRAM_WEBHOOK_SECRET, TELEGRAM_WEBHOOK_LISTEN/PORT/PATH.
"""

from __future__ import annotations

import logging
import sys

from telegram import Update

from bot.intake.settings import MissingSecretError
from bot.telegram.bridge import build_application
from bot.telegram.settings import TelegramSettings

ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # httpx logs every request URL, and Bot API URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    # Tornado's access log (webhook mode) is not needed; errors still show.
    logging.getLogger("tornado.access").setLevel(logging.WARNING)


def main() -> int:
    configure_logging()
    log = logging.getLogger("bot.telegram")
    settings = TelegramSettings()
    try:
        application = build_application(settings)
        if settings.telegram_mode == "webhook":
            secret = settings.webhook_secret()
            if not settings.telegram_webhook_url:
                raise MissingSecretError("TELEGRAM_WEBHOOK_URL is required in webhook mode")
    except MissingSecretError as error:
        print(f"Telegram-bridge start niet: {error}", file=sys.stderr)
        return 2
    if settings.telegram_mode == "webhook":
        log.info(
            "Telegram bridge: webhook on %s:%d/%s, Rasa at %s",
            settings.telegram_webhook_listen,
            settings.telegram_webhook_port,
            settings.telegram_webhook_path,
            settings.rasa_url,
        )
        application.run_webhook(
            listen=settings.telegram_webhook_listen,
            port=settings.telegram_webhook_port,
            url_path=settings.telegram_webhook_path,
            webhook_url=settings.telegram_webhook_url,
            secret_token=secret,
            allowed_updates=ALLOWED_UPDATES,
        )
    else:
        log.info("Telegram bridge: polling, Rasa at %s", settings.rasa_url)
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0


if __name__ == "__main__":
    sys.exit(main())
