"""Wiring of the dashboard into the intake service's FastAPI app.

- Session: Starlette's SessionMiddleware (itsdangerous-signed cookie `lans_staff`, HttpOnly,
  SameSite=Lax, Secure with STAFF_COOKIE_SECURE) holds only a random login token; the login
  itself lives in the staff_sessions table (absolute and idle expiry, ended by logout).
- CSRF: fastapi-csrf-protect's double-submit cookie, checked on every POST form.
- Templates: Jinja2 with autoescaping on for every template.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi_csrf_protect import CsrfProtect
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from bot.web.headers import add_security_headers
from bot.web.staff import two_step, views
from bot.web.staff.context import CsrfRefused, Dashboard, LoginRequired, SecondStepRequired

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from bot.intake.settings import Settings

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "lans_staff"
CSRF_COOKIE = "lans_staff_csrf"
CSRF_FIELD = "csrf_token"


def _templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        # Every template is escaped, whatever its extension; user text is never marked safe.
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(views.FILTERS)
    return env


def install_staff_dashboard(
    app: FastAPI, settings: Settings, sessions: sessionmaker[Session]
) -> None:
    """Add the /staff pages, their static files, cookies and error pages to `app`."""
    secret = settings.session_secret()
    lifetime = timedelta(hours=settings.staff_session_hours)

    class AppCsrf(CsrfProtect):
        """A subclass per app, so its class-level configuration stays this app's own."""

    AppCsrf.load_config(
        lambda: [
            ("secret_key", secret),
            ("cookie_key", CSRF_COOKIE),
            ("cookie_path", "/staff"),
            ("cookie_samesite", "lax"),
            ("cookie_secure", settings.staff_cookie_secure),
            ("httponly", True),
            ("max_age", int(lifetime.total_seconds())),
            ("token_location", "body"),
            ("token_key", CSRF_FIELD),
        ]
    )

    app.state.dashboard = Dashboard(
        settings=settings,
        sessions=sessions,
        templates=_templates(),
        csrf=AppCsrf(),
        secret=secret,
        lifetime=lifetime,
        idle=timedelta(minutes=settings.staff_idle_minutes),
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret,
        session_cookie=SESSION_COOKIE,
        max_age=int(lifetime.total_seconds()),
        path="/staff",
        same_site="lax",
        https_only=settings.staff_cookie_secure,
    )

    add_security_headers(app, lambda path: path.startswith("/staff"))

    app.mount("/staff/static", StaticFiles(directory=HERE / "static"), name="staff-static")
    app.include_router(views.router)
    app.include_router(two_step.router)

    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, _error: LoginRequired) -> Response:
        request.session.clear()
        return RedirectResponse("/staff/login", status_code=303)

    @app.exception_handler(SecondStepRequired)
    async def _second_step_required(_request: Request, error: SecondStepRequired) -> Response:
        # The session stays: it is the half login that the page completes.
        return RedirectResponse(error.location, status_code=303)

    @app.exception_handler(CsrfRefused)
    async def _csrf_refused(request: Request, _error: CsrfRefused) -> Response:
        return views.error_page(
            request,
            403,
            "Dit formulier is verlopen of niet van deze site. Laad de pagina opnieuw en "
            "probeer het nog een keer.",
        )

    previous_validation_handler = app.exception_handlers.get(RequestValidationError)

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, error: RequestValidationError) -> Response:
        # A dashboard URL with a malformed id is simply a page that does not exist.
        if request.url.path.startswith("/staff/"):
            return views.error_page(request, 404, views.ERROR_TEXTS[404])
        if previous_validation_handler is None:
            from fastapi.exception_handlers import request_validation_exception_handler

            return await request_validation_exception_handler(request, error)
        return await previous_validation_handler(request, error)

    previous_handler = app.exception_handlers.get(StarletteHTTPException)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, error: StarletteHTTPException) -> Response:
        if request.url.path.startswith("/staff/") and error.status_code in views.ERROR_TEXTS:
            return views.error_page(
                request, error.status_code, views.ERROR_TEXTS[error.status_code]
            )
        from fastapi.exception_handlers import http_exception_handler

        handler = previous_handler or http_exception_handler
        return await handler(request, error)
