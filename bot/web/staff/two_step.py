"""The dashboard's pages for two-step login: setting it up ("Inloggen in twee stappen") and
the second login step (a code from the app, or a recovery code).

The TOTP and recovery-code rules are in bot.web.two_factor; this module is only the pages.
A wrong code counts in the same login throttle as a wrong password (bot.web.auth).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from bot.intake.models import StaffUser
from bot.web import two_factor
from bot.web.auth import (
    audit,
    begin_login,
    end_session,
    login_address,
    login_failed,
    login_succeeded,
    login_throttle,
    refusal_text,
    start_session,
)
from bot.web.staff.context import (
    ENROL_PAGE,
    Board,
    Enrolling,
    Form,
    Pending,
    flash,
    must_enrol,
    render,
)

router = APIRouter(prefix="/staff", include_in_schema=False)

# How long a login may wait between the password and the code.
CODE_STEP_TIME = timedelta(minutes=10)

TEXTS = {
    "wrong_code": "Deze code klopt niet of is verlopen. Probeer de nieuwe code uit uw app.",
    "wrong_recovery": "Deze herstelcode klopt niet of is al gebruikt. Kijk of u de code goed "
    "heeft overgenomen, of gebruik een andere herstelcode.",
    "empty": "Typ de code van 6 cijfers uit uw app, of een herstelcode.",
    "throttled": "een verkeerde code",
    "recovery_used": "U bent ingelogd met een herstelcode. Die code werkt nu niet meer. U heeft "
    "nog {left} herstelcodes.",
    "recovery_low": " Vraag een beheerder om inloggen in twee stappen opnieuw voor u in te "
    "stellen. Dan krijgt u nieuwe herstelcodes.",
    "enrolled": "Inloggen in twee stappen staat nu aan. Op andere apparaten bent u uitgelogd.",
}
LOW_RECOVERY_CODES = 3


def _field(form: Any, name: str) -> str:
    value = form.get(name, "")
    return value[:64] if isinstance(value, str) else ""


# ---------- the second login step ----------


def _code_page(
    request: Request, status_code: int = 200, error: str = "", which: str = ""
) -> Response:
    return render(
        request,
        "login_code.html",
        status_code=status_code,
        title="Inloggen: stap 2",
        error=error,
        which=which,
    )


@router.get("/login/code")
def code_page(request: Request, member: Pending) -> Response:
    return _code_page(request)


@router.post("/login/code")
def check_code(request: Request, board: Board, member: Pending, form: Form) -> Response:
    """The second step: a code from the app or a recovery code completes the login (with a
    new token); a wrong one counts like a wrong password and is in the Logboek."""
    code = _field(form, "code").strip()
    recovery = _field(form, "recovery").strip()
    which = "recovery" if recovery and not code else "code"
    if not code and not recovery:
        return _code_page(request, 400, TEXTS["empty"], which)
    throttle = login_throttle(board.settings)
    address = login_address(board.settings, request)
    attempt = begin_login(board.sessions, throttle, member.username, address)
    if attempt.refused:
        refused = _code_page(request, 429, refusal_text(attempt, TEXTS["throttled"]), which)
        refused.headers["Retry-After"] = str(attempt.retry_after)
        return refused
    old_token = request.session.get("sid")
    left: int | None = None
    with board.sessions.begin() as session:
        user = session.get(StaffUser, member.id)
        if user is None:
            ok = False
        elif which == "recovery":
            left = two_factor.use_recovery_code(session, user, recovery)
            ok = left is not None
        else:
            ok = two_factor.use_code(session, user, code)
        if ok and user is not None:
            login_succeeded(session, attempt)
            if isinstance(old_token, str):
                end_session(session, old_token)
            token = start_session(session, user, board.lifetime)
            method = "herstelcode" if which == "recovery" else "app"
            audit(session, user.username, "staff.2fa_passed", "staff_user", user.id,
                  username=user.username, method=method)  # fmt: skip
            if left is not None:
                audit(session, user.username, "staff.2fa_recovery_used", "staff_user", user.id,
                      username=user.username, remaining=left)  # fmt: skip
            audit(session, user.username, "staff.login", "staff_user", user.id)
    if not ok:
        login_failed(board.sessions, throttle, attempt, address, action="staff.2fa_failed")
        error = TEXTS["wrong_recovery"] if which == "recovery" else TEXTS["wrong_code"]
        return _code_page(request, 401, error, which)
    request.session.clear()
    request.session["sid"] = token
    if left is not None:
        message = TEXTS["recovery_used"].format(left=left)
        if left < LOW_RECOVERY_CODES:
            message += TEXTS["recovery_low"]
        flash(request, message)
    return RedirectResponse("/staff/", status_code=303)


# ---------- setting it up ----------


def _setup_page(
    request: Request, board: Board, member: Any, secret: str, status_code: int = 200,
    error: str = "",
) -> Response:  # fmt: skip
    uri = two_factor.provisioning_uri(secret, member.username)
    return render(
        request,
        "two_step.html",
        status_code=status_code,
        title="Inloggen in twee stappen",
        enrolled=False,
        required=must_enrol(board, member),
        qr=two_factor.qr_svg(uri),
        secret=two_factor.grouped(secret),
        error=error,
    )


@router.get("/twee-stappen")
def setup_page(request: Request, board: Board, member: Enrolling) -> Response:
    """Set-up (a QR code and the secret as text) or, once it is on, its state."""
    with board.sessions.begin() as session:
        user = session.get(StaffUser, member.id)
        if user is None:
            return RedirectResponse("/staff/login", status_code=303)
        if two_factor.is_enrolled(user):
            return render(
                request,
                "two_step.html",
                title="Inloggen in twee stappen",
                enrolled=True,
                since=user.totp_enrolled_at,
                left=two_factor.unused_recovery_codes(session, user),
            )
        secret = two_factor.pending_secret(user)
    return _setup_page(request, board, member, secret)


@router.post("/twee-stappen")
def finish_setup(request: Request, board: Board, member: Enrolling, form: Form) -> Response:
    """A valid code from the app turns two-step login on; the recovery codes are shown once,
    on this response only (stored as hashes, never shown again)."""
    token = request.session.get("sid")
    with board.sessions.begin() as session:
        user = session.get(StaffUser, member.id)
        if user is None or two_factor.is_enrolled(user):
            return RedirectResponse(ENROL_PAGE, status_code=303)
        codes = two_factor.finish_enrolment(
            session, user, _field(form, "code"), token if isinstance(token, str) else None
        )
        secret = two_factor.pending_secret(user) if codes is None else ""
    if codes is None:
        return _setup_page(request, board, member, secret, 400, TEXTS["wrong_code"])
    request.state.staff = member  # complete now: the full menu
    return render(
        request, "two_step_codes.html", title="Uw herstelcodes", codes=codes,
        message=TEXTS["enrolled"],
    )  # fmt: skip
