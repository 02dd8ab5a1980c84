"""A message to the LANS team's Telegram group through python-telegram-bot's Bot."""

from __future__ import annotations

from telegram import Bot, LinkPreviewOptions

from bot.notify.settings import NotifySettings
from bot.notify.texts import Message


def make_bot(settings: NotifySettings) -> Bot:
    token = settings.lans_notify_telegram_bot_token
    kwargs = {}
    if settings.lans_notify_telegram_base_url:
        base = settings.lans_notify_telegram_base_url.rstrip("/")
        kwargs = {"base_url": base, "base_file_url": base.replace("/bot", "/file/bot")}
    return Bot(token.get_secret_value() if token else "", **kwargs)


async def send(bot: Bot, settings: NotifySettings, message: Message) -> None:
    """One attempt; raises telegram.error.TelegramError (or a subclass) on failure."""
    await bot.initialize()  # getMe on first use (a no-op afterwards); fails like a send
    await bot.send_message(
        chat_id=settings.lans_notify_telegram_chat_id or "",
        text=message.body,
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
