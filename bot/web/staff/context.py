"""What every dashboard request needs: the logged-in staff member, CSRF, rendering.

A login has stages. After the password, an account with two-step login waits for its code
(`code_pending`); such a login reaches only the code page (and logout). An administrator
without two-step login (LANS_ADMIN_REQUIRE_2FA, on by default), and with
LANS_STAFF_REQUIRE_2FA every member without it, reaches only its set-up page (and logout).
Every other page takes `Staff` or `Admin`, which let only complete logins through.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends, HTTPException, Request
from fastapi.responses import HTMLResponse
from fastapi_csrf_protect import CsrfProtect
from fastapi_csrf_protect.exceptions import CsrfProtectError
from itsdangerous import BadData, URLSafeTimedSerializer
from jinja2 import Environment
from sqlalchemy.orm import Session, sessionmaker
from starlette.datastructures import FormData

from bot.intake.settings import Settings
from bot.web.auth import StaffMember, resume_session


class LoginRequired(Exception):
    """No live login: the handler redirects to the login page."""


class CsrfRefused(Exception):
    """A form without a valid CSRF token: the handler answers 403."""


class SecondStepRequired(Exception):
    """A login that is not complete yet: the handler redirects to the page that completes it
    (or, for a complete login on a second-step page, to the queue)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


CODE_PAGE = "/staff/login/code"
ENROL_PAGE = "/staff/twee-stappen"


@dataclass(frozen=True)
class Dashboard:
    settings: Settings
    sessions: sessionmaker[Session]
    templates: Environment
    csrf: CsrfProtect
    secret: str
    lifetime: timedelta
    idle: timedelta


def dashboard(request: Request) -> Dashboard:
    return request.app.state.dashboard


def any_login(request: Request) -> StaffMember:
    """The staff member of this request's login at any stage, or LoginRequired (redirect to
    login). Only logout and the second-step pages may stop here."""
    token = request.session.get("sid")
    if not isinstance(token, str):
        raise LoginRequired
    board = dashboard(request)
    with board.sessions.begin() as session:
        member = resume_session(session, token, board.idle)
    if member is None:
        raise LoginRequired
    # The page header offers only logout until the login is complete.
    request.state.half_login = member
    return member


def two_step_required(settings: Settings, is_admin: bool) -> bool:
    """Whether policy requires two-step login of an account: of an administrator with
    LANS_ADMIN_REQUIRE_2FA (the default), of everyone with LANS_STAFF_REQUIRE_2FA."""
    return settings.lans_staff_require_2fa or (is_admin and settings.lans_admin_require_2fa)


def must_enrol(board: Dashboard, member: StaffMember) -> bool:
    """Whether policy sends this member to set up two-step login before anything else."""
    return not member.two_factor and two_step_required(board.settings, member.is_admin)


def current_staff(request: Request) -> StaffMember:
    """The staff member of a complete login; else LoginRequired (redirect to login) or
    SecondStepRequired (redirect to the code page or the set-up page)."""
    member = any_login(request)
    if member.code_pending:
        raise SecondStepRequired(CODE_PAGE)
    if must_enrol(dashboard(request), member):
        raise SecondStepRequired(ENROL_PAGE)
    request.state.staff = member
    return member


def enrolling_staff(request: Request) -> StaffMember:
    """A login past the password (and code, if any), also when policy still requires the
    member to set up two-step login: the set-up page itself."""
    member = any_login(request)
    if member.code_pending:
        raise SecondStepRequired(CODE_PAGE)
    if not must_enrol(dashboard(request), member):
        request.state.staff = member
    return member


def pending_staff(request: Request) -> StaffMember:
    """A login that waits for its code: the code page. A complete one goes to the queue."""
    member = any_login(request)
    if not member.code_pending:
        raise SecondStepRequired("/staff/")
    return member


def admin_only(staff: Annotated[StaffMember, Depends(current_staff)]) -> StaffMember:
    if not staff.is_admin:
        raise HTTPException(403)
    return staff


Staff = Annotated[StaffMember, Depends(current_staff)]
AnyLogin = Annotated[StaffMember, Depends(any_login)]
Enrolling = Annotated[StaffMember, Depends(enrolling_staff)]
Pending = Annotated[StaffMember, Depends(pending_staff)]
Admin = Annotated[StaffMember, Depends(admin_only)]
Board = Annotated[Dashboard, Depends(dashboard)]


async def checked_form(request: Request) -> FormData:
    """The posted form, after fastapi-csrf-protect checked its token against the cookie."""
    form = await request.form()
    board = dashboard(request)
    try:
        await board.csrf.validate_csrf(request, secret_key=board.secret)
    except CsrfProtectError:
        raise CsrfRefused from None
    return form


Form = Annotated[FormData, Depends(checked_form)]


def _csrf_token(request: Request, board: Dashboard) -> tuple[str, str | None]:
    """The page's CSRF token: the one behind a still valid cookie, or a new pair.

    Reusing the cookie's token keeps forms in several open tabs working.
    """
    cookie = request.cookies.get(board.csrf._cookie_key)
    if cookie:
        serializer = URLSafeTimedSerializer(board.secret, salt="fastapi-csrf-token")
        try:
            token = serializer.loads(cookie, max_age=int(board.lifetime.total_seconds()))
            if isinstance(token, str):
                return token, None
        except BadData:
            pass
    token, signed = board.csrf.generate_csrf_tokens(board.secret)
    return token, signed


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page with the CSRF token, the staff member (if any) and a one-time flash message."""
    board = dashboard(request)
    token, signed = _csrf_token(request, board)
    flash = request.session.pop("flash", None) if "sid" in request.session else None
    html = board.templates.get_template(template).render(
        request=request,
        csrf_token=token,
        staff=getattr(request.state, "staff", None),
        half_login=getattr(request.state, "half_login", None),
        flash=flash,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code)
    if signed is not None:
        board.csrf.set_csrf_cookie(signed, response)
    return response


def flash(request: Request, message: str) -> None:
    request.session["flash"] = message
