"""The bridge: Telegram updates in, Rasa's REST channel, Telegram messages out.

Privacy: Rasa sees only `sender_id(secret, user id)`, an HMAC-SHA256; the Telegram id, username
and name stay in this process's memory (the per-chat button map, keyed by chat id) and never
reach Rasa, the intake service or a log line (the handlers log no update content at all).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import secrets
import weakref
from collections import OrderedDict
from typing import Any

from limits import RateLimitItemPerMinute
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatAction, MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, TelegramError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.telegram import texts
from bot.telegram.settings import TelegramSettings
from bot.web.rasa_rest import BotMessage, RasaClient, RasaUnavailable, typed_text

log = logging.getLogger("bot.telegram")

MAX_CHUNK = MessageLimit.MAX_TEXT_LENGTH - 96  # room to spare under Telegram's 4096
CALLBACK_PREFIX = "k:"
GREET = "/greet"
RESTART = "/restart"
TYPING_EVERY = 4.0  # Telegram shows "typing" for 5 seconds

COMMANDS = [
    BotCommand("start", "Beginnen"),
    BotCommand("help", "Wat kan deze chatbot?"),
    BotCommand("privacy", "Wat gebeurt er met mijn gegevens?"),
    BotCommand("stop", "Gesprek stoppen en vergeten"),
]


SEND_ATTEMPTS = 5  # a request Telegram failed to handle: 4 retries, 0.5 s doubling to 4 s


def _not_handled(error: BaseException) -> bool:
    """Telegram (or a proxy before it) answered 5xx or the connection failed: send again.

    PTB raises NetworkError for both. BadRequest is a NetworkError too, but sending the same
    request again cannot help; a timeout is not retried, because Telegram may have delivered
    the message and the parent would get it twice.
    """
    return isinstance(error, NetworkError) and not isinstance(error, (BadRequest, TimedOut))


def _log_retry(state: Any) -> None:
    error = state.outcome.exception() if state.outcome else None
    log.warning("Telegram did not handle a request (%s); retrying", type(error).__name__)


class RetryingRateLimiter(AIORateLimiter):
    """PTB's AIORateLimiter (limits, and waits out a 429), plus retries of server errors.

    Retrying here, around the one request that failed, keeps the order of a chat's messages
    (the bridge sends them one by one under the chat's lock) and sends nothing twice that
    Telegram accepted.
    """

    async def process_request(self, *args: Any, **kwargs: Any) -> Any:
        retrying = AsyncRetrying(
            retry=retry_if_exception(_not_handled),
            stop=stop_after_attempt(SEND_ATTEMPTS),
            wait=wait_exponential(multiplier=0.5, max=4),
            before_sleep=_log_retry,
            reraise=True,
        )
        async for attempt in retrying:
            with attempt:
                result = await super().process_request(*args, **kwargs)
        return result


def sender_id(secret: bytes, telegram_user_id: int) -> str:
    """Rasa's sender for a Telegram user: a keyed hash, not reversible without the secret."""
    digest = hmac.new(secret, f"telegram:{telegram_user_id}".encode(), hashlib.sha256)
    return "tg-" + digest.hexdigest()


def split_text(text: str, limit: int = MAX_CHUNK) -> list[str]:
    """Pieces of at most `limit` characters, cut at a paragraph, line, sentence or space."""
    chunks: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            cut = window.rfind(separator)
            if cut > limit // 2:
                cut += len(separator)
                break
        else:
            cut = limit
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].strip())
        rest = rest[cut:].strip()
    if rest:
        chunks.append(rest)
    return chunks


class ButtonStore:
    """Rasa's button payloads behind short callback ids (Telegram allows 64 bytes), per chat.

    In memory only: after a restart an old button says it no longer works.
    """

    def __init__(self, per_chat: int = 64, chats: int = 10_000) -> None:
        self.per_chat = per_chat
        self.chats = chats
        self._store: OrderedDict[int, OrderedDict[str, str]] = OrderedDict()

    def add(self, chat_id: int, payload: str) -> str:
        buttons = self._store.setdefault(chat_id, OrderedDict())
        self._store.move_to_end(chat_id)
        key = secrets.token_urlsafe(6)
        buttons[key] = payload
        while len(buttons) > self.per_chat:
            buttons.popitem(last=False)
        while len(self._store) > self.chats:
            self._store.popitem(last=False)
        return CALLBACK_PREFIX + key

    def get(self, chat_id: int, data: str | None) -> str | None:
        if not data or not data.startswith(CALLBACK_PREFIX):
            return None
        return self._store.get(chat_id, {}).get(data[len(CALLBACK_PREFIX) :])

    def forget(self, chat_id: int) -> None:
        self._store.pop(chat_id, None)


class Bridge:
    def __init__(self, settings: TelegramSettings, rasa: RasaClient) -> None:
        self.settings = settings
        self.rasa = rasa
        self.secret = settings.sender_secret()
        self.buttons = ButtonStore()
        self.max_chars = settings.telegram_max_message_chars
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._rate = RateLimitItemPerMinute(settings.telegram_messages_per_minute)
        self._locks: weakref.WeakValueDictionary[int, asyncio.Lock] = weakref.WeakValueDictionary()

    # ---------- helpers ----------

    def _lock(self, chat_id: int) -> asyncio.Lock:
        lock = self._locks.get(chat_id)
        if lock is None:
            lock = asyncio.Lock()
            self._locks[chat_id] = lock
        return lock

    def _allowed(self, chat_id: int) -> bool:
        key = hashlib.sha256(self.secret + str(chat_id).encode()).hexdigest()[:32]
        return self._limiter.hit(self._rate, "telegram", key)

    async def _say(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str) -> None:
        try:
            await context.bot.send_message(chat_id, text)
        except Forbidden:
            self._blocked(chat_id)

    def _blocked(self, chat_id: int) -> None:
        log.info("a user blocked the bot; their buttons are forgotten")
        self.buttons.forget(chat_id)

    async def _typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        with contextlib.suppress(TelegramError):
            while True:
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
                await asyncio.sleep(TYPING_EVERY)

    def _keyboard(self, chat_id: int, message: BotMessage) -> InlineKeyboardMarkup | None:
        if not message.buttons:
            return None
        rows = [
            [InlineKeyboardButton(b.title[:64], callback_data=self.buttons.add(chat_id, b.payload))]
            for b in message.buttons
        ]
        return InlineKeyboardMarkup(rows)

    async def relay(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, user_id: int, message: str
    ) -> None:
        """Send `message` to Rasa as this user's pseudonym and the answers back to the chat."""
        async with self._lock(chat_id):
            typing = asyncio.create_task(self._typing(context, chat_id))
            try:
                answers = await self.rasa.send(sender_id(self.secret, user_id), message)
            except RasaUnavailable:
                answers = None
            finally:
                typing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await typing
            if answers is None:
                await self._say(context, chat_id, texts.UNREACHABLE)
                return
            if not answers:
                await self._say(context, chat_id, texts.NO_ANSWER)
                return
            try:
                await self._send_answers(context, chat_id, answers)
            except Forbidden:
                self._blocked(chat_id)

    async def _send_answers(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, answers: list[BotMessage]
    ) -> None:
        for message in answers:
            chunks = split_text(message.text) or ["Kies hieronder:"]
            for number, chunk in enumerate(chunks, start=1):
                markup = self._keyboard(chat_id, message) if number == len(chunks) else None
                await context.bot.send_message(chat_id, chunk, reply_markup=markup)

    # ---------- handlers ----------

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self.relay(context, update.effective_chat.id, update.effective_user.id, GREET)

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, texts.HELP)

    async def on_privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, texts.PRIVACY)

    async def on_stop(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        self.buttons.forget(chat_id)
        async with self._lock(chat_id):
            try:
                await self.rasa.send(sender_id(self.secret, update.effective_user.id), RESTART)
            except RasaUnavailable:
                await self._say(context, chat_id, texts.STOP_FAILED)
                return
        await self._say(context, chat_id, texts.STOPPED)

    async def on_unknown_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, texts.UNKNOWN_COMMAND)

    async def on_not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(context, update.effective_chat.id, texts.ONLY_TEXT)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = update.effective_chat.id
        # Leading whitespace and "/" go until none is left ("/ /restart", " /x"): Rasa would
        # read the rest as an intent and skip the NLU. Only buttons send intents.
        raw = update.effective_message.text or ""
        text = typed_text(raw)
        if not text:
            if raw.strip():  # only slashes
                await self._say(context, chat_id, texts.UNKNOWN_COMMAND)
            return
        if len(text) > self.max_chars:
            await self._say(context, chat_id, texts.TOO_LONG.format(limit=self.max_chars))
            return
        if not self._allowed(chat_id):
            await self._say(context, chat_id, texts.TOO_FAST)
            return
        await self.relay(context, chat_id, update.effective_user.id, text)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat_id = update.effective_chat.id if update.effective_chat else None
        payload = self.buttons.get(chat_id, query.data) if chat_id is not None else None
        # Always answer the callback query, or the button keeps spinning in the app.
        with contextlib.suppress(TelegramError):
            await query.answer(text=None if payload else texts.OLD_BUTTON)
        if payload is None:
            return
        if not self._allowed(chat_id):
            await self._say(context, chat_id, texts.TOO_FAST)
            return
        # The choice is made: take the buttons away so an old question cannot be answered twice.
        with contextlib.suppress(TelegramError):
            await query.edit_message_reply_markup(reply_markup=None)
        await self.relay(context, chat_id, update.effective_user.id, payload)

    async def on_error(self, _update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Only the kind of error: its text or the update could contain personal data.
        log.error("handling an update failed: %s", type(context.error).__name__)


def build_application(settings: TelegramSettings, rasa: RasaClient | None = None) -> Application:
    """The python-telegram-bot Application with every handler of the bridge."""
    import httpx

    rasa = rasa or RasaClient(
        settings.rasa_url,
        attempts=settings.telegram_rasa_attempts,
        client=httpx.AsyncClient(),
    )
    bridge = Bridge(settings, rasa)

    async def post_init(application: Application) -> None:
        with contextlib.suppress(TelegramError):
            await application.bot.set_my_commands(COMMANDS)

    async def post_shutdown(_application: Application) -> None:
        await rasa.aclose()

    builder = (
        Application.builder()
        .token(settings.bot_token())
        # Telegram allows about 30 messages a second overall and 20 a minute per group; a 429
        # (RetryAfter) pauses sending for the time Telegram asks, then the message is sent;
        # a 5xx or a failed connection is retried with backoff (RetryingRateLimiter).
        .rate_limiter(RetryingRateLimiter(max_retries=5))
        # Several chats at once; within one chat the bridge keeps the order (a lock per chat).
        .concurrent_updates(32)
        .post_init(post_init)
        .post_shutdown(post_shutdown)
    )
    if settings.telegram_base_url:
        base = settings.telegram_base_url.rstrip("/")
        builder = builder.base_url(base).base_file_url(base.replace("/bot", "/file/bot"))
    application = builder.build()
    application.bot_data["bridge"] = bridge

    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    application.add_handler(CommandHandler("start", bridge.on_start, filters=private))
    application.add_handler(CommandHandler("help", bridge.on_help, filters=private))
    application.add_handler(CommandHandler("privacy", bridge.on_privacy, filters=private))
    application.add_handler(CommandHandler("stop", bridge.on_stop, filters=private))
    application.add_handler(MessageHandler(private & filters.COMMAND, bridge.on_unknown_command))
    application.add_handler(MessageHandler(private & filters.TEXT, bridge.on_text))
    application.add_handler(MessageHandler(private & ~filters.TEXT, bridge.on_not_text))
    application.add_handler(CallbackQueryHandler(bridge.on_button))
    application.add_error_handler(bridge.on_error)
    return application
