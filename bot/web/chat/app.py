"""Wiring of the students' web chat (/chat) into the intake service's FastAPI app.

- Session: a random id in the cookie `lans_chat` (HttpOnly, SameSite=Lax, path /chat, Secure
  with CHAT_COOKIE_SECURE); Rasa sees only a keyed hash of it.
- CSRF: fastapi-csrf-protect's signed double-submit cookie `lans_chat_csrf`, as on the dashboard.
- Rate limits: `limits` (moving window, in memory) per server-issued session first, with high
  per-IP ceilings (a school's NAT is one address; IPv6 counts per /64); wrong pickup codes
  also count against the service-wide budget shared with the API (bot/intake/pickups.py).
- Pages: Jinja2 with autoescaping; no JavaScript, no external resources; strict CSP.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi_csrf_protect import CsrfProtect
from jinja2 import Environment, FileSystemLoader, select_autoescape
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from bot.intake.pickups import PickupGuard
from bot.web.chat.state import ChatStore
from bot.web.headers import add_security_headers
from bot.web.rasa_rest import RasaClient

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.intake.settings import Settings

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "lans_chat"
CSRF_COOKIE = "lans_chat_csrf"
CSRF_FIELD = "csrf_token"
CSRF_MAX_AGE = 12 * 3600


@dataclass(frozen=True)
class Limits:
    limiter: MovingWindowRateLimiter
    message_session: list[RateLimitItem]
    message_ip: list[RateLimitItem]
    question: list[RateLimitItem]
    question_ip: list[RateLimitItem]
    pickup: list[RateLimitItem]
    pickup_ip: list[RateLimitItem]

    def allow(self, items: list[RateLimitItem], *keys: str) -> bool:
        """Counts this request against every item; False when one of them is used up."""
        allowed = True
        for item in items:
            if not self.limiter.hit(item, *keys):
                allowed = False
        return allowed


@dataclass(frozen=True)
class WebChat:
    settings: Settings
    sessions: sessionmaker[Session]
    templates: Environment
    csrf: CsrfProtect
    secret: bytes
    store: ChatStore
    rasa: RasaClient
    limits: Limits
    index_key: bytes
    pickups: PickupGuard


def install_web_chat(app: FastAPI, settings: Settings, sessions: sessionmaker[Session]) -> None:
    """Add /chat, its static files and security headers to `app`."""
    from bot.web.chat import views

    secret = settings.chat_secret()

    class ChatCsrf(CsrfProtect):
        """Its own subclass: CsrfProtect keeps its configuration on the class."""

    ChatCsrf.load_config(
        lambda: [
            ("secret_key", secret.decode()),
            ("cookie_key", CSRF_COOKIE),
            ("cookie_path", "/chat"),
            ("cookie_samesite", "lax"),
            ("cookie_secure", settings.chat_cookie_secure),
            ("httponly", True),
            ("max_age", CSRF_MAX_AGE),
            ("token_location", "body"),
            ("token_key", CSRF_FIELD),
        ]
    )
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    app.state.web_chat = WebChat(
        settings=settings,
        sessions=sessions,
        templates=templates,
        csrf=ChatCsrf(),
        secret=secret,
        store=ChatStore(settings.chat_idle_minutes * 60),
        # Few, quick attempts: a student waits at the page for the answer.
        rasa=RasaClient(settings.rasa_url, timeout=45, attempts=3, first_wait=0.3, max_wait=2),
        limits=Limits(
            limiter=MovingWindowRateLimiter(MemoryStorage()),
            message_session=parse_many(settings.chat_rate_session),
            message_ip=parse_many(settings.chat_rate_ip),
            question=parse_many(settings.chat_rate_question),
            question_ip=parse_many(settings.chat_rate_question_ip),
            pickup=parse_many(settings.chat_rate_pickup),
            pickup_ip=parse_many(settings.chat_rate_pickup_ip),
        ),
        index_key=settings.blind_index_key(),
        pickups=app.state.pickup_guard,
    )

    add_security_headers(app, lambda path: path == "/chat" or path.startswith("/chat/"))

    @app.exception_handler(views.ChatCsrfRefused)
    async def _csrf_refused(request: Request, _error: views.ChatCsrfRefused) -> Response:
        return views.csrf_refused(request)

    app.mount("/chat/static", StaticFiles(directory=HERE / "static"), name="chat-static")
    app.include_router(views.router)
